/** The one process `npm start` runs: the API plus the built web app, on PORT/HOST. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createApp } from './app.ts';
import { openServingDb } from './db/open.ts';
import { errorBody } from './errors.ts';
import {
  type AccessConfig,
  hostAllowlist,
  proxySignIn,
  sameOriginWrites,
  securityHeaders,
} from './security.ts';

export interface ServeOptions {
  dbPath: string;
  distDir: string;
  port: number;
  host: string;
  /** estimate: writable SQLite file for saved prospects (default: in memory) */
  prospectsDbPath?: string;
  /** who may connect (server/security.ts); default: loopback names only, no sign-in */
  access?: AccessConfig;
}

export function createServer(opts: ServeOptions) {
  const db = openServingDb(opts.dbPath);
  const api = createApp(db, { prospectsDb: opts.prospectsDbPath ?? null });
  const access = opts.access ?? { allowedHosts: [], auth: null };
  const root = new Hono();
  root.use('*', securityHeaders());
  root.use('*', hostAllowlist(access));
  if (access.auth) root.use('*', proxySignIn(access.auth));
  root.use('*', sameOriginWrites());
  root.route('/', api);
  root.all('/api/*', (c) =>
    c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404),
  );
  const dist = resolve(opts.distDir);
  const indexHtml = join(dist, 'index.html');
  // Hashed assets may be cached forever; index.html must not be, so a rebuild shows at once.
  root.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  root.use('*', serveStatic({ root: dist }));
  // A missing asset is a 404 (never the index page, which would then be cached as the asset).
  root.get('/assets/*', (c) => c.text('not found', 404, { 'cache-control': 'no-store' }));
  // Client-side routes (/accounts/x, /model …) all load the single-page app.
  root.use('*', async (c, next) => {
    await next();
    if (c.res.status === 200 && c.res.headers.get('content-type')?.startsWith('text/html'))
      c.header('Cache-Control', 'no-cache');
  });
  root.get('*', serveStatic({ root: dist, rewriteRequestPath: () => '/index.html' }));
  if (!existsSync(indexHtml)) console.warn(`warning: ${indexHtml} missing; run npm run build`);
  return { app: root, db };
}

export function startServer(opts: ServeOptions) {
  const { app, db } = createServer(opts);
  const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info) => {
    console.log(
      `Cockpit on http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${info.port} (database ${opts.dbPath})`,
    );
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    const where = `${opts.host}:${opts.port}`;
    if (err.code === 'EADDRINUSE')
      console.error(`port ${where} is already in use: stop the other server or set PORT`);
    else if (err.code === 'EACCES') console.error(`not allowed to listen on ${where}: choose another PORT`);
    else console.error(`cannot serve on ${where}: ${err.message}`);
    process.exit(1);
  });
  const stop = () => {
    server.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
