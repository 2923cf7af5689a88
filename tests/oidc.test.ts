/**
 * OIDC sign-in against a local mock identity provider (discovery, authorize, token, JWKS), served
 * over real HTTP on loopback so openid-client talks to it as to any issuer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { serializeSigned } from 'hono/utils/cookie';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIGN_IN_PER_MINUTE } from '../server/oidc.ts';
import { accessConfigFromEnv } from '../server/security.ts';
import { createServer } from '../server/serve.ts';
import { buildFixtureDb, tempDir } from './helpers.ts';

const CLIENT_ID = 'cockpit';
const CLIENT_SECRET = 'mock-secret';
const PUBLIC = 'https://cockpit.test';
const SESSION = '__Host-cockpit_session';

interface Grant {
  redirectUri: string;
  challenge: string;
  nonce: string;
  email: string;
  emailVerified: boolean | string;
  subject: string;
}

async function mockIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  let issuer = '';
  // who the "user" signing in at the provider is, set by each test
  const state: { email: string; emailVerified: boolean | string; subject?: string } = {
    email: 'vic@example.com',
    emailVerified: true,
  };
  const app = new Hono()
    .get('/.well-known/openid-configuration', (c) =>
      c.json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      }),
    )
    .get('/jwks', (c) => c.json({ keys: [jwk] }))
    .get('/authorize', (c) => {
      const q = c.req.query();
      if (q.client_id !== CLIENT_ID || q.code_challenge_method !== 'S256') return c.text('bad request', 400);
      const code = randomUUID();
      grants.set(code, {
        redirectUri: q.redirect_uri!,
        challenge: q.code_challenge!,
        nonce: q.nonce!,
        email: state.email,
        emailVerified: state.emailVerified,
        subject: state.subject ?? `sub-${state.email}`,
      });
      return c.redirect(
        `${q.redirect_uri}?code=${code}&state=${encodeURIComponent(q.state!)}&iss=${encodeURIComponent(issuer)}`,
      );
    })
    .post('/token', async (c) => {
      const form = await c.req.parseBody();
      const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
      const authenticated =
        c.req.header('authorization') === `Basic ${basic}` ||
        (form.client_id === CLIENT_ID && form.client_secret === CLIENT_SECRET);
      if (!authenticated) return c.json({ error: 'invalid_client' }, 401);
      const grant = grants.get(String(form.code));
      grants.delete(String(form.code));
      const verifier = String(form.code_verifier);
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.redirect_uri)
        return c.json({ error: 'invalid_grant' }, 400);
      const idToken = await new SignJWT({
        nonce: grant.nonce,
        email: grant.email,
        email_verified: grant.emailVerified,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(CLIENT_ID)
        .setSubject(grant.subject)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      return c.json({ access_token: randomUUID(), token_type: 'Bearer', expires_in: 300, id_token: idToken });
    });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, state, close: () => server.close() };
}

let idp: Awaited<ReturnType<typeof mockIssuer>>;
/** The settings every Cockpit of these tests shares: this provider, this client, this URL. */
const oidcEnv = () => ({
  COCKPIT_AUTH: 'oidc',
  COCKPIT_OIDC_ISSUER: idp.issuer,
  COCKPIT_OIDC_CLIENT_ID: CLIENT_ID,
  COCKPIT_OIDC_CLIENT_SECRET: CLIENT_SECRET,
  COCKPIT_PUBLIC_URL: PUBLIC,
  COCKPIT_SESSION_SECRET: 'x'.repeat(40),
});
let cockpit: ReturnType<typeof createServer>;
let access: ReturnType<typeof accessConfigFromEnv>;
let cockpitDb: string;
beforeAll(async () => {
  idp = await mockIssuer();
  const dist = tempDir();
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Cockpit</title>');
  access = accessConfigFromEnv({
    ...oidcEnv(),
    COCKPIT_ROLES: 'sam@example.com=sales',
    // everyone the provider signs in reads (a choice: the default without it is no role)
    COCKPIT_DEFAULT_ROLE: 'viewer',
  });
  cockpitDb = await buildFixtureDb();
  cockpit = createServer({
    dbPath: cockpitDb,
    distDir: dist,
    port: 0,
    host: '0.0.0.0',
    log: () => {},
    access,
  });
});
afterAll(() => {
  cockpit?.close();
  idp?.close();
});

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='));

