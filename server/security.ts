/**
 * Who may talk to the server (docs/security.md). Cockpit is an internal tool: on loopback it needs
 * no set-up, and everything that makes it reachable from elsewhere is refused unless configured.
 *
 * - Host allowlist: a request must name this server (loopback names, or COCKPIT_ALLOWED_HOSTS), so
 *   a web page whose DNS name was rebound to 127.0.0.1 gets nothing.
 * - Same-origin writes: a state-changing request from a browser must come from a page of this
 *   server (`Origin` / `Sec-Fetch-Site`); non-browser clients send neither and are served (SPEC §6).
 *   Hono's `csrf` middleware checks form content types only, and an upload may carry any type.
 * - Trusted-proxy sign-in (COCKPIT_AUTH=proxy): the user and role come from headers that only the
 *   configured proxy addresses may set.
 * - Security headers (those of Hono's `secureHeaders`, precomputed): CSP, nosniff, no framing, no
 *   referrer.
 */
import { isIPv4 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from './errors.ts';

export type Role = 'viewer' | 'sales' | 'admin';
const ROLES: readonly Role[] = ['viewer', 'sales', 'admin'];

export interface ProxyAuth {
  mode: 'proxy';
  /** addresses of the reverse proxies allowed to set the user headers */
  trustedProxies: string[];
  userHeader: string;
  /** role per user; users not listed get `defaultRole` */
  roles: Record<string, Role>;
  defaultRole: Role | null;
}

export interface OidcAuth {
  mode: 'oidc';
  /** the identity provider's issuer URL (its discovery document is read from it) */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** the URL users open Cockpit at; the sign-in callback is `<publicUrl>/auth/callback` */
  publicUrl: string;
  /** signs the session cookie (at least 32 characters) */
  sessionSecret: string;
  /** reverse proxies (COCKPIT_TRUSTED_PROXIES, 127.0.0.1 for one on this machine) whose X-Forwarded-For names the client, for the sign-in limit */
  trustedProxies: string[];
  /** role per user (e-mail, else subject); users not listed get `defaultRole`, see `domains` */
  roles: Record<string, Role>;
  defaultRole: Role | null;
  /**
   * COCKPIT_OIDC_DOMAINS: when set, the default role goes only to users whose e-mail the provider
   * verified in one of these domains. An identity provider signs in more people than the company's
   * staff (a Google client open to "External" users, self-registration), so without a domain list
   * the default is no role unless COCKPIT_DEFAULT_ROLE is set on purpose.
   */
  domains: string[];
}

export interface AccessConfig {
  /** host names (without port) the server answers to, besides the loopback names */
  allowedHosts: string[];
  auth: ProxyAuth | OidcAuth | null;
}

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** A loopback address: the names above, or an IPv4 literal in 127.0.0.0/8 (not a name like "127.example"). */
export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host) || (isIPv4(host) && host.startsWith('127.'));
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export class AccessConfigError extends Error {}

