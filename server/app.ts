/**
 * The API (SPEC §6): one sub-app per area, chained so `AppType` carries every route's types to
 * the web client. The database is opened read-only and every response is precomputed data.
 */
import type Database from 'better-sqlite3';
import { Hono } from 'hono';
import { openProspectStore } from './db/prospects.ts';
import { createQueries } from './db/queries.ts';
import { errorBody, handleError } from './errors.ts';
// estimate: prospect upload (docs/estimate.md)
import { benchmarkSource } from './estimate/benchmarks.ts';
import { accountsRoutes } from './routes/accounts.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { estimateRoutes } from './routes/estimate.ts';

export interface AppOptions {
  /** writable SQLite file for saved prospects; null = in memory; default env COCKPIT_PROSPECTS_DB, else in memory */
  prospectsDb?: string | null;
  /** upload limit of POST /api/estimate in bytes (default MAX_ESTIMATE_BYTES) */
  estimateMaxBytes?: number;
}

export function createApp(db: Database.Database, options: AppOptions = {}) {
  const q = createQueries(db);
  // estimate: saved prospects live in their own file; the serving database stays read-only
  const prospects = openProspectStore(
    options.prospectsDb === undefined ? (process.env.COCKPIT_PROSPECTS_DB ?? null) : options.prospectsDb,
  );
  const app = new Hono()
    .basePath('/api')
    .get('/health', (c) =>
      c.json({
        ok: true as const,
        dataAsOf: q.meta.dataAsOf,
        month: q.meta.currentMonth,
        monthToDate: q.meta.monthToDate,
        accounts: q.meta.accounts,
        conversations: q.meta.conversations,
        taxonomyVersion: q.meta.taxonomyVersion,
        builtAt: q.meta.builtAt,
      }),
    )
    .get('/taxonomy', (c) => c.json({ version: q.meta.taxonomyVersion, leaves: q.taxonomy() }))
    .route('/accounts', accountsRoutes(q, prospects))
    .route(
      '/estimate',
      estimateRoutes({
        benchmarks: benchmarkSource(db),
        store: prospects,
        ...(options.estimateMaxBytes !== undefined && { maxBytes: options.estimateMaxBytes }),
      }),
    )
    .route('/', analysisRoutes(db));
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(handleError);
  return app;
}

export type AppType = ReturnType<typeof createApp>;
