/**
 * Typed API client: `hc<AppType>` infers every route's response from server/app.ts. Responses are
 * assigned (not cast) to the api-types contract, so a drift between the two fails type-checking.
 */
import { hc } from 'hono/client';
import type {
  AccountDetail,
  AccountsResponse,
  ActionsResponse,
  AppType,
  BreakdownResponse,
  CxResponse,
  CxSamplesResponse,
  ForecastResponse,
  HistoryResponse,
  ModelResponse,
  PatternsResponse,
  SamplesResponse,
} from './server-types.ts';

/** An API failure carrying the server's own message (`{error:{code,message}}`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Whether asking again could give another answer: a lost connection, a server error, a timeout or
 * a rate limit can pass; any other 4xx answer (a bad link, an unknown id) will be the same.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

const origin = typeof window !== 'undefined' ? window.location.origin : 'http://127.0.0.1:8787';
export const client = hc<AppType>(origin);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A non-2xx answer's body as an ApiError with the server's own `{error:{code,message}}`. */
export function errorFromBody(status: number, statusText: string, body: string): ApiError {
  try {
    const parsed: unknown = JSON.parse(body);
    const err = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null;
    if (err && typeof err.message === 'string')
      return new ApiError(status, typeof err.code === 'string' ? err.code : 'error', err.message);
  } catch {
    // not JSON (proxy error page, etc.)
  }
  return new ApiError(status, 'http_error', `The server answered ${status} ${statusText}`.trim());
}

/** A non-2xx answer as an ApiError with the server's own `{error:{code,message}}`. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body = '';
  try {
    body = await res.text();
  } catch {
    // the body could not be read: say what the status says
  }
  return errorFromBody(res.status, res.statusText, body);
}

export const NETWORK_ERROR = 'Cannot reach the Cockpit server. Check that it is running.';

/** Set once the health answer says the server signs users in itself (OIDC): where to sign in again. */
let signInPath: string | null = null;

/**
 * A session that ended while the page was open (12 hours, or signed out in another tab) answers
 * 401: the page goes to sign in and comes back to where the user was, instead of showing errors.
 */
function signInAgainOn(error: ApiError): void {
  if (signInPath === null || error.status !== 401 || typeof window === 'undefined') return;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`${signInPath}?returnTo=${encodeURIComponent(here)}`);
}

/** Runs a request; network failures and non-2xx answers become an ApiError with the server's message. */
export async function call<R extends Response>(request: () => Promise<R>): Promise<R> {
  let res: R;
  try {
    res = await request();
  } catch {
    throw new ApiError(0, 'network', NETWORK_ERROR);
  }
  if (!res.ok) {
    const error = await toApiError(res);
    signInAgainOn(error);
    throw error;
  }
  return res;
}

const accounts = client.api.accounts;
/** hc substitutes path params verbatim, so ids are encoded here. */
const enc = (id: string) => encodeURIComponent(id);

export const api = {
  /** the server's state, and who is signed in (the headers every signed-in answer carries) */
  async health() {
    const res = await call(() => client.api.health.$get());
    const body = await res.json();
    if (body.signOut !== null) signInPath = '/auth/login';
    const user = res.headers.get('x-cockpit-user');
    return {
      ...body,
      user: user === null ? null : decodeURIComponent(user),
      role: res.headers.get('x-cockpit-role'),
    };
  },
  /** the documented list (SPEC §6); the triage loads its compact form instead (api/queries.ts) */
  async accounts(): Promise<AccountsResponse> {
    const res = await call(() => accounts.$get({ query: { status: 'all' } }));
    const body = await res.json();
    // the same endpoint answers the triage's columns (TriageResponse) only when asked with view=triage
    if ('view' in body)
      throw new ApiError(res.status, 'unexpected_shape', 'The server sent the triage columns');
    return body;
  },
  async account(id: string): Promise<AccountDetail> {
    const res = await call(() => accounts[':id'].$get({ param: { id: enc(id) } }));
    return res.json();
  },
  async breakdown(id: string): Promise<BreakdownResponse> {
    const res = await call(() => accounts[':id'].breakdown.$get({ param: { id: enc(id) } }));
    return res.json();
  },
  async actions(id: string): Promise<ActionsResponse> {
    const res = await call(() => accounts[':id'].actions.$get({ param: { id: enc(id) } }));
    return res.json();
  },
  async cx(id: string): Promise<CxResponse> {
    const res = await call(() => accounts[':id'].cx.$get({ param: { id: enc(id) } }));
    return res.json();
  },
  async forecast(id: string): Promise<ForecastResponse> {
    const res = await call(() => accounts[':id'].forecast.$get({ param: { id: enc(id) } }));
    return res.json();
  },
  async history(id: string): Promise<HistoryResponse> {
    const res = await call(() => accounts[':id'].history.$get({ param: { id: enc(id) } }));
    return res.json();
  },
  async samples(id: string, taxonomyId: string): Promise<SamplesResponse> {
    const res = await call(() =>
      accounts[':id'].samples.$get({ param: { id: enc(id) }, query: { taxonomyId } }),
    );
    return res.json();
  },
  async cxSamples(id: string, score: number): Promise<CxSamplesResponse> {
    const res = await call(() =>
      accounts[':id'].cx.samples.$get({ param: { id: enc(id) }, query: { score: String(score) } }),
    );
    return res.json();
  },
  async patterns(vertical: string, period: number): Promise<PatternsResponse> {
    const res = await call(() => client.api.patterns.$get({ query: { vertical, period: String(period) } }));
    return res.json();
  },
  async model(): Promise<ModelResponse> {
    const res = await call(() => client.api.model.$get());
    return res.json();
  },
};