/** Reads the access settings from the environment; throws AccessConfigError with a one-line reason. */
export function accessConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AccessConfig {
  const allowedHosts = list(env.COCKPIT_ALLOWED_HOSTS).map((h) => h.toLowerCase());
  const mode = env.COCKPIT_AUTH?.trim() || 'none';
  if (mode === 'none') return { allowedHosts, auth: null };
  if (mode !== 'proxy' && mode !== 'oidc')
    throw new AccessConfigError(`COCKPIT_AUTH must be "none", "proxy" or "oidc", got "${mode}"`);
  const roles: Record<string, Role> = {};
  for (const pair of list(env.COCKPIT_ROLES)) {
    const [user, role] = pair.split('=').map((s) => s.trim());
    if (!user || !ROLES.includes(role as Role))
      throw new AccessConfigError(
        `COCKPIT_ROLES: "${pair}" is not user=role with a role of ${ROLES.join(', ')}`,
      );
    roles[user] = role as Role;
  }
  const domains = list(env.COCKPIT_OIDC_DOMAINS).map((d) => d.toLowerCase().replace(/^@/, ''));
  // behind a sign-in proxy the proxy decides who gets in; an identity provider may let in anyone
  // (see OidcAuth.domains), so there an unlisted user gets no role unless it is asked for
  const chosen = env.COCKPIT_DEFAULT_ROLE?.trim();
  const fallback = chosen || (mode === 'proxy' || domains.length > 0 ? 'viewer' : 'none');
  if (fallback !== 'none' && !ROLES.includes(fallback as Role))
    throw new AccessConfigError(`COCKPIT_DEFAULT_ROLE must be none or one of ${ROLES.join(', ')}`);
  const defaultRole = fallback === 'none' ? null : (fallback as Role);
  if (mode === 'oidc') {
    const need = (name: string) => {
      const v = env[name]?.trim();
      if (!v) throw new AccessConfigError(`COCKPIT_AUTH=oidc needs ${name} (docs/security.md)`);
      return v;
    };
    const issuer = need('COCKPIT_OIDC_ISSUER');
    const publicUrl = need('COCKPIT_PUBLIC_URL').replace(/\/+$/, '');
    for (const [name, url] of [
      ['COCKPIT_OIDC_ISSUER', issuer],
      ['COCKPIT_PUBLIC_URL', publicUrl],
    ] as const) {
      const u = URL.parse(url);
      if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || !u.hostname)
        throw new AccessConfigError(`${name} must be an https:// URL, got "${url.slice(0, 200)}"`);
      // over plain http the sign-in code and the session cookie cross the network readable (a
      // browser resolves *.localhost to this machine; Node, which calls the issuer, need not)
      const local =
        isLoopback(u.hostname) || (name === 'COCKPIT_PUBLIC_URL' && u.hostname.endsWith('.localhost'));
      if (u.protocol === 'http:' && !local)
        throw new AccessConfigError(
          `${name} must be https:// (http:// only for a loopback address), got "${url.slice(0, 200)}"`,
        );
    }
    const sessionSecret = need('COCKPIT_SESSION_SECRET');
    if (sessionSecret.length < 32)
      throw new AccessConfigError('COCKPIT_SESSION_SECRET must be at least 32 characters');
    if (Object.keys(roles).length === 0 && defaultRole === null)
      throw new AccessConfigError(
        'COCKPIT_AUTH=oidc would let nobody in: list users in COCKPIT_ROLES, their e-mail domains in COCKPIT_OIDC_DOMAINS, or set COCKPIT_DEFAULT_ROLE (docs/security.md)',
      );
    const publicHost = new URL(publicUrl).hostname.toLowerCase();
    return {
      allowedHosts: allowedHosts.includes(publicHost) ? allowedHosts : [...allowedHosts, publicHost],
      auth: {
        mode: 'oidc',
        issuer,
        clientId: need('COCKPIT_OIDC_CLIENT_ID'),
        clientSecret: need('COCKPIT_OIDC_CLIENT_SECRET'),
        publicUrl,
        sessionSecret,
        roles,
        defaultRole,
        domains,
        trustedProxies: list(env.COCKPIT_TRUSTED_PROXIES),
      },
    };
  }
  const trustedProxies = list(env.COCKPIT_TRUSTED_PROXIES);
  if (trustedProxies.length === 0)
    throw new AccessConfigError(
      'COCKPIT_AUTH=proxy needs COCKPIT_TRUSTED_PROXIES: the addresses of the proxies that may set the user header',
    );
  return {
    allowedHosts,
    auth: {
      mode: 'proxy',
      trustedProxies,
      userHeader: (env.COCKPIT_USER_HEADER?.trim() || 'x-forwarded-user').toLowerCase(),
      roles,
      defaultRole,
    },
  };
}

