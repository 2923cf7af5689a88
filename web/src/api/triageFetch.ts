/**
 * The triage's account list (`GET /api/accounts?view=triage`, decoded), and its early start: on
 * the triage page (/) the entry asks for it before React and the app's code have loaded, so the
 * download runs in parallel with theirs instead of after them.
 */
import { decodeTriage, type TriageData } from '../views/Accounts/triageData.ts';
import { ApiError, call, client } from './client.ts';

/** the request; the server's Link header on / preloads exactly it (server/serve.ts TRIAGE_PRELOAD) */
export const TRIAGE_QUERY = { status: 'all', view: 'triage' } as const;

export async function fetchTriage(): Promise<TriageData> {
  const res = await call(() => client.api.accounts.$get({ query: TRIAGE_QUERY }));
  const body = await res.json();
  if (!('view' in body))
    throw new ApiError(res.status, 'unexpected_shape', 'The server sent no triage columns');
  return decodeTriage(body);
}

let early: Promise<TriageData> | null = null;

/** Starts the fetch now; the first query for the list takes this answer (startEarlyTriage is called once, by the entry). */
export function startEarlyTriage(): void {
  early = fetchTriage();
  // a failure is reported by the query that takes the promise, not as an unhandled rejection
  early.catch(() => {});
}

/** The early answer, once: later queries (a refetch, a retry) fetch their own. */
export function takeEarlyTriage(): Promise<TriageData> | null {
  const taken = early;
  early = null;
  return taken;
}
