import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { healthQuery } from './api/queries.ts';
import { LoadingState } from './components/QueryState.tsx';
import { dateLabel } from './lib/format.ts';
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

function Nav() {
  const [location] = useLocation();
  const health = useQuery(healthQuery());
  const accountsActive = location === '/' || location.startsWith('/accounts');
  return (
    <header className="topbar">
      <div className="topbar-inner">
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
                aria-current={location === c.path || location.startsWith(`${c.path}/`) ? 'page' : undefined}
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
            <span title="Latest conversation in the data">Data as of {dateLabel(health.data.dataAsOf)}</span>
          )}
        </div>
      </div>
    </header>
  );
}

function ScrollToTop() {
  const [location] = useLocation();
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on path change only
  useEffect(() => {
    window.scrollTo(0, 0);
    // a new view: focus starts at its content, and a screen reader reads it (not on the first load)
    if (first.current) first.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [location]);
  return null;
}

export function App() {
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Nav />
      <ScrollToTop />
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<LoadingState label="Loading view" minHeight={320} />}>
          <Switch>
            <Route path="/" component={AccountsView} />
            {/* the Accounts view lives at the root; its name as a path is where people look for it */}
            <Route path="/accounts">
              <AccountsAlias />
            </Route>
            <Route path="/accounts/:id">{(params) => <AccountView id={safeDecode(params.id)} />}</Route>
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
      </main>
    </>
  );
}

function AccountsAlias() {
  const search = useSearch();
  return <Redirect to={search ? `/?${search}` : '/'} replace />;
}