/** Why serving on `bindHost` with `config` is refused, or null when it is allowed. */
export function bindRefusal(bindHost: string, config: AccessConfig): string | null {
  // a reverse proxy on this machine would serve a loopback server to the network under such a name
  const named = config.allowedHosts.find((h) => !isLoopback(h) && !h.endsWith('.localhost'));
  if (!config.auth && named !== undefined)
    return `COCKPIT_ALLOWED_HOSTS=${named} would let a proxy serve every account, and prospects' conversation text, to the network without sign-in: set COCKPIT_AUTH=oidc or proxy (docs/security.md) or leave COCKPIT_ALLOWED_HOSTS empty`;
  if (isLoopback(bindHost)) return null;
  if (!config.auth)
    return `HOST=${bindHost} would serve every account, and prospects' conversation text, to the network without sign-in: set COCKPIT_AUTH=oidc or proxy (docs/security.md) or keep HOST=127.0.0.1`;
  if (config.allowedHosts.length === 0)
    return `HOST=${bindHost} needs COCKPIT_ALLOWED_HOSTS: the host names users reach Cockpit by (requests naming any other host are refused)`;
  return null;
}

function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  // userinfo or a path in a Host ("localhost:8787@evil.com") names no host of ours: "" is refused
  if (/[@/\\]/.test(h)) return '';
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

export const deny = (c: Context, status: 401 | 403, code: string, message: string) =>
  c.json(errorBody(code, message), status);

/** Answers only requests that name this server. */
export function hostAllowlist(config: AccessConfig): MiddlewareHandler {
  const allowed = new Set([...LOOPBACK_HOSTS, ...config.allowedHosts]);
  return async (c, next) => {
    // a Host header that is there must be allowed, an empty one too; only a request without one
    // (HTTP/1.0, not a browser: no DNS rebinding rides on it) is left to the other checks
    const host = c.req.header('host');
    if (host !== undefined && !allowed.has(hostName(host)))
      return deny(c, 403, 'unknown_host', `this server does not answer to "${hostName(host).slice(0, 100)}"`);
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * State-changing requests from a browser must come from this server's own pages; so must every
 * request to the Estimate API, reads included (SPEC §6: "other origins are refused"), since its
 * answers describe prospects' exports. Requests without browser headers (curl, scripts) pass.
 */
export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (
      !SAFE_METHODS.has(c.req.method) ||
      c.req.path === '/api/estimate' ||
      c.req.path.startsWith('/api/estimate/')
    ) {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const host = c.req.header('host')?.toLowerCase();
      let sameOrigin = true;
      if (site !== undefined && site !== 'same-origin' && site !== 'none') sameOrigin = false;
      // A form posted by one of Cockpit's own pages says "Origin: null": its Referrer-Policy is
      // no-referrer, which blanks the origin of a form's navigation (the Sign out button was refused
      // 403). Sec-Fetch-Site is set by the browser alone, so "same-origin" beside it settles it.
      const ownForm = origin === 'null' && site === 'same-origin';
      if (origin !== undefined && !ownForm) {
        try {
          // A browser sends scheme://host[:port] and nothing else: anything with another scheme,
          // credentials or a path did not come from one of Cockpit's pages. (http vs https cannot
          // be told apart here: behind a TLS proxy the page is https and the request reaches us as http.)
          const u = new URL(origin);
          sameOrigin &&=
            (u.protocol === 'http:' || u.protocol === 'https:') &&
            origin.toLowerCase() === `${u.protocol}//${u.host}` &&
            u.host.toLowerCase() === host;
        } catch {
          sameOrigin = false;
        }
      }
      if (!sameOrigin)
        return deny(
          c,
          403,
          'cross_origin',
          'requests that change data, and the Estimate API, must come from Cockpit’s own pages',
        );
    }
    await next();
  };
}

/**
 * The role of a signed-in user now: listed, else the default. Only the user's own entry counts — a
 * plain object also answers "constructor" or "__proto__" with what it inherits, which let an unlisted
 * user of that name in with write access.
 */
export function roleFor(
  auth: { roles: Record<string, Role>; defaultRole: Role | null; domains?: readonly string[] },
  user: string,
  /** the user is an e-mail address the identity provider verified (not a subject) */
  verifiedEmail = false,
): Role | null {
  if (Object.hasOwn(auth.roles, user)) return auth.roles[user]!;
  if (auth.domains && auth.domains.length > 0) {
    const domain = verifiedEmail ? user.slice(user.lastIndexOf('@') + 1).toLowerCase() : null;
    if (domain === null || !auth.domains.includes(domain)) return null;
  }
  return auth.defaultRole;
}

