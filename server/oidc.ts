/**
 * OIDC sign-in (COCKPIT_AUTH=oidc) with `openid-client`: the authorization code flow with PKCE,
 * state and nonce; the identity provider is found from its discovery document. A signed-in user
 * gets a signed, HttpOnly session cookie (12 hours); the role comes from COCKPIT_ROLES by e-mail
 * (else subject) or COCKPIT_DEFAULT_ROLE.
 *
 * Routes: `/auth/login?returnTo=/path`, `/auth/callback`, `POST /auth/logout` (GET shows the button:
 * a link elsewhere must not sign anyone out). Without a session, a page request is sent to sign in
 * and an API request is answered 401.
 */

import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { continueAs, deny, isLoopback, type OidcAuth, type Role, roleFor } from './security.ts';

const SESSION_SECONDS = 12 * 3600;
const PENDING_SECONDS = 600;
/** sign-in requests (starts and callbacks) one client address may make a minute */
export const SIGN_IN_PER_MINUTE = 60;

/** Where sign-outs and completed sign-ins are remembered (the prospects file: a restart keeps them). */
export interface SignInLedger {
  signOut(sid: string, untilMs: number): Promise<void>;
  isSignedOut(sid: string): boolean;
  claimSignIn(state: string, untilMs: number): Promise<boolean>;
}

interface Session {
  user: string;
  /** `user` is an e-mail address the provider verified (COCKPIT_OIDC_DOMAINS reads its domain) */
  email: boolean;
  role: Role;
  /** epoch seconds */
  exp: number;
  /** names the session, so signing out ends it on the server too */
  sid: string;
}
interface Pending {
  /** epoch ms: the cookie's Max-Age binds only the browser, a copy of the value is checked here */
  exp: number;
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

/**
 * Only a path on this server: never a URL an attacker could bounce users to. Browsers read a
 * backslash as a slash and drop tabs and newlines, so "/\evil.example" or "/<tab>/evil.example" are
 * "//evil.example" to them: the path is resolved as a browser would, must stay on this origin, and
 * must not itself start with "//" ("/.//evil.example" resolves to that).
 */
export function safeReturnTo(value: string | undefined): string {
  if (!value?.startsWith('/')) return '/';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x5c || code < 0x20 || code === 0x7f) return '/';
  }
  const base = 'http://cockpit.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base || url.pathname.startsWith('//') || url.pathname.startsWith('/auth/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

function parse<T>(json: string | false | undefined): T | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

/**
 * At most `limit` requests a minute from one client address (a window starting at its first
 * request). Written here rather than taken from hono-rate-limiter, which needs unstorage beside it
 * for what is a map and a clock.
 */
function perMinuteLimit(limit: number, trustedProxies: readonly string[]): (c: Context) => boolean {
  const windows = new Map<string, { start: number; n: number }>();
  return (c) => {
    const now = Date.now();
    if (windows.size > 10_000)
      for (const [address, w] of windows) if (now - w.start >= 60_000) windows.delete(address);
    let address = 'unknown';
    try {
      address = getConnInfo(c).remote.address ?? address;
    } catch {
      // app.request() in tests has no socket: one shared budget
    }
    // Behind the TLS proxy an https public URL needs, every user comes from the proxy's address:
    // the client is the first address, from the right of X-Forwarded-For, that is not one of the
    // listed proxies (each appends the address it was reached from). Only listed proxies are read:
    // a client that reaches Cockpit directly would otherwise pick its own key at every request.
    const unmapped = (a: string) => (a.startsWith('::ffff:') ? a.slice(7) : a);
    if (trustedProxies.includes(unmapped(address))) {
      const hops = (c.req.header('x-forwarded-for') ?? '')
        .split(',')
        .map((h) => unmapped(h.trim()))
        .filter(Boolean);
      const client = hops.reverse().find((h) => !trustedProxies.includes(h));
      if (client) address = client;
    }
    let w = windows.get(address);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, n: 0 };
      windows.set(address, w);
    }
    w.n++;
    return w.n <= limit;
  };
}

