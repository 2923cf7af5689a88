/**
 * The API (SPEC §6): one sub-app per area, chained so `AppType` carries every route's types to
 * the web client. The database is opened read-only and every response is precomputed data.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { Hono } from 'hono';
import { type AuditEntry, appendAudit, auditLogPath } from './audit.ts';
import { openProspectStore, type ProspectStore } from './db/prospects.ts';
import { createQueries } from './db/queries.ts';
import { ApiError, clipped, errorBody, handleError } from './errors.ts';
// estimate: prospect upload (docs/estimate.md)
import { benchmarkSource } from './estimate/benchmarks.ts';
import { EstimatePool } from './estimate/pool.ts';
import { accountsRoutes } from './routes/accounts.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { estimateRoutes } from './routes/estimate.ts';

export interface AppOptions {
  /** writable SQLite file for saved prospects; null = in memory; default env COCKPIT_PROSPECTS_DB, else in memory */
  prospectsDb?: string | null;
  /** an open store to use instead (the server keeps one store across serving-database swaps) */
  prospects?: ProspectStore;
  /** upload limit of POST /api/estimate in bytes (default MAX_ESTIMATE_BYTES) */
  estimateMaxBytes?: number;
  /** audit log file (server/audit.ts); default audit.jsonl beside the prospects file; null = none */
  auditLog?: string | null;
  /** who sent a request (the signed-in user), for the audit log; default `local` */
  who?: (req: Request) => string;
  /** where a signed-in user signs out (OIDC sign-in: `/auth/logout`; a sign-in proxy has its own) */
  signOutPath?: string;
  /** uploads per client per minute (default 120) */
  uploadsPerMinute?: number;
  /** estimates running at once (default 2) */
  maxConcurrentEstimates?: number;
  /** run estimates on worker threads (default true; the server shares one pool across database swaps) */
  estimatePool?: EstimatePool | false;
  /** an upload that sends nothing for this long is stopped (default 30 s) */
  uploadIdleMs?: number;
  /** see EstimateRouteDeps: the slowest average upload rate, and after how long it applies */
  uploadMinBytesPerSecond?: number;
  uploadGraceMs?: number;
  /** why the file on disk is not the build being served (gone, or replaced by one that cannot be opened), or null */
  servingFileProblem?: () => string | null;
}

/**
 * Why the audit log cannot be written to, or null: the file, or before its first line the nearest
 * folder that exists (the first save creates the rest).
 */
function unwritable(path: string): string | null {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    accessSync(at, constants.W_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'not writable';
  }
}

