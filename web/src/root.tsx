/** The app: the query client's defaults and the root render (loaded by the entry, main.tsx). */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ApiError } from './api/client.ts';
import { accountsQuery } from './api/queries.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: Number.POSITIVE_INFINITY,
      refetchOnWindowFocus: false,
      // 4xx answers are final (unknown account, bad query); retry network/5xx twice
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
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
