/** The app: the query client's defaults and the root render (loaded by the entry, main.tsx). */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ApiError } from './api/client.ts';
import { accountsQuery } from './api/queries.ts';

const isFinal = (error: unknown) => error instanceof ApiError && error.status >= 400 && error.status < 500;

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: Number.POSITIVE_INFINITY,
      refetchOnWindowFocus: false,
      // 4xx answers are final (unknown account, bad query); retry network/5xx twice
      retry: (failures, error) => !isFinal(error) && failures < 2,
      // …and not asked again when the next component that reads it mounts: an unknown account
      // was fetched twice (the route's prefetch, then the page's own query)
      retryOnMount: (query) => !isFinal(query.state.error),
    },
  },
});

// the account list the entry asked for early goes into the cache now: when it has arrived, the
// triage's first render shows the table instead of a loading state and a second render
if (window.location.pathname === '/') void queryClient.prefetchQuery(accountsQuery());

/** Renders the app. */
export function renderApp() {
  const root = document.getElementById('root');
  if (!root) throw new Error('missing #root');
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
