/** The one process `npm start` runs: the API plus the built web app, on PORT/HOST. */
import { existsSync, type FSWatcher, type Stats, statSync, unwatchFile, watch, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server as NodeHttpServer, RequestListener, ServerResponse } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type Database from 'better-sqlite3';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { type AppOptions, createApp } from './app.ts';
import { appendAudit, auditLogPath } from './audit.ts';
import { openServingDb } from './db/open.ts';
import { openProspectStore } from './db/prospects.ts';
import { clipped, errorBody } from './errors.ts';
import { EstimatePool } from './estimate/pool.ts';
import { oidcSignIn } from './oidc.ts';
import {
  type AccessConfig,
  hostAllowlist,
  proxySignIn,
  SECURITY_HEADERS,
  sameOriginWrites,
  securityHeaders,
  signedInUser,
} from './security.ts';
import { triagePrerender } from './ssr.ts';

export interface ServeOptions {
  dbPath: string;
  distDir: string;
  port: number;
  host: string;
  /** estimate: writable SQLite file for saved prospects (default: in memory) */
  prospectsDbPath?: string;
  /** who may connect (server/security.ts); default: loopback names only, no sign-in */
  access?: AccessConfig;
  /** saved prospects older than this many days are removed (COCKPIT_PROSPECT_RETENTION_DAYS) */
  prospectRetentionDays?: number;
  log?: (message: string) => void;
  /** how often the database file is also polled for a change (ms; the folder watcher tells first) */
  pollIntervalMs?: number;
}

/** How long a replaced database stays open for requests (an estimate stream) that began on it. */
const RETIRE_AFTER_MS = 5 * 60_000;

/**
 * The serving database as the server sees it: the pipeline builds a new file and renames it over
 * the old one, so the path is watched and a new file is opened and swapped in between requests
 * (requests are answered by whichever generation was current when they arrived). A new file that
 * cannot be opened (an older schema, not a database) is reported and the current one kept.
 */
function servingGenerations(
  dbPath: string,
  appOptions: AppOptions,
  log: (m: string) => void,
  pollIntervalMs = 1000,
) {
  const open = () => {
    const db = openServingDb(dbPath);
    return { db, app: createApp(db, appOptions) };
  };
  // what /api/health says of the file on disk (AppOptions.servingFileProblem)
  let fileProblem: string | null = null;
  appOptions.servingFileProblem = () => fileProblem;
  let current = open();
  const retired = new Set<Database.Database>();
  const reload = (): boolean => {
    let next: ReturnType<typeof open>;
    try {
      next = open();
    } catch (err) {
      const problem = `the database file changed and cannot be opened (${(err as Error).message}); the previous build is still served`;
      // said once, not at every poll while the file stays so
      if (problem !== fileProblem)
        log(
          `the serving database changed but cannot be opened, still serving the previous one: ${(err as Error).message}`,
        );
      fileProblem = problem;
      return false;
    }
    fileProblem = null;
    const old = current;
    current = next;
    retired.add(old.db);
    setTimeout(() => {
      retired.delete(old.db);
      old.db.close();
    }, RETIRE_AFTER_MS).unref();
    log(`serving the rebuilt database ${dbPath}`);
    return true;
  };
  // The file as last served: a rebuild renames a new file over it, an append commits into it.
  const statOf = (): Stats | null => {
    try {
      return statSync(dbPath);
    } catch {
      return null;
    }
  };
  let seen = statOf();
  const check = () => {
    const now = statOf();
    if (!now) {
      if (fileProblem === null)
        log(`the serving database ${dbPath} is gone; still serving the build it held`);
      fileProblem =
        'the database file is gone; the build it held is still served, and the next start cannot serve it';
      return;
    }
    if (now.ino === 0) return;
    if (seen && now.ino === seen.ino && fileProblem?.startsWith('the database file is gone'))
      fileProblem = null;
    if (seen && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs && now.size === seen.size) return;
    if (reload()) seen = now;
  };
  const onChange = () => check();
  // Told at once by the folder's watcher (an append's commit deletes its journal beside the file),
  // after a short quiet so a build's last writes are done: the list and the account pages, read
  // from memory, then change with the rest within milliseconds instead of at the next poll. The
  // poll stays for file systems that send no events.
  watchFile(dbPath, { interval: pollIntervalMs, persistent: false }, onChange);
  let quiet: NodeJS.Timeout | null = null;
  const name = basename(dbPath);
  // the file itself and SQLite's own beside it (an append's commit deletes its journal)
  const ours = new Set([name, `${name}-journal`, `${name}-wal`]);
  let folder: FSWatcher | null = null;
  try {
    folder = watch(dirname(resolve(dbPath)), { persistent: false }, (_event, file) => {
      if (file !== null && !ours.has(String(file))) return;
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(check, 25);
      quiet.unref();
    });
    folder.on('error', () => folder?.close());
  } catch {
    folder = null;
  }
  return {
    get current() {
      return current;
    },
    reload,
    close() {
      unwatchFile(dbPath, onChange);
      folder?.close();
      if (quiet) clearTimeout(quiet);
      current.db.close();
      for (const db of retired) db.close();
      retired.clear();
    },
  };
}