export function createApp(db: Database.Database, options: AppOptions = {}) {
  const q = createQueries(db);
  // estimate: saved prospects live in their own file; the serving database stays read-only
  const prospects =
    options.prospects ??
    openProspectStore(
      options.prospectsDb === undefined ? (process.env.COCKPIT_PROSPECTS_DB ?? null) : options.prospectsDb,
    );
  const auditLog =
    options.auditLog === undefined
      ? prospects.path === ':memory:'
        ? null
        : auditLogPath(prospects.path)
      : options.auditLog;
  const app = new Hono()
    .basePath('/api')
    // API answers hold customers' figures and prospects' conversations: not kept by the browser or
    // a proxy unless a route says otherwise (the cached account list revalidates by its ETag)
    .use('*', async (c, next) => {
      await next();
      if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
    })
    // Hono keeps a parameter whose %-escapes are not UTF-8 as its raw text: "?name=%FF%FE" would
    // save a prospect named "%FF%FE". Refused here, once for every route.
    .use('*', async (c, next) => {
      const at = c.req.url.indexOf('?');
      if (at >= 0 && !decodable(c.req.url.slice(at + 1)))
        throw new ApiError(
          400,
          'bad_request',
          'invalid query: it holds a % that is not the escape of UTF-8 text (write %25 for a % sign)',
        );
      await next();
    })
    .get('/health', (c) => {
      const stored = prospects.health();
      // every save and delete is recorded first: an audit log that cannot be written refuses them all
      // (503), which the store's own state did not show
      const auditProblem = stored.state === 'ok' && auditLog ? unwritable(auditLog) : null;
      const health = auditProblem
        ? {
            ...stored,
            state: 'degraded' as const,
            reason: `the audit log cannot be written (${auditProblem}): saves and deletes are refused`,
          }
        : stored;
      // with sign-in, every viewer reads this: the server's file layout is the operator's business
      // (the log has it), not theirs
      const store = options.who
        ? {
            state: health.state,
            ...(health.reason !== undefined && {
              reason: 'the prospects file cannot be read or written (the server log says why)',
            }),
          }
        : health;
      const built = Date.parse(q.meta.builtAt);
      const fileProblem = options.servingFileProblem?.() ?? null;
      return c.json({
        ok: true as const,
        // degraded: the accounts are served, but prospect features are not, or the database file on
        // disk is no longer the build served (the next start would fail or serve another)
        status: store.state === 'ok' && fileProblem === null ? ('ok' as const) : ('degraded' as const),
        database:
          fileProblem === null
            ? { state: 'ok' as const }
            : {
                state: 'stale' as const,
                reason: options.who
                  ? 'the database file on disk cannot be served (the server log says why)'
                  : fileProblem,
              },
        buildId: q.meta.buildId ?? null,
        ageSeconds: Number.isFinite(built) ? Math.max(0, Math.round((Date.now() - built) / 1000)) : null,
        prospects: store,
        // the web app offers a "Sign out" button when there is somewhere to sign out
        signOut: options.signOutPath ?? null,
        dataAsOf: q.meta.dataAsOf,
        month: q.meta.currentMonth,
        monthToDate: q.meta.monthToDate,
        accounts: q.meta.accounts,
        conversations: q.meta.conversations,
        taxonomyVersion: q.meta.taxonomyVersion,
        builtAt: q.meta.builtAt,
      });
    })
    .get('/taxonomy', (c) => c.json({ version: q.meta.taxonomyVersion, leaves: q.taxonomy() }))
    .route('/accounts', accountsRoutes(q, prospects))
    .route(
      '/estimate',
      estimateRoutes({
        benchmarks: benchmarkSource(db),
        store: prospects,
        ...(auditLog && { audit: (entry: AuditEntry) => appendAudit(auditLog, entry) }),
        ...(options.who && { who: options.who }),
        ...(options.uploadsPerMinute !== undefined && { uploadsPerMinute: options.uploadsPerMinute }),
        ...(options.maxConcurrentEstimates !== undefined && {
          maxConcurrent: options.maxConcurrentEstimates,
        }),
        ...(options.estimatePool !== false && {
          pool: options.estimatePool ?? new EstimatePool(options.maxConcurrentEstimates ?? 2),
        }),
        ...(options.estimateMaxBytes !== undefined && { maxBytes: options.estimateMaxBytes }),
        ...(options.uploadIdleMs !== undefined && { uploadIdleMs: options.uploadIdleMs }),
        ...(options.uploadMinBytesPerSecond !== undefined && {
          uploadMinBytesPerSecond: options.uploadMinBytesPerSecond,
        }),
        ...(options.uploadGraceMs !== undefined && { uploadGraceMs: options.uploadGraceMs }),
      }),
    )
    .route('/', analysisRoutes(db));
  app.notFound((c) => {
    // a known path asked with the wrong method is 405 with the methods it takes (RFC 9110), not 404
    const allow = allowedMethods(app.routes, c.req.path);
    if (allow.length > 0) {
      c.header('allow', allow.join(', '));
      return c.json(
        errorBody(
          'method_not_allowed',
          `${c.req.method} is not allowed on ${clipped(c.req.path, 200)} (allowed: ${allow.join(', ')})`,
        ),
        405,
      );
    }
    return c.json(errorBody('not_found', `no route for ${c.req.method} ${clipped(c.req.path, 200)}`), 404);
  });
  app.onError(handleError);
  return app;
}

export type AppType = ReturnType<typeof createApp>;

/** The methods the app's handlers take on `path` (middleware entries, method ALL, are not handlers). */
export function allowedMethods(routes: readonly { method: string; path: string }[], path: string): string[] {
  const methods = new Set<string>();
  for (const r of routes) {
    if (r.method === 'ALL' || !routePattern(r.path).test(path)) continue;
    methods.add(r.method);
    if (r.method === 'GET') methods.add('HEAD');
  }
  return [...methods].sort();
}

const patterns = new Map<string, RegExp>();
function routePattern(route: string): RegExp {
  let re = patterns.get(route);
  if (!re) {
    const body = route
      .split('/')
      .map((part) =>
        part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    // exactly as the router matches: a trailing slash is another path (404), not a wrong method (405)
    re = new RegExp(`^${body}$`);
    patterns.set(route, re);
  }
  return re;
}

function decodable(query: string): boolean {
  try {
    decodeURIComponent(query);
    return true;
  } catch {
    return false;
  }
}
