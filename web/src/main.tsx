/**
 * The entry, small on purpose: it runs as soon as its few kilobytes have loaded, and on the triage
 * page (/) asks at once for the account list and the triage view's code, in parallel with React
 * and the app (root.tsx). Were this the app itself, those requests would wait until all of it had
 * been downloaded, compiled and run, then for the view's code to load and render once.
 */
import { startEarlyTriage } from './api/triageFetch.ts';
import './styles.css';

if (window.location.pathname === '/') {
  startEarlyTriage();
  // the route's React.lazy import then finds the module loaded or loading (a failure shows there)
  import('./views/Accounts/AccountsView.tsx').catch(() => {});
}
void import('./root.tsx');