/** The user each request was signed in as (the API sub-app reads it for the audit log). */
const requestUsers = new WeakMap<Request, string>();
export const signedInUser = (req: Request): string => requestUsers.get(req) ?? 'unknown';

/** Lets a signed-in request through when its role allows it, and labels the answer. */
export async function continueAs(
  c: Context,
  next: () => Promise<void>,
  user: string,
  role: Role,
): Promise<Response | undefined> {
  // writes need a role that grants them, not merely one that is not "viewer"; the refusal says who
  // was refused, as every other answer does
  if (needsSales(c) && role !== 'sales' && role !== 'admin') {
    const refused = deny(c, 403, 'forbidden', 'saving or deleting prospects needs the sales or admin role');
    refused.headers.set('x-cockpit-user', encodeURIComponent(user));
    refused.headers.set('x-cockpit-role', role);
    return refused;
  }
  requestUsers.set(c.req.raw, user);
  await next();
  c.header('x-cockpit-user', encodeURIComponent(user));
  c.header('x-cockpit-role', role);
  return undefined;
}

/** The signed-in user and role under COCKPIT_AUTH=proxy; every request needs one. */
export function proxySignIn(auth: ProxyAuth): MiddlewareHandler {
  const trusted = new Set(auth.trustedProxies);
  return async (c, next) => {
    let remote: string | undefined;
    try {
      remote = getConnInfo(c).remote.address;
    } catch {
      remote = undefined;
    }
    const normalized = remote?.startsWith('::ffff:') ? remote.slice(7) : remote;
    if (!normalized || !trusted.has(normalized))
      return deny(c, 403, 'untrusted_client', 'requests must come through the configured sign-in proxy');
    const user = c.req.header(auth.userHeader)?.trim();
    if (!user) return deny(c, 401, 'unauthenticated', 'sign in first (no user from the proxy)');
    const role = roleFor(auth, user);
    if (!role) return deny(c, 403, 'forbidden', `${user.slice(0, 100)} has no role in Cockpit`);
    return continueAs(c, next, user, role);
  };
}

/** Requests that write prospects: saving an estimate, deleting a prospect. */
function needsSales(c: Context): boolean {
  if (c.req.method === 'DELETE') return true;
  if (c.req.method === 'POST' && /^\/api\/estimate\/prospects\/[^/]+\/save$/.test(c.req.path)) return true;
  if (c.req.method !== 'POST' || c.req.path !== '/api/estimate') return false;
  const save = c.req.query('save');
  return save === '1' || save === 'true';
}

/** The content security policy: the app loads its own scripts and styles only and is never framed. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React and ECharts set inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The headers every response carries: what Hono's `secureHeaders` sends with this CSP,
 * `X-Frame-Options: DENY` and `Referrer-Policy: no-referrer` (tests/security.test.ts checks they
 * stay equal). Written out once so that a response can be built with them already in place.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'DENY',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
  'Content-Security-Policy': CSP,
});
const SECURITY_ENTRIES = Object.entries(SECURITY_HEADERS);

/** Responses built with SECURITY_HEADERS in their initial headers (and no X-Powered-By). */
const preSecured = new WeakSet<Response>();

/**
 * Marks `res` as built with every SECURITY_HEADERS entry in its initial headers, so the
 * middleware has nothing to set: the hot JSON responses (server/cached-json.ts) keep their plain
 * header object, which @hono/node-server writes out without building a Headers instance.
 */
export function preSecuredResponse<R extends Response>(res: R): R {
  preSecured.add(res);
  return res;
}

/** Sets the security headers on every response (already there on pre-secured ones). */
export const securityHeaders = (): MiddlewareHandler => async (c, next) => {
  await next();
  if (preSecured.has(c.res)) return;
  const headers = c.res.headers;
  for (const [name, value] of SECURITY_ENTRIES) headers.set(name, value);
  headers.delete('X-Powered-By');
};
