/**
 * The entry, small on purpose: it runs as soon as its few kilobytes have loaded, and on the triage
 * page (/) asks for the account list at once, while React and the app (root.tsx, which carries the
 * triage view) are still loading. Were this the app itself, the request would wait until all of it
 * had been downloaded, compiled and run.
 */
import { startEarlyTriage } from './api/triageFetch.ts';
import './styles.css';

if (window.location.pathname === '/') startEarlyTriage();
const { renderApp } = await import('./root.tsx');
renderApp();
