/**
 * The entry, small on purpose: it runs as soon as its few kilobytes have loaded, and on the triage
 * page (/) asks at once for the account list and the triage view's code, in parallel with React
 * and the app (root.tsx). Were this the app itself, those requests would wait until all of it had
 * been downloaded, compiled and run, then for the view's code to load and render once.
 */
import { startEarlyTriage } from './api/triageFetch.ts';
import './styles.css';

const onTriage = window.location.pathname === '/';
if (onTriage) startEarlyTriage();
// a triage view that fails to load is left to the route's React.lazy, which shows the error
const triageView = onTriage
  ? import('./views/Accounts/AccountsView.tsx').then(
      (m) => m.default,
      () => undefined,
    )
  : undefined;
const { renderApp } = await import('./root.tsx');
renderApp(await triageView);