/** The browser's round trip: Cockpit → provider → Cockpit's callback; returns the session cookie. */
async function signIn(
  email: string,
  returnTo = '/accounts/acme',
  emailVerified: boolean | string = true,
  server = cockpit,
  expectStatus = 302,
) {
  idp.state.email = email;
  idp.state.emailVerified = emailVerified;
  const login = await server.app.request(`${PUBLIC}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(login.status).toBe(302);
  const pending = cookiesOf(login).join('; ');
  const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const callback = new URL(authorize.headers.get('location')!);
  expect(callback.origin).toBe(PUBLIC);
  const callbackPath = `${PUBLIC}${callback.pathname}${callback.search}`;
  const back = await server.app.request(callbackPath, { headers: { cookie: pending } });
  expect(back.status, await back.clone().text()).toBe(expectStatus);
  return {
    back,
    session: cookiesOf(back).join('; '),
    replay: () => server.app.request(callbackPath, { headers: { cookie: pending } }),
  };
}

/** Signs out as Cockpit's own page does (POST from its origin). */
const signOut = (server: ReturnType<typeof createServer>, session: string) =>
  server.app.request(`${PUBLIC}/auth/logout`, {
    method: 'POST',
    headers: { cookie: session, origin: PUBLIC, host: 'cockpit.test' },
  });

/** Another Cockpit on the same provider, with its own settings (and its own sign-in limit). */
function otherCockpit(env: Record<string, string>, prospectsDbPath?: string) {
  const dist = tempDir();
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Cockpit</title>');
  return createServer({
    dbPath: cockpitDb,
    distDir: dist,
    port: 0,
    host: '0.0.0.0',
    log: () => {},
    ...(prospectsDbPath !== undefined && { prospectsDbPath }),
    access: accessConfigFromEnv({ ...oidcEnv(), ...env }),
  });
}

describe('OIDC sign-in (COCKPIT_AUTH=oidc)', () => {
  it('sends a page visitor to sign in and answers the API 401 without a session', async () => {
    const page = await cockpit.app.request(`${PUBLIC}/accounts/acme?tab=cx`);
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(
      `/auth/login?returnTo=${encodeURIComponent('/accounts/acme?tab=cx')}`,
    );
    const api = await cockpit.app.request(`${PUBLIC}/api/accounts`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('signs in with PKCE, state and nonce, returns to the page, and serves the API as that user', async () => {
    const { back, session } = await signIn('vic@example.com');
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/accounts/acme');
    expect(session).toMatch(/^__Host-cockpit_session=/);
    const set = back.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`));
    expect(set).toMatch(/HttpOnly/i);
    // "__Host-": Secure, for "/", no Domain, so no sibling subdomain can plant its own session
    expect(set).toMatch(/; Secure/i);
    expect(set).toMatch(/; Path=\/(;|$)/);
    expect(set).not.toMatch(/Domain=/i);
    const api = await cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: session } });
    expect(api.status).toBe(200);
    expect(api.headers.get('x-cockpit-user')).toBe(encodeURIComponent('vic@example.com'));
    expect(api.headers.get('x-cockpit-role')).toBe('viewer');
  });

  it('applies the roles: a viewer cannot save a prospect, sales can', async () => {
    const body = 'id,created_at,text\nq-1,2026-03-01T10:00:00Z,Where is my parcel?\n';
    const save = (cookie: string) =>
      cockpit.app.request(`${PUBLIC}/api/estimate?save=1`, {
        method: 'POST',
        body,
        headers: { cookie, 'content-type': 'text/plain' },
      });
    const viewer = await signIn('vic@example.com');
    expect((await save(viewer.session)).status).toBe(403);
    const sales = await signIn('sam@example.com');
    const saved = await save(sales.session);
    expect(saved.status).toBe(200);
    expect(saved.headers.get('x-cockpit-role')).toBe('sales');
    // read to the end: with sign-in a user runs one estimate at a time, and the next test saves as sam
    expect((await saved.text()).trim().split('\n').at(-1)).toContain('"type":"result"');
  });

  it('gives no role by an e-mail address the provider did not verify: the subject names the user', async () => {
    const { session } = await signIn('sam@example.com', '/accounts/acme', false);
    const api = await cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: session } });
    expect(api.status).toBe(200);
    // not sam's sales role: the default role, under the provider's subject
    expect(api.headers.get('x-cockpit-user')).toBe(encodeURIComponent('sub-sam@example.com'));
    expect(api.headers.get('x-cockpit-role')).toBe('viewer');
    // the flag as some providers write it, a string: verified all the same
    const { session: cognito } = await signIn('sam@example.com', '/accounts/acme', 'true');
    const asSam = await cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: cognito } });
    expect(asSam.headers.get('x-cockpit-role')).toBe('sales');
  });

  it('signs out on the server too: a copy of the cookie taken before is refused; a link alone signs no one out', async () => {
    const { session } = await signIn('vic@example.com');
    const api = () => cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: session } });
    expect((await api()).status).toBe(200);
    // GET shows the button only (an image or link on another page must not sign anyone out)
    const page = await cockpit.app.request(`${PUBLIC}/auth/logout`, { headers: { cookie: session } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/auth/logout">');
    expect((await api()).status).toBe(200);
    // from another site, the POST is refused as any state change is
    const foreign = await cockpit.app.request(`${PUBLIC}/auth/logout`, {
      method: 'POST',
      headers: { cookie: session, origin: 'https://evil.example', host: 'cockpit.test' },
    });
    expect(foreign.status).toBe(403);
    expect((await api()).status).toBe(200);
    const out = await signOut(cockpit, session);
    expect(out.status).toBe(303);
    // to a page that says so, not to "/", which would sign the user in again at the provider
    expect(out.headers.get('location')).toBe('/auth/signed-out');
    const page2 = await cockpit.app.request(`${PUBLIC}/auth/signed-out`);
    expect(await page2.text()).toContain('<a href="/auth/login">Sign in again</a>');
    expect(out.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=;`))).toBe(true);
    // the same cookie, kept from before: refused
    expect((await api()).status).toBe(401);
  });

  it('asks a session from before session ids to sign in again: it could never be signed out', async () => {
    // signed with the right secret, as the version before wrote it: no sid
    const old = JSON.stringify({
      user: 'vic@example.com',
      role: 'viewer',
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    const cookie = (await serializeSigned(SESSION, old, 'x'.repeat(40), { secure: true, path: '/' })).split(
      ';',
    )[0]!;
    const api = await cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie } });
    expect(api.status).toBe(401);
    // with a session id but from before the e-mail flag: the same (its domain cannot be read)
    const noFlag = JSON.stringify({ ...JSON.parse(old), sid: 'c0ffee' });
    const unflagged = (
      await serializeSigned(SESSION, noFlag, 'x'.repeat(40), { secure: true, path: '/' })
    ).split(';')[0]!;
    expect(
      (await cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: unflagged } })).status,
    ).toBe(401);
    // the same with both is accepted: the refusal is for what is missing, not the signature
    const current = JSON.stringify({ ...JSON.parse(old), sid: 'c0ffee', email: true });
    const ok = (await serializeSigned(SESSION, current, 'x'.repeat(40), { secure: true, path: '/' })).split(
      ';',
    )[0]!;
    expect((await cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: ok } })).status).toBe(
      200,
    );
  });

  it('refuses a forged or tampered session cookie, and a callback without its sign-in', async () => {
    const { session } = await signIn('vic@example.com');
    const [name, value] = session.split('=');
    const forged = `${name}=${encodeURIComponent(JSON.stringify({ user: 'x', role: 'admin', exp: 9e9 }))}.${value!.split('.').at(-1)}`;
    expect(
      (await cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: forged } })).status,
    ).toBe(401);
    const stray = await cockpit.app.request(`${PUBLIC}/auth/callback?code=abc&state=xyz`);
    expect(stray.status).toBe(400);
  });

  it('never sends a user to another site after sign-in', async () => {
    const { back } = await signIn('vic@example.com', 'https://evil.example/phish');
    expect(back.headers.get('location')).toBe('/');
    const { back: slashes } = await signIn('vic@example.com', '//evil.example');
    expect(slashes.headers.get('location')).toBe('/');
    // what browsers read as "//evil.example": a backslash, a tab or newline, a dot segment
    for (const sneaky of [
      '/\\evil.example/phish',
      '/\t/evil.example',
      '/\n/evil.example',
      '/.//evil.example',
    ]) {
      const { back: odd } = await signIn('vic@example.com', sneaky);
      expect(odd.headers.get('location'), JSON.stringify(sneaky)).toBe('/');
    }
  });

  it('reads the role from the settings on every request, not from the session cookie', async () => {
    const body = 'id,created_at,text\nq-9,2026-03-01T10:00:00Z,Cancel my order please\n';
    const save = (cookie: string) =>
      cockpit.app.request(`${PUBLIC}/api/estimate?save=1`, {
        method: 'POST',
        body,
        headers: { cookie, 'content-type': 'text/plain' },
      });
    const sales = await signIn('sam@example.com');
    const auth = access.auth as { roles: Record<string, string> };
    delete auth.roles['sam@example.com'];
    try {
      expect((await save(sales.session)).status).toBe(403);
    } finally {
      auth.roles['sam@example.com'] = 'sales';
    }
    const again = await save(sales.session);
    expect(again.status).toBe(200);
    expect((await again.text()).trim().split('\n').at(-1)).toContain('"type":"result"');
  });

  it('lets a user named like an object property sign in as a viewer only', async () => {
    const { session } = await signIn('constructor');
    const api = await cockpit.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: session } });
    expect(api.headers.get('x-cockpit-role')).toBe('viewer');
    const del = await cockpit.app.request(`${PUBLIC}/api/estimate/prospects/x`, {
      method: 'DELETE',
      headers: { cookie: session },
    });
    expect(del.status).toBe(403);
  });

  it('refuses an incomplete configuration in one line', () => {
    expect(() => accessConfigFromEnv({ COCKPIT_AUTH: 'oidc' })).toThrow(
      'COCKPIT_AUTH=oidc needs COCKPIT_OIDC_ISSUER (docs/security.md)',
    );
    expect(() =>
      accessConfigFromEnv({
        COCKPIT_AUTH: 'oidc',
        COCKPIT_OIDC_ISSUER: 'https://id.example',
        COCKPIT_PUBLIC_URL: 'https://cockpit.example',
        COCKPIT_SESSION_SECRET: 'short',
        COCKPIT_OIDC_CLIENT_ID: 'a',
        COCKPIT_OIDC_CLIENT_SECRET: 'b',
      }),
    ).toThrow('COCKPIT_SESSION_SECRET must be at least 32 characters');
    const complete = {
      COCKPIT_AUTH: 'oidc',
      COCKPIT_OIDC_ISSUER: 'https://id.example',
      COCKPIT_PUBLIC_URL: 'https://cockpit.example',
      COCKPIT_SESSION_SECRET: 'x'.repeat(32),
      COCKPIT_OIDC_CLIENT_ID: 'a',
      COCKPIT_OIDC_CLIENT_SECRET: 'b',
    };
    // an identity provider signs in more than the staff: nobody listed and no domain is nobody
    expect(() => accessConfigFromEnv(complete)).toThrow(
      'COCKPIT_AUTH=oidc would let nobody in: list users in COCKPIT_ROLES, their e-mail domains in COCKPIT_OIDC_DOMAINS, or set COCKPIT_DEFAULT_ROLE (docs/security.md)',
    );
    // the code and the session cookie would cross the network readable; a non-web scheme is no URL
    expect(() =>
      accessConfigFromEnv({
        ...complete,
        COCKPIT_ROLES: 'a@b=admin',
        COCKPIT_PUBLIC_URL: 'http://cockpit.corp',
      }),
    ).toThrow(
      'COCKPIT_PUBLIC_URL must be https:// (http:// only for a loopback address), got "http://cockpit.corp"',
    );
    expect(() =>
      accessConfigFromEnv({
        ...complete,
        COCKPIT_ROLES: 'a@b=admin',
        COCKPIT_PUBLIC_URL: 'javascript:alert(1)',
      }),
    ).toThrow('COCKPIT_PUBLIC_URL must be an https:// URL, got "javascript:alert(1)"');
    expect(
      accessConfigFromEnv({
        ...complete,
        COCKPIT_ROLES: 'a@b=admin',
        COCKPIT_PUBLIC_URL: 'http://127.0.0.1:8787',
      }).auth,
    ).toMatchObject({ defaultRole: null, domains: [] });
  });

  it('gives the default role only to verified e-mails of COCKPIT_OIDC_DOMAINS when they are set', async () => {
    const corp = otherCockpit({
      COCKPIT_ROLES: 'sam@example.com=sales',
      COCKPIT_OIDC_DOMAINS: 'Example.com',
    });
    try {
      const vic = await signIn('vic@example.com', '/', true, corp);
      const api = await corp.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: vic.session } });
      expect(api.headers.get('x-cockpit-role')).toBe('viewer');
      // anyone else the provider signs in, a self-registered address, a look-alike domain: no role
      for (const outsider of ['mallory@gmail.com', 'mallory@example.com.evil.io', 'mallory@notexample.com']) {
        const { back } = await signIn(outsider, '/', true, corp, 403);
        expect(await back.text()).toBe(`${outsider} has no role in Cockpit: ask an admin to add you`);
      }
      // an address the provider did not verify is no address of the domain (the subject names the user)
      const { back } = await signIn('eve@example.com', '/', false, corp, 403);
      expect(await back.text()).toBe('sub-eve@example.com has no role in Cockpit: ask an admin to add you');
      // nor when the subject is that same address (some providers' subjects are e-mails)
      idp.state.subject = 'eve@example.com';
      try {
        const { back: same } = await signIn('eve@example.com', '/', false, corp, 403);
        expect(await same.text()).toBe('eve@example.com has no role in Cockpit: ask an admin to add you');
      } finally {
        delete idp.state.subject;
      }
      // listed users get their role whatever their domain
      const sam = await signIn('sam@example.com', '/', true, corp);
      const asSam = await corp.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: sam.session } });
      expect(asSam.headers.get('x-cockpit-role')).toBe('sales');
    } finally {
      corp.close();
    }
  });

  it('lets in only listed users when neither domains nor a default role are set', async () => {
    const listed = otherCockpit({ COCKPIT_ROLES: 'sam@example.com=sales' });
    try {
      await signIn('vic@example.com', '/', true, listed, 403);
      await signIn('sam@example.com', '/', true, listed);
    } finally {
      listed.close();
    }
  });

  it('completes a sign-in once: the sign-in cookie replayed makes no second session', async () => {
    const { replay } = await signIn('vic@example.com');
    const again = await replay();
    expect(again.status).toBe(400);
    expect(await again.text()).toBe('this sign-in was already completed: open Cockpit again');
    expect(
      again.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=`) && !c.startsWith(`${SESSION}=;`)),
    ).toBe(false);
  });

  it('keeps a sign-out across a restart of the server', async () => {
    const prospects = join(tempDir(), 'prospects.db');
    const first = otherCockpit({ COCKPIT_DEFAULT_ROLE: 'viewer' }, prospects);
    const { session } = await signIn('vic@example.com', '/', true, first);
    const read = (server: ReturnType<typeof createServer>) =>
      server.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: session } });
    expect((await read(first)).status).toBe(200);
    const out = await signOut(first, session);
    expect(out.status).toBe(303);
    first.close();
    const restarted = otherCockpit({ COCKPIT_DEFAULT_ROLE: 'viewer' }, prospects);
    try {
      expect((await read(restarted)).status).toBe(401);
    } finally {
      restarted.close();
    }
  });

  it('signs in and out while the prospects file cannot be written (one from a newer version)', async () => {
    const file = join(tempDir(), 'newer.db');
    const newer = new Database(file);
    newer.pragma('user_version = 99');
    newer.close();
    const server = otherCockpit({ COCKPIT_DEFAULT_ROLE: 'viewer' }, file);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { session, replay } = await signIn('vic@example.com', '/', true, server);
      expect((await replay()).status).toBe(400);
      const read = () => server.app.request(`${PUBLIC}/api/accounts`, { headers: { cookie: session } });
      expect((await read()).status).toBe(200);
      const out = await signOut(server, session);
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/auth/signed-out');
      expect((await read()).status).toBe(401);
    } finally {
      errors.mockRestore();
      server.close();
    }
  });

  it('counts sign-ins per client behind a listed proxy, and believes X-Forwarded-For from no one else', async () => {
    const proxied = otherCockpit({ COCKPIT_DEFAULT_ROLE: 'viewer', COCKPIT_TRUSTED_PROXIES: '10.0.0.5' });
    const via = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
    const login = async (from: string, forwarded?: string) => {
      const headers: Record<string, string> = forwarded === undefined ? {} : { 'x-forwarded-for': forwarded };
      return (await proxied.app.request(`${PUBLIC}/auth/login`, { headers }, via(from))).status;
    };
    try {
      // a client reaching Cockpit directly names a new "client" every time: its own address counts
      for (let i = 0; i < SIGN_IN_PER_MINUTE; i++)
        expect(await login('203.0.113.9', `198.51.100.${i}`)).toBe(302);
      expect(await login('203.0.113.9', '198.51.100.250')).toBe(429);
      // behind the proxy, each client has its own budget: the rightmost address the proxy did not add itself
      for (let i = 0; i < SIGN_IN_PER_MINUTE; i++)
        expect(await login('10.0.0.5', `made-up, 192.0.2.1`)).toBe(302);
      expect(await login('::ffff:10.0.0.5', '192.0.2.1')).toBe(429);
      expect(await login('10.0.0.5', '192.0.2.2, 10.0.0.5')).toBe(302);
      // a proxy on this machine is believed only when listed too (nginx passes a client's own header on)
      for (let i = 0; i < SIGN_IN_PER_MINUTE; i++)
        expect(await login('127.0.0.1', `198.51.100.${i}`)).toBe(302);
      expect(await login('127.0.0.1', '198.51.100.251')).toBe(429);
    } finally {
      proxied.close();
    }
  });

  it('answers a burst of sign-ins from one address with 429', async () => {
    const busy = otherCockpit({ COCKPIT_DEFAULT_ROLE: 'viewer' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < SIGN_IN_PER_MINUTE; i++)
        statuses.push((await busy.app.request(`${PUBLIC}/auth/login`)).status);
      // the provider's discovery is read once; every start within the minute's budget is a redirect
      expect(statuses.slice(0, SIGN_IN_PER_MINUTE).every((s) => s === 302)).toBe(true);
      const last = await busy.app.request(`${PUBLIC}/auth/login`);
      expect(last.status).toBe(429);
      expect(last.headers.get('retry-after')).toBe('60');
    } finally {
      busy.close();
    }
  });
});