export function oidcSignIn(auth: OidcAuth, ledger: SignInLedger): { routes: Hono; guard: MiddlewareHandler } {
  const secure = auth.publicUrl.startsWith('https://');
  // "__Host-": a cookie no sibling subdomain can set or shadow with a narrower path (it must be
  // Secure, host-only and for "/"), so nobody can swap their own session into a user's browser
  const SESSION = secure ? '__Host-cockpit_session' : 'cockpit_session';
  const PENDING = secure ? '__Host-cockpit_signin' : 'cockpit_signin';
  const withinLimit = perMinuteLimit(SIGN_IN_PER_MINUTE, auth.trustedProxies);
  // Spent sign-ins: in the prospects file, and here when it cannot be written (a read-only or full
  // file, one from a newer version): sign-in must not depend on the prospects store working.
  const spent = new Map<string, number>();
  const claimOnce = async (state: string): Promise<boolean> => {
    const until = Date.now() + PENDING_SECONDS * 1000;
    if (spent.has(state)) return false;
    for (const [k, t] of spent) if (t <= Date.now()) spent.delete(k);
    spent.set(state, until);
    try {
      return await ledger.claimSignIn(state, until);
    } catch (err) {
      console.error(`sign-in not recorded in the prospects file: ${(err as Error).message}`);
      return true;
    }
  };
  const redirectUri = `${auth.publicUrl}/auth/callback`;
  let config: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    config ??= oidc
      .discovery(new URL(auth.issuer), auth.clientId, auth.clientSecret, undefined, {
        // A plain-http issuer is accepted only on this machine (a local or test identity provider).
        ...(auth.issuer.startsWith('http://') &&
          isLoopback(new URL(auth.issuer).hostname) && { execute: [oidc.allowInsecureRequests] }),
      })
      .catch((err: unknown) => {
        config = null; // try again on the next sign-in
        throw err;
      });
    return config;
  };
  const cookie = { httpOnly: true, secure, sameSite: 'Lax' as const, path: '/' };

  // Sessions signed out, until they would have expired: a copy of the cookie taken before signing
  // out is refused too (a review found it still worked for 12 hours), after a restart as well (a
  // later review: the list was in memory).
  const readSession = async (c: Context): Promise<Session | null> => {
    const s = parse<Session>(await getSignedCookie(c, auth.sessionSecret, SESSION));
    if (!s || !Number.isFinite(s.exp) || s.exp * 1000 <= Date.now()) return null;
    // a cookie from a version without session ids could never be signed out (and kept a name an
    // older version may have taken from an unverified e-mail), one without `email` cannot be
    // matched to COCKPIT_OIDC_DOMAINS: one sign-in after the upgrade
    if (typeof s.sid !== 'string' || typeof s.email !== 'boolean') return null;
    return ledger.isSignedOut(s.sid) ? null : s;
  };
  const tooMany = (c: Context) =>
    c.text('too many sign-in attempts from this address: wait a minute and open Cockpit again', 429, {
      'retry-after': '60',
    });

  const routes = new Hono()
    .get('/auth/login', async (c) => {
      if (!withinLimit(c)) return tooMany(c);
      let cfg: oidc.Configuration;
      try {
        cfg = await configuration();
      } catch (err) {
        return c.text(
          `sign-in is unavailable: the identity provider could not be reached (${(err as Error).message})`,
          502,
        );
      }
      const pending: Pending = {
        exp: Date.now() + PENDING_SECONDS * 1000,
        verifier: oidc.randomPKCECodeVerifier(),
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        returnTo: safeReturnTo(c.req.query('returnTo')),
      };
      await setSignedCookie(c, PENDING, JSON.stringify(pending), auth.sessionSecret, {
        ...cookie,
        maxAge: PENDING_SECONDS,
      });
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return c.redirect(url.href, 302);
    })
    .get('/auth/callback', async (c) => {
      if (!withinLimit(c)) return tooMany(c);
      const pending = parse<Pending>(await getSignedCookie(c, auth.sessionSecret, PENDING));
      if (!pending || !(pending.exp > Date.now()))
        return c.text('the sign-in expired or was started elsewhere: open Cockpit again', 400);
      deleteCookie(c, PENDING, { path: '/', secure });
      // the sign-in cookie is signed, not single-use by itself: a copy of it must not complete twice
      // (a provider may accept a code again), so its state is spent before the code is redeemed
      if (!(await claimOnce(pending.state)))
        return c.text('this sign-in was already completed: open Cockpit again', 400);
      let claims: oidc.IDToken | undefined;
      try {
        const current = new URL(c.req.url);
        const tokens = await oidc.authorizationCodeGrant(
          await configuration(),
          new URL(`${redirectUri}${current.search}`),
          { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce },
        );
        claims = tokens.claims();
      } catch (err) {
        return c.text(`sign-in failed: ${(err as Error).message}`, 401);
      }
      // Roles are listed by e-mail, so only an address the provider verified names the user: where
      // sign-up lets anyone type an address (self-registration, some directory set-ups), an
      // unverified one would take a listed admin's role. Without it the subject names the user.
      // (Some providers, Amazon Cognito among them, send the flag as the string "true".)
      const verified = claims?.email_verified === true || claims?.email_verified === 'true';
      const user =
        (typeof claims?.email === 'string' && verified && claims.email) ||
        (typeof claims?.sub === 'string' && claims.sub) ||
        '';
      if (!user) return c.text('sign-in failed: the identity provider named no user', 401);
      // the subject can be an address too: only a verified one is an e-mail of its domain
      const email = verified && typeof claims?.email === 'string' && user === claims.email;
      const role = roleFor(auth, user, email);
      if (!role) return c.text(`${user} has no role in Cockpit: ask an admin to add you`, 403);
      const session: Session = {
        user,
        email,
        role,
        exp: Math.floor(Date.now() / 1000) + SESSION_SECONDS,
        sid: randomUUID(),
      };
      await setSignedCookie(c, SESSION, JSON.stringify(session), auth.sessionSecret, {
        ...cookie,
        maxAge: SESSION_SECONDS,
      });
      return c.redirect(pending.returnTo, 302);
    })
    .get('/auth/logout', (c) =>
      c.html(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Sign out · Cockpit</title></head><body><form method="post" action="/auth/logout"><p>Sign out of Cockpit?</p><button type="submit">Sign out</button></form></body></html>',
      ),
    )
    .post('/auth/logout', async (c) => {
      const s = await readSession(c);
      if (s) {
        try {
          await ledger.signOut(s.sid, s.exp * 1000);
        } catch (err) {
          // the store keeps it in memory all the same: signed out until this server restarts
          console.error(`sign-out not kept in the prospects file: ${(err as Error).message}`);
        }
      }
      deleteCookie(c, SESSION, { path: '/', secure });
      // not back to "/": that would go straight to the provider, whose own session signs the user
      // in again at once
      return c.redirect('/auth/signed-out', 303);
    })
    .get('/auth/signed-out', (c) =>
      c.html(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Signed out · Cockpit</title></head><body><p>You have signed out of Cockpit.</p><p><a href="/auth/login">Sign in again</a></p></body></html>',
      ),
    );

  const guard: MiddlewareHandler = async (c, next) => {
    // the app's code holds no data: a page open when its session ended still loads a view's
    // script, and the view's first API answer (401) sends the user to sign in again
    if (c.req.path.startsWith('/auth/') || c.req.path.startsWith('/assets/')) return next();
    const session = await readSession(c);
    if (session) {
      // the role is read from the settings on every request, not from the cookie: taking a user's
      // role away takes effect at once, not when their 12-hour session ends
      const role = roleFor(auth, session.user, session.email);
      if (!role) return deny(c, 403, 'forbidden', `${session.user.slice(0, 100)} has no role in Cockpit`);
      return continueAs(c, next, session.user, role);
    }
    if (c.req.path.startsWith('/api/'))
      return deny(c, 401, 'unauthenticated', 'sign in first: open Cockpit in the browser');
    const here = new URL(c.req.url);
    return c.redirect(`/auth/login?returnTo=${encodeURIComponent(`${here.pathname}${here.search}`)}`, 302);
  };
  return { routes, guard };
}
