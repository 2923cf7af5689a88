/**
 * The API (SPEC §6): one sub-app per area, chained so `AppType` carries every route's types to
 * the web client. The database is opened read-only and every response is precomputed data.
 */
import type Database from 'better-sqlite3';
import { Hono } from 'hono';
import { createQueries } from './db/queries.ts';
import { errorBody, handleError } from './errors.ts';
import { accountsRoutes } from './routes/accounts.ts';
import { analysisRoutes } from './routes/analysis.ts';

export function createApp(db: Database.Database) {
  const q = createQueries(db);
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
    .route('/accounts', accountsRoutes(q))
    .route('/', analysisRoutes(db));
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(handleError);
  return app;
}

export type AppType = ReturnType<typeof createApp>;