export function createServer(opts: ServeOptions) {
  const prospectsPath = opts.prospectsDbPath ?? null;
  const prospects = openProspectStore(prospectsPath, {
    ...(opts.prospectRetentionDays !== undefined && { retentionDays: opts.prospectRetentionDays }),
    ...(prospectsPath !== null &&
      prospectsPath !== ':memory:' && {
        onExpire: (p: { id: string; name: string }) =>
          appendAudit(auditLogPath(resolve(prospectsPath)), {
            action: 'prospect.expire',
            who: 'retention',
            target: p.id,
            name: p.name,
          }),
      }),
  });
  // one clock for every line the server writes: an operator reads them beside other systems' logs
  const log = opts.log ?? ((m: string) => console.log(`${new Date().toISOString()} ${m}`));
  const access = opts.access ?? { allowedHosts: [], auth: null };
  const auth = access.auth;
  const estimatePool = new EstimatePool(2);
  const serving = servingGenerations(
    opts.dbPath,
    {
      prospects,
      estimatePool,
      // The signed-in user; without sign-in the server is loopback-only and the user `local`.
      ...(auth && { who: signedInUser }),
      ...(auth?.mode === 'oidc' && { signOutPath: '/auth/logout' }),
    },
    log,
    opts.pollIntervalMs,
  );
  const root = new Hono();
  // One line for each request answered with an error (a 404 for a page or an asset included): what
  // an operator looks for after a complaint — refused hosts and origins, stalled uploads, bad files.
  // The path only: queries and bodies may hold customers' words.
  root.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    if (c.res.status >= 400)
      log(
        `${c.req.method} ${c.req.path.slice(0, 200)} ${c.res.status} ${Math.round(performance.now() - started)} ms`,
      );
  });
  root.use('*', securityHeaders());
  root.use('*', hostAllowlist(access));
  root.use('*', sameOriginWrites());
  if (auth?.mode === 'proxy') root.use('*', proxySignIn(auth));
  if (auth?.mode === 'oidc') {
    const signIn = oidcSignIn(auth, prospects);
    root.use('*', signIn.guard);
    root.route('/', signIn.routes);
  }
  // The API app answers every /api path (its own JSON 404 included), so none reaches the pages.
  root.all('/api/*', (c) => serving.current.app.fetch(c.req.raw, c.env));
  const dist = resolve(opts.distDir);
  const indexHtml = join(dist, 'index.html');
  // Hashed assets may be cached forever; index.html must not be, so a rebuild shows at once.
  root.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // The page is revalidated on every load, so a rebuilt app never asks for assets that are gone.
  root.use('*', async (c, next) => {
    await next();
    if (c.res.status === 200 && c.res.headers.get('content-type')?.startsWith('text/html'))
      c.header('Cache-Control', 'no-cache');
  });
  // The triage (/) needs the account list before it can show a row: the Link header starts its
  // download with the page's, before any script has loaded. It must be the exact request the
  // page's entry makes (web/src/api/triageFetch.ts), or the browser fetches it twice.
  root.use('/', async (c, next) => {
    await next();
    if (c.req.method === 'GET' && c.res.headers.get('content-type')?.startsWith('text/html'))
      c.header('Link', `<${TRIAGE_PRELOAD}>; rel=preload; as=fetch; crossorigin`);
  });
  // The triage with its first screen already rendered, for the URL's sort and filters (server/ssr.ts).
  const prerender = triagePrerender(dist, log);
  // the rendered page is ~40 KB of HTML, ~6 KB compressed (the assets come compressed from the build)
  root.get('/', compress(), async (c, next) => {
    const page = await prerender.page(serving.current.app, new URL(c.req.url).search);
    if (page === null) return next();
    return c.html(page);
  });
  // dist/ssr/ is the server's own renderer, loaded from disk (server/ssr.ts); not a page asset
  root.all('/ssr/*', (c) => c.text('not found', 404, { 'cache-control': 'no-store' }));
  root.use('*', serveStatic({ root: dist, precompressed: true }));
  // A missing asset is a 404 (never the index page, which would then be cached as the asset).
  root.get('/assets/*', (c) => c.text('not found', 404, { 'cache-control': 'no-store' }));
  // A file the build does not have (/favicon.ico, /robots.txt, /.git/config: a last segment with a
  // dot, or a dot-segment) is a 404, not the app's page under that name. No app route looks like
  // one except an account's: its id may hold dots (a prospect named "acme.io"), so /accounts/* stays.
  root.get('*', (c, next) =>
    // (the app's routes match any case: /Accounts/acme.io is an account page too)
    /\/\.|\.[^/]*$/.test(c.req.path) && !c.req.path.toLowerCase().startsWith('/accounts/')
      ? c.text('not found', 404, { 'cache-control': 'no-store' })
      : next(),
  );
  // Client-side routes (/accounts/x, /model …) all load the single-page app.
  root.get('*', serveStatic({ root: dist, rewriteRequestPath: () => '/index.html' }));
  // serveStatic refuses a path it cannot decode or that holds an encoded slash (/accounts/%ZZ,
  // /accounts/a%2Fb) with a bare "404 Not Found": the app's own not-found page says more
  root.get('*', async (c) => {
    if (!existsSync(indexHtml)) return c.text('not found', 404);
    return c.html(await readFile(indexHtml, 'utf8'));
  });
  // Pages and assets are read-only: another method on them is a 405 naming the ones they take
  // (RFC 9110), in the API's error shape, not the plain-text 404 of a path that does not exist.
  root.all('*', (c) => {
    c.header('allow', 'GET, HEAD');
    c.header('cache-control', 'no-store');
    return c.json(
      errorBody(
        'method_not_allowed',
        `${c.req.method} is not allowed on ${clipped(c.req.path, 200)} (allowed: GET, HEAD)`,
      ),
      405,
    );
  });
  if (!existsSync(indexHtml)) console.warn(`warning: ${indexHtml} missing; run npm run build`);
  return {
    app: root,
    /** the serving database currently answering */
    get db() {
      return serving.current.db;
    },
    /**
     * Renders the triage's default first screen now, so the first visitor does not wait for it
     * (at 10,000 accounts ~1 s: the account list's answer, the renderer's loading, the render).
     */
    warm: () => prerender.page(serving.current.app, ''),
    /** re-reads the database file now (the watcher does it within a second of a rebuild) */
    reload: serving.reload,
    prospects,
    close() {
      serving.close();
      prospects.close();
      void estimatePool.close();
    },
  };
}

