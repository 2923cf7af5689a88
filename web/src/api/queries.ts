/** One queryOptions factory per endpoint. The data is precomputed, so it never goes stale. */
import { queryOptions } from '@tanstack/react-query';
import { api } from './client.ts';
import { fetchTriage, takeEarlyTriage } from './triageFetch.ts';

export const DEFAULT_MINUTES_PER_CONVERSATION = 6;

export const healthQuery = () =>
  queryOptions({ queryKey: ['health'], queryFn: api.health, staleTime: Number.POSITIVE_INFINITY });

/** The triage's account list: the compact columns of GET /api/accounts?view=triage, decoded. */
export const accountsQuery = () =>
  queryOptions({
    queryKey: ['accounts', 'triage'],
    queryFn: () => takeEarlyTriage() ?? fetchTriage(),
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

export const historyQuery = (id: string) =>
  queryOptions({
    queryKey: ['account', id, 'history'],
    queryFn: () => api.history(id),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const samplesQuery = (id: string, taxonomyId: string) =>
  queryOptions({
    queryKey: ['account', id, 'samples', taxonomyId],
    queryFn: () => api.samples(id, taxonomyId),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const cxSamplesQuery = (id: string, score: number) =>
  queryOptions({
    queryKey: ['account', id, 'cx-samples', score],
    queryFn: () => api.cxSamples(id, score),
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
