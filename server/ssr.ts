/**
 * The triage page (/) with its first screen already rendered (issue 12: first rows ≤ 1 s at 10,000
 * accounts). The renderer is the web app's own (web/src/ssr.tsx, built by `npm run build` into
 * dist/ssr/ssr.js) and is loaded from the build like any other asset, so the server imports no web
 * code. It renders the page for the URL's sort, filters and search from the account list the API
 * serves (asked through the typed client, so the two cannot differ), and the result is kept per
 * list version (its ETag) and search. Without a build, or when rendering fails, the page is served
 * as it is built and the browser renders everything, as before.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hc } from 'hono/client';
import type { TriageResponse } from './api-types.ts';
import type { AppType } from './app.ts';

type RenderTriagePage = (body: TriageResponse, search: string) => string;

/** searches longer than this are not rendered ahead (nobody types one; a client could, many) */
const MAX_SEARCH = 512;
/** rendered pages kept per account-list version */
const MAX_PAGES = 32;
/**
 * New renders allowed per second, and in a burst: at 10,000 accounts one costs ~0.1 s of the
 * server's only thread, so a client sending a new search per request could otherwise keep it busy.
 * Over the budget the plain page is served, which is only slower to show its rows.
 */
const RENDERS_PER_SECOND = 4;
const RENDER_BURST = 8;
const ROOT = '<div id="root"></div>';

export interface TriagePrerender {
  /** the built index.html with the triage for `search` inside #root, or null to serve the plain page */
  page(
    api: { fetch: (req: Request) => Response | Promise<Response> },
    search: string,
  ): Promise<string | null>;
}

export function triagePrerender(dist: string, log: (m: string) => void): TriagePrerender {
  const rendererFile = join(dist, 'ssr', 'ssr.js');
  const indexFile = join(dist, 'index.html');
  let renderer: { mtimeMs: number; render: Promise<RenderTriagePage | null> } | null = null;
  let template: { mtimeMs: number; html: string } | null = null;
  let pages = new Map<string, string>();
  let pagesOf = '';
  let tokens = RENDER_BURST;
  let refilledAt = performance.now();
  const mayRender = () => {
    const now = performance.now();
    tokens = Math.min(RENDER_BURST, tokens + ((now - refilledAt) / 1000) * RENDERS_PER_SECOND);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens--;
    return true;
  };

  const modified = (file: string) => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return null;
    }
  };

  /** the renderer of the current build (a rebuild while the server runs is picked up) */
  const currentRenderer = (): Promise<RenderTriagePage | null> => {
    const mtimeMs = modified(rendererFile);
    if (mtimeMs === null) return Promise.resolve(null);
    if (renderer?.mtimeMs !== mtimeMs) {
      // a new URL per build: Node caches modules by URL
      const url = `${pathToFileURL(rendererFile).href}?v=${mtimeMs}`;
      renderer = {
        mtimeMs,
        render: import(url).then(
          (mod: { renderTriagePage?: unknown }) => {
            if (typeof mod.renderTriagePage === 'function') return mod.renderTriagePage as RenderTriagePage;
            log(`${rendererFile} has no renderTriagePage: the triage is rendered in the browser only`);
            return null;
          },
          (err: Error) => {
            log(`cannot load ${rendererFile}: ${err.message}; the triage is rendered in the browser only`);
            return null;
          },
        ),
      };
      pages = new Map();
    }
    return renderer.render;
  };

  const currentTemplate = (): string | null => {
    const mtimeMs = modified(indexFile);
    if (mtimeMs === null) return null;
    if (template?.mtimeMs !== mtimeMs) {
      template = { mtimeMs, html: readFileSync(indexFile, 'utf8') };
      // pages made from the old page name the old build's assets
      pages = new Map();
    }
    return template.html.includes(ROOT) ? template.html : null;
  };

  return {
    async page(api, search) {
      if (search.length > MAX_SEARCH) return null;
      const render = await currentRenderer();
      const html = currentTemplate();
      if (!render || !html) return null;
      const client = hc<AppType>('http://cockpit.local', {
        fetch: (input: RequestInfo | URL, init?: RequestInit) => api.fetch(new Request(input, init)),
      });
      const res = await client.api.accounts.$get({ query: { status: 'all', view: 'triage' } });
      if (!res.ok) return null;
      const version = res.headers.get('etag') ?? '';
      if (version !== pagesOf) {
        pages = new Map();
        pagesOf = version;
      }
      let page = pages.get(search);
      if (page === undefined) {
        if (!mayRender()) {
          await res.body?.cancel();
          return null;
        }
        const body = await res.json();
        if (!('view' in body)) return null;
        try {
          // inert until the app replaces it: a click on a sort button that cannot sort yet would be lost
          const prerendered = `<div id="root"><div data-prerendered inert>${render(body, search)}</div></div>`;
          // a function, not a string: "$`" or "$'" typed in the search box or in a prospect's name
          // would otherwise be read by String.replace as "the page before / after" and paste it in
          page = html.replace(ROOT, () => prerendered);
        } catch (err) {
          log(`rendering the triage ahead failed (${(err as Error).message}); served without it`);
          return null;
        }
        if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value ?? '');
        pages.set(search, page);
      } else await res.body?.cancel();
      return page;
    },
  };
}
