/** One queryOptions factory per endpoint. The data is precomputed, so it never goes stale. */
import { queryOptions } from '@tanstack/react-query';
import { decodeTriage } from '../views/Accounts/triageData.ts';
import { ApiError, api, call, client } from './client.ts';

export const DEFAULT_MINUTES_PER_CONVERSATION = 6;

export const healthQuery = () =>
  queryOptions({ queryKey: ['health'], queryFn: api.health, staleTime: Number.POSITIVE_INFINITY });

async function fetchTriage() {
  const res = await call(() => client.api.accounts.$get({ query: { status: 'all', view: 'triage' } }));
  const body = await res.json();
  if (!('view' in body))
    throw new ApiError(res.status, 'unexpected_shape', 'The server sent no triage columns');
  return decodeTriage(body);
}

/**
 * On the triage page (/) the account list is asked for as soon as the app's entry code runs, in
 * parallel with loading the view's code, instead of after the view has loaded and rendered once
 * (at 10,000 accounts that wait was a third of the time to the first rows). The first query takes
 * this answer; later ones fetch their own.
 */
let earlyTriage: Promise<Awaited<ReturnType<typeof fetchTriage>>> | null =
  typeof window !== 'undefined' && window.location?.pathname === '/' ? fetchTriage() : null;
// a failure is reported by the query that takes the promise, not as an unhandled rejection
earlyTriage?.catch(() => {});

/** The triage's account list: the compact columns of GET /api/accounts?view=triage, decoded. */
export const accountsQuery = () =>
  queryOptions({
    queryKey: ['accounts', 'triage'],
    queryFn: () => {
      const early = earlyTriage;
      earlyTriage = null;
      return early ?? fetchTriage();
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

export const accountQuery = (id: string) =>
  queryOptions({
    queryKey: ['account', id],
    queryFn: () => api.account(id),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const breakdownQuery = (id: string) =>
  queryOptions({
    queryKey: ['account', id, 'breakdown'],
    queryFn: () => api.breakdown(id),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const actionsQuery = (id: string) =>
  queryOptions({
    queryKey: ['account', id, 'actions'],
    queryFn: () => api.actions(id),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const cxQuery = (id: string) =>
  queryOptions({
    queryKey: ['account', id, 'cx'],
    queryFn: () => api.cx(id),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const forecastQuery = (id: string) =>
  queryOptions({
    queryKey: ['account', id, 'forecast'],
    queryFn: () => api.forecast(id),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const samplesQuery = (id: string, taxonomyId: string) =>
  queryOptions({
    queryKey: ['account', id, 'samples', taxonomyId],
    queryFn: () => api.samples(id, taxonomyId),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const patternsQuery = (vertical: string, period: number) =>
  queryOptions({
    queryKey: ['patterns', vertical, period],
    queryFn: () => api.patterns(vertical, period),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const modelQuery = () =>
  queryOptions({ queryKey: ['model'], queryFn: api.model, staleTime: Number.POSITIVE_INFINITY });
