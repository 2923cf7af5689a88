import { usePrefetchQuery, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import {
  accountQuery,
  actionsQuery,
  breakdownQuery,
  cxQuery,
  forecastQuery,
  healthQuery,
} from './api/queries.ts';
import { LoadingState } from './components/QueryState.tsx';
import { SignOut } from './components/SignOut.tsx';
import { ViewErrorBoundary } from './components/ViewErrorBoundary.tsx';
import { dateLabel, dateTimeLabel } from './lib/format.ts';
import { cameBack } from './lib/history.ts';
// the triage is the first page: part of the app's own chunk, not a lazy one (on / it would be one
// more round of requests before the first rows, and the entry waited for it anyway)
import AccountsView from './views/Accounts/AccountsView.tsx';
import { ComingSoon, NotFound } from './views/NotFound.tsx';

const AccountView = lazy(() => import('./views/Account/AccountView.tsx'));
const PatternsView = lazy(() => import('./views/Patterns/PatternsView.tsx'));
const ModelView = lazy(() => import('./views/Model/ModelView.tsx'));
const EstimateView = lazy(() => import('./views/Estimate/EstimateView.tsx'));

/** Views after Accounts, in nav order; one without a component is shown as "soon", not linked yet. */
const VIEWS: readonly { path: string; label: string; component?: React.ComponentType }[] = [
  { path: '/patterns', label: 'Patterns', component: PatternsView },
  { path: '/estimate', label: 'Estimate', component: EstimateView },
  { path: '/model', label: 'Model', component: ModelView },
];

/** A link typed or pasted with a broken escape (/accounts/%ZZ) opens the not-found page, not a crash. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The Account page's five requests start with the route, in the app's own chunk: from the lazy
 * view they waited for its chunk, then for the account before the sections asked for theirs
 * (~1 s to the first number on a cold load, in steps; each answer takes under 12 ms).
 */
function AccountRoute({ id }: { id: string }) {
  usePrefetchQuery(accountQuery(id));
  usePrefetchQuery(breakdownQuery(id));
  usePrefetchQuery(actionsQuery(id));
  usePrefetchQuery(cxQuery(id));
  usePrefetchQuery(forecastQuery(id));
  return <AccountView id={id} />;
}

function Nav() {
  const [location] = useLocation();
  const health = useQuery(healthQuery());
  // a prospect's page is its estimate's result: the Estimate tab is where the user is
  const prospectPage = location.startsWith('/accounts/prospect-');
  const accountsActive = location === '/' || (location.startsWith('/accounts') && !prospectPage);
  const active = (path: string) =>
    location === path || location.startsWith(`${path}/`) || (path === '/estimate' && prospectPage);
  return (
    <header className="topbar">
      {/* signed in (OIDC): on a phone the Sign out button takes the logo's place */}
      <div className={health.data?.signOut ? 'topbar-inner signed-in' : 'topbar-inner'}>
        <Link href="/" className="brand" aria-label="Cockpit home">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="var(--brand)" />
            <path
              d="M8 21l5-6 4 3 7-9"
              stroke="white"
              strokeWidth="3"
              fill="none"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span>Cockpit</span>
        </Link>
        <nav aria-label="Main" className="nav">
          <Link href="/" className="nav-link" aria-current={accountsActive ? 'page' : undefined}>
            Accounts
          </Link>
          {VIEWS.map((c) =>
            c.component ? (
              <Link
                key={c.path}
                href={c.path}
                className="nav-link"
                aria-current={active(c.path) ? 'page' : undefined}
              >
                {c.label}
              </Link>
            ) : (
              <span
                key={c.path}
                className="nav-link nav-soon"
                aria-disabled="true"
                title={`${c.label}: coming soon`}
              >
                {c.label}
                <span className="soon-badge">soon</span>
              </span>
            ),
          )}
        </nav>
        <div className="topbar-meta">
          {health.data?.dataAsOf && (
            <span
              title={`Latest conversation in the data: ${dateTimeLabel(health.data.dataAsOf)} (the data's days are UTC days)`}
            >
              Data as of {dateLabel(health.data.dataAsOf)}
            </span>
          )}
        </div>
        {health.data?.signOut && (
          <SignOut action={health.data.signOut} user={health.data.user} role={health.data.role} />
        )}
      </div>
    </header>
  );
}

/** where the window was scrolled on each path, so Back returns there */
const scrollByPath = new Map<string, number>();
/** the window's scroll before the route changed (read in the effect, the new page has reset it) */
let lastScrollY = 0;
if (typeof window !== 'undefined') {
  window.addEventListener(
    'scroll',
    () => {
      lastScrollY = window.scrollY;
    },
    { passive: true },
  );
}

function ScrollToTop() {
  const [location] = useLocation();
  const first = useRef(true);
  const previous = useRef(location);
  useEffect(() => {
    scrollByPath.set(previous.current, lastScrollY);
    previous.current = location;
    // Back or Forward: where the page was left (once its content has laid out), not the top
    const saved = cameBack() ? scrollByPath.get(location) : undefined;
    if (saved !== undefined) requestAnimationFrame(() => window.scrollTo(0, saved));
    else window.scrollTo(0, 0);
    // a new view: focus starts at its content, and a screen reader reads it (not on the first load,
    // nor on a way back, where the page puts focus back on what was opened)
    const main = document.getElementById('main');
    if (first.current) first.current = false;
    else if (saved === undefined) main?.focus({ preventScroll: true });
    // on a way back, the page may put focus back on what was opened (the triage's row); if it
    // does not, focus starts at the content as on any other way in
    else
      setTimeout(() => {
        if (document.activeElement === document.body) main?.focus({ preventScroll: true });
      }, 100);
  }, [location]);
  return null;
}

export function App() {
  const [location] = useLocation();
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Nav />
      <ScrollToTop />
      <main id="main" className="main" tabIndex={-1}>
        <ViewErrorBoundary key={location}>
          <Suspense fallback={<LoadingState label="Loading view" minHeight={320} />}>
            <Switch>
              <Route path="/" component={AccountsView} />
              {/* the Accounts view lives at the root; its name as a path is where people look for it */}
              <Route path="/accounts">
                <AccountsAlias />
              </Route>
              <Route path="/accounts/:id">{(params) => <AccountRoute id={safeDecode(params.id)} />}</Route>
              {VIEWS.map((c) =>
                c.component ? (
                  <Route key={c.path} path={c.path} component={c.component} />
                ) : (
                  <Route key={c.path} path={c.path}>
                    <ComingSoon title={c.label} />
                  </Route>
                ),
              )}
              <Route>
                <NotFound />
              </Route>
            </Switch>
          </Suspense>
        </ViewErrorBoundary>
      </main>
    </>
  );
}

function AccountsAlias() {
  const search = useSearch();
  return <Redirect to={search ? `/?${search}` : '/'} replace />;
}
