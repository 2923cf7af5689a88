/**
 * The triage's first screen as HTML, rendered by the server (built by `vite build --ssr` into
 * dist/ssr/; server/ssr.ts loads it). The same components the browser runs render the page for the
 * URL's own sort, filters and search, from the same account list the page would fetch, so the
 * first rows are on screen as soon as the page itself has arrived, instead of after React, the app
 * and the list have loaded and run (about a second on this project's machine at 10,000 accounts).
 * The browser's first render then replaces this markup (root.tsx); until then it is inert.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { Router } from 'wouter';
import { App } from './App.tsx';
import { accountsQuery } from './api/queries.ts';
import type { TriageResponse } from './api/server-types.ts';
import { decodeTriage } from './views/Accounts/triageData.ts';

/** The page at `/` with `search` (`?sort=…&flag=…`, or empty) over this account list, as HTML. */
export function renderTriagePage(body: TriageResponse, search: string): string {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY, retry: false } },
  });
  queryClient.setQueryData(accountsQuery().queryKey, decodeTriage(body));
  const html = renderToString(
    <QueryClientProvider client={queryClient}>
      <Router ssrPath="/" ssrSearch={search.replace(/^\?/, '')}>
        <App />
      </Router>
    </QueryClientProvider>,
  );
  queryClient.clear();
  return html;
}