/** what the triage page's entry asks for first (web/src/api/triageFetch.ts) */
export const TRIAGE_PRELOAD = '/api/accounts?status=all&view=triage';

/**
 * Requests Node's own parser refuses before the app sees them (a URL or headers over its 16 KB
 * limit, a malformed request line) get the API's error shape instead of a bare status line.
 */
/** an error answered below the app: the app's security headers all the same */
function bareErrorHeaders(): Record<string, string> {
  return { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' };
}

export function answerUnparsableRequests(server: Pick<NetServer, 'on'>): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A response already under way on this socket (an estimate's stream, when the client sent
    // bytes past its body): a second status line would land inside its body. Node's own handler
    // checks the same internal field.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    // a HEAD request's answer has no body (Node's own client read one as a second response)
    const head =
      (err as NodeJS.ErrnoException & { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString('latin1') ===
      'HEAD ';
    socket.end(
      head
        ? rawAnswer(
            tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request',
            tooLarge ? 'too_large' : 'bad_request',
            '',
            false,
          )
        : tooLarge
          ? rawAnswer(
              '431 Request Header Fields Too Large',
              'too_large',
              'the request line and headers are over 16 KB',
            )
          : rawAnswer('400 Bad Request', 'bad_request', 'the request could not be parsed as HTTP'),
    );
  });
  // Node answers an Expect other than 100-continue with a bare 417 and closes a CONNECT (this is
  // no proxy) without a word: both get the error shape and the security headers
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(
      errorBody(
        'expectation_failed',
        `only "Expect: 100-continue" is understood, not ${JSON.stringify(String(req.headers.expect).slice(0, 80))}`,
      ),
    );
    res.writeHead(417, { ...bareErrorHeaders(), 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end(
      rawAnswer('405 Method Not Allowed', 'method_not_allowed', 'CONNECT is not served: this is no proxy'),
    );
  });
}

/** A whole HTTP/1.1 response in the error shape, written straight to a socket; `withBody` false for a HEAD. */
function rawAnswer(status: string, code: string, message: string, withBody = true): string {
  const body = withBody ? JSON.stringify(errorBody(code, message)) : '';
  const headers = Object.entries({ ...bareErrorHeaders(), 'Content-Length': String(Buffer.byteLength(body)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${status}\r\n${headers}\r\n${body}`;
}

/**
 * Why @hono/node-server (v2, its `newRequest`/`buildUrl`) would refuse to make a Request of this
 * one, or null: it answers those with an empty bare 400, before the app. Its rules, repeated here
 * so the answer has the API's error shape: a path with a backslash before the query, a target
 * that is neither a path nor an absolute URL (`*`), and a Host whose host name a URL would change
 * (`a:1@evil`, `a/x`, `[::ffff:127.0.0.1]`, `a:`).
 */
function adapterRefusal(target: string, host: string | undefined): string | null {
  const backslash = target.indexOf('\\');
  const query = target.indexOf('?');
  if (backslash !== -1 && (query === -1 || backslash < query)) return 'the request path holds a backslash';
  // absolute form (a proxy's request): the adapter takes the URL as it is and ignores Host
  if (/^https?:\/\//.test(target)) return URL.canParse(target) ? null : 'the request target is not a URL';
  if (!target.startsWith('/')) return 'the request target is not a path';
  if (host === undefined) return null;
  // the adapter's fast path takes these as they are; any other Host must come out of URL parsing
  // as the same host name (lower-cased, port dropped), or it is refused
  if (/^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/.test(host)) return null;
  const hostname = URL.canParse(`http://${host}/`) ? new URL(`http://${host}/`).hostname : null;
  if (
    hostname === null ||
    (hostname.length !== host.length && hostname !== host.replace(/:\d+$/, '').toLowerCase())
  )
    return 'the Host header is not a host name with an optional port';
  return URL.canParse(`http://${host}${target}`) ? null : 'the request target is not a path';
}

/**
 * Node answers an HTTP/1.1 request without a Host header with a bare 400 (its `requireHostHeader`,
 * turned off in startServer); this answers it in the API's error shape instead, before the app,
 * and so every request the adapter would refuse with an empty 400 (adapterRefusal).
 */
export function answerHostlessRequests(server: NodeHttpServer, bindHost?: string): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // HTTP/1.0 has no Host requirement; Node let such requests through before and still does. The
    // adapter then names the request by the address it listens on, which for an IPv6 one (::1)
    // makes no URL unbracketed (an empty bare 400): it gets its brackets here.
    if (req.headers.host === undefined && req.httpVersion === '1.0' && bindHost?.includes(':'))
      req.headers.host = `[${bindHost}]`;
    const host = req.headers.host;
    const why =
      host === undefined && req.httpVersion !== '1.0'
        ? 'the request has no Host header (HTTP/1.1 needs one)'
        : adapterRefusal(req.url ?? '', host);
    if (why) {
      const body = JSON.stringify(errorBody('bad_request', why));
      res.writeHead(400, { ...bareErrorHeaders(), 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    for (const l of listeners) l(req, res);
  });
}

/** how long a stopping server lets requests in flight run on */
const STOP_GRACE_MS = 10_000;

export function startServer(opts: ServeOptions) {
  const cockpit = createServer(opts);
  const { app } = cockpit;
  const server = serve(
    {
      fetch: app.fetch,
      port: opts.port,
      hostname: opts.host,
      // answered in the API's error shape by answerHostlessRequests instead of Node's bare 400
      serverOptions: { requireHostHeader: false },
    },
    (info) => {
      console.log(
        `Cockpit on http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${info.port} (database ${opts.dbPath})`,
      );
      void cockpit.warm();
    },
  );
  answerUnparsableRequests(server);
  answerHostlessRequests(server as NodeHttpServer, opts.host);
  server.on('error', (err: NodeJS.ErrnoException) => {
    const where = `${opts.host}:${opts.port}`;
    if (err.code === 'EADDRINUSE')
      console.error(`port ${where} is already in use: stop the other server or set PORT`);
    else if (err.code === 'EACCES') console.error(`not allowed to listen on ${where}: choose another PORT`);
    else console.error(`cannot serve on ${where}: ${err.message}`);
    process.exit(1);
  });
  // A supervisor's SIGTERM (or Ctrl-C) stops taking connections and lets the requests in flight end
  // — an estimate's stream included — for up to 10 s before the rest are closed; it exited at once,
  // cutting answers and streams mid-way. A second Ctrl-C stops at once (the handlers are once).
  const http = server as NodeHttpServer;
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(
      `${new Date().toISOString()} stopping (${why}): finishing the requests in flight, 10 s at most`,
    );
    const exit = () => {
      cockpit.close();
      process.exit(0);
    };
    http.close(exit);
    http.closeIdleConnections();
    setTimeout(() => {
      http.closeAllConnections();
      exit();
    }, STOP_GRACE_MS).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // npm passes its SIGTERM to the shell that runs the script, and the shell dies without passing it
  // on: under `npm start` the server outlived its supervisor's stop and held the port. Run in the
  // shell's process (node --import tsx), the server sees its parent go and takes that as the signal —
  // under `npm start` only (npm_lifecycle_event, which a child of any npm script inherits): a server
  // started with nohup from a script, npm's own included, is meant to stay.
  if (process.env.npm_lifecycle_event === 'start') {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop('npm, which started it, is gone');
    }, 500).unref();
  }
  return server;
}
