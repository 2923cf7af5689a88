import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  AccountDetail,
  AccountsResponse,
  ActionsResponse,
  BreakdownResponse,
  CxResponse,
  ErrorBody,
  ForecastResponse,
  HistoryResponse,
  PatternsResponse,
  SamplesResponse,
} from '../server/api-types.ts';
import { createApp } from '../server/app.ts';
import { openServingDb } from '../server/db/open.ts';
import { monthsCovered } from '../server/domain/metrics.ts';
import { buildFixtureDb, copyFixture } from './helpers.ts';

let app: ReturnType<typeof createApp>;
let db: Database.Database;

beforeAll(async () => {
  db = openServingDb(await buildFixtureDb());
  app = createApp(db);
});

async function get<T>(path: string, status = 200): Promise<T> {
  const res = await app.request(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return (await res.json()) as T;
}

describe('GET /api/health', () => {
  it('reports ok and dataAsOf', async () => {
    expect(await get('/api/health')).toMatchObject({
      ok: true,
      dataAsOf: '2026-03-15T12:00:00.000Z',
      month: '2026-03',
    });
  });
});

describe('GET /api/accounts', () => {
  it('lists every account with current-month figures', async () => {
    const body = await get<AccountsResponse>('/api/accounts');
    expect(body.month).toBe('2026-03');
    expect(body.monthToDate).toBe(true);
    expect(body.accounts.map((a) => a.id).sort()).toEqual(['acme', 'globex', 'initech']);
    const globex = body.accounts.find((a) => a.id === 'globex')!;
    // March: g1 resolved (assumed), g2 negative feedback, g3 not involved.
    expect(globex).toMatchObject({
      conversations: 3,
      involved: 2,
      resolved: 1,
      involvementRate: 2 / 3,
      resolutionRate: 0.5,
      automationRate: 1 / 3,
      csat: 0,
      status: 'customer',
    });
    const initech = body.accounts.find((a) => a.id === 'initech')!;
    expect(initech.automationRate).toBeNull();
    expect(initech.cxScore).toBeNull();
    expect(body.totals).toMatchObject({ accounts: 3, conversations: 5, resolved: 1, automationRate: 0.2 });
  });

  it('filters by status and rejects an unknown one', async () => {
    expect((await get<AccountsResponse>('/api/accounts?status=prospect')).accounts).toEqual([]);
    const err = await get<ErrorBody>('/api/accounts?status=vip', 400);
    expect(err.error.code).toBe('bad_request');
    expect(err.error.message).toMatch(/^invalid query: status/);
  });
});

describe('GET /api/accounts/:id', () => {
  it('returns months oldest first with exact rates', async () => {
    const body = await get<AccountDetail>('/api/accounts/acme');
    expect(body.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(body.months[0]).toMatchObject({
      conversations: 8,
      involved: 6,
      resolved: 3,
      involvementRate: 0.75,
      resolutionRate: 0.5,
      automationRate: 0.375,
      confirmedResolutionRate: 2 / 6,
      assumedResolutionRate: 1 / 6,
      handoffRate: 2 / 6,
      csat: 0.5,
    });
    expect(body.months[1]).toMatchObject({ abandonRate: 0.5, csat: 1 });
    expect(body.months[2]).toMatchObject({ resolutionRate: 0, automationRate: 0, csat: null });
    expect(body.previous?.month).toBe('2026-02');
    // March runs to dataAsOf only, and acme's conversations began on 5 January 09:00: the window
    // holds January from then, February and that part of March
    const beforeFirst =
      (Date.parse('2026-01-05T09:00:00Z') - Date.parse('2026-01-01T00:00:00Z')) / (31 * 86_400_000);
    expect(body.window).toEqual({
      from: '2026-01',
      to: '2026-03',
      months: 3,
      monthsCovered: monthsCovered(3, Date.parse(body.dataAsOf!)) - beforeFirst,
    });
    expect(body.window.monthsCovered).toBeGreaterThan(2);
    expect(body.window.monthsCovered).toBeLessThan(3);
  });

  it('lists every month from the first to the current one, a month without conversations included', async () => {
    // acme's February and March left out: it went quiet after January, while globex runs to March
    const bundle = copyFixture();
    const file = join(bundle, 'conversations.jsonl');
    const kept = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => {
        if (!l) return false;
        const c = JSON.parse(l) as { accountId: string; createdAt: string };
        return !(c.accountId === 'acme' && c.createdAt >= '2026-02');
      });
    writeFileSync(file, `${kept.join('\n')}\n`);
    const quiet = createApp(openServingDb(await buildFixtureDb(bundle)));
    const res = await quiet.request('/api/accounts/acme');
    const body = (await res.json()) as AccountDetail;
    expect(body.month).toBe('2026-03');
    expect(body.months.map((m) => [m.month, m.conversations, m.automationRate])).toEqual([
      ['2026-01', body.months[0]!.conversations, body.months[0]!.automationRate],
      ['2026-02', 0, null],
      ['2026-03', 0, null],
    ]);
    expect(body.months[0]!.conversations).toBeGreaterThan(0);
    expect(body.previous).toMatchObject({ month: '2026-02', conversations: 0 });
  });

  it('gives an account that began inside the model window its own months of it: per-month volumes at its pace', async () => {
    // globex's conversations are all in March, the month in progress, from 3 March 08:00: its pace
    // is read over the time from then to dataAsOf; acme's run from January
    const acme = await get<AccountDetail>('/api/accounts/acme');
    const globex = await get<AccountDetail>('/api/accounts/globex');
    const asOf = Date.parse(globex.dataAsOf!);
    expect(acme.window).toMatchObject({ from: '2026-01', months: 3 });
    expect(globex.window).toMatchObject({ from: '2026-03', to: '2026-03', months: 1 });
    // when it began, so its first month reads as partial (no change computed against it)
    expect(globex.dataFrom).toBe('2026-03-03T08:00:00.000Z');
    expect(acme.dataFrom).toBe('2026-01-05T09:00:00.000Z');
    expect(globex.window.monthsCovered).toBeCloseTo(
      (asOf - Date.parse('2026-03-03T08:00:00Z')) / (31 * 86_400_000),
      12,
    );
    const breakdown = await get<import('../server/api-types.ts').BreakdownResponse>(
      '/api/accounts/globex/breakdown',
    );
    expect(breakdown.window).toEqual(globex.window);
    for (const l of breakdown.leaves)
      expect(l.monthlyConversations, l.taxonomyId).toBeCloseTo(
        l.conversations / globex.window.monthsCovered!,
        9,
      );
    const total = breakdown.leaves.reduce((s, l) => s + l.conversations, 0);
    expect(globex.gapConversations).toBeCloseTo(
      (globex.gapPoints! * total) / globex.window.monthsCovered!,
      9,
    );
  });

  it('reads the rates of an account that went live inside the model window from its first fully live month', async () => {
    // acme live from 20 January: January's conversations are not the AI agent's to resolve, so its
    // window's rates, volumes and gap are read from February and March
    const bundle = copyFixture();
    const file = join(bundle, 'accounts.jsonl');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('"aiLiveSince":"2025-06-01"', '"aiLiveSince":"2026-01-20"'),
    );
    const live = createApp(openServingDb(await buildFixtureDb(bundle)));
    const detail = (await (await live.request('/api/accounts/acme')).json()) as AccountDetail;
    const asOf = Date.parse(detail.dataAsOf!);
    expect(detail.window).toEqual({
      from: '2026-02',
      to: '2026-03',
      months: 2,
      monthsCovered: monthsCovered(2, asOf),
    });
    // its data still begins in January: the trend shows it
    expect(detail.dataFrom).toBe('2026-01-05T09:00:00.000Z');
    const liveMonths = detail.months.filter((m) => m.month >= '2026-02');
    const conversations = liveMonths.reduce((n, m) => n + m.conversations, 0);
    const resolved = liveMonths.reduce((n, m) => n + m.resolved, 0);
    // 3 in February and 2 in March, of 13
    expect(conversations).toBe(5);
    expect(detail.windowAutomationRate).toBeCloseTo(resolved / conversations, 12);
    const breakdown = (await (
      await live.request('/api/accounts/acme/breakdown')
    ).json()) as BreakdownResponse;
    expect(breakdown.window).toEqual(detail.window);
    expect(breakdown.leaves.reduce((n, l) => n + l.conversations, 0)).toBe(5);
    const actions = (await (await live.request('/api/accounts/acme/actions')).json()) as ActionsResponse;
    expect(actions.current).toBe(detail.windowAutomationRate);
    // Patterns read rates and gaps the same way: over the 3 months its unrealized volume is still
    // the accounts' gaps summed, while its volumes count January too
    const patterns = (await (await live.request('/api/patterns?period=3')).json()) as PatternsResponse;
    const list = (await (await live.request('/api/accounts')).json()) as AccountsResponse;
    const unrealized = patterns.leaves.reduce((n, l) => n + l.unrealizedConversations, 0);
    expect(unrealized).toBeCloseTo(list.totals.unrealizedConversations, 9);
    expect(patterns.leaves.reduce((n, l) => n + l.conversations, 0)).toBe(16);
  });

  it('404s an unknown account in the one error shape', async () => {
    expect(await get<ErrorBody>('/api/accounts/nobody', 404)).toEqual({
      error: { code: 'not_found', message: 'account "nobody" not found' },
    });
    expect((await get<ErrorBody>('/api/accounts/nobody/breakdown', 404)).error.code).toBe('not_found');
  });

  it('opens an account whose id is long (SPEC §2 sets no limit) and 404s a long unknown one', async () => {
    const dir = copyFixture();
    const id = `tenant-${'x'.repeat(243)}`;
    appendFileSync(
      join(dir, 'accounts.jsonl'),
      `${JSON.stringify({ id, name: 'Long Id Ltd', vertical: 'saas', status: 'customer' })}\n`,
    );
    const long = createApp(openServingDb(await buildFixtureDb(dir)));
    const listed = (await (await long.request('/api/accounts')).json()) as AccountsResponse;
    expect(listed.accounts.some((a) => a.id === id)).toBe(true);
    const res = await long.request(`/api/accounts/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as AccountDetail).name).toBe('Long Id Ltd');
    const unknown = await long.request(`/api/accounts/${'y'.repeat(300)}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.code).toBe('not_found');
  });

  it('404s an unknown route in the same shape', async () => {
    expect((await get<ErrorBody>('/api/nothing-here', 404)).error.code).toBe('not_found');
  });
});

describe('account analysis endpoints', () => {
  it('breakdown: leaf shares sum to 1 and classes add up', async () => {
    const body = await get<BreakdownResponse>('/api/accounts/acme/breakdown');
    const shares = body.leaves.reduce((s, l) => s + l.share, 0);
    expect(shares).toBeCloseTo(1, 10);
    expect(body.classes.reduce((s, c) => s + c.conversations, 0)).toBe(13);
    const detail = await get<AccountDetail>('/api/accounts/acme');
    for (const l of body.leaves) {
      expect(l.achievableAutomation).toBeGreaterThanOrEqual((l.automationRate ?? 0) - 1e-12);
      expect(l.gapPoints).toBeGreaterThanOrEqual(0);
      // per month over the months of data in the window, the current one only in part
      expect(l.monthlyConversations).toBeCloseTo(l.conversations / detail.window.monthsCovered!, 12);
    }
  });

  it('actions: none on topics seen fewer than 5 times; their gaps are the whole way to the potential', async () => {
    // the fixture's account has 2–4 conversations a topic: no action stands on so little
    const actions = await get<ActionsResponse>('/api/accounts/acme/actions');
    expect(actions.actions).toEqual([]);
    const gaps = await get<BreakdownResponse>('/api/accounts/acme/breakdown');
    expect(gaps.leaves.every((l) => l.conversations < 5)).toBe(true);
    expect(actions.current! + gaps.leaves.reduce((s, l) => s + l.gapPoints, 0)).toBeCloseTo(
      actions.potential!,
      10,
    );
  });

  it('cx: a 1–5 distribution over the window', async () => {
    const body = await get<CxResponse>('/api/accounts/acme/cx');
    expect(body.distribution.map((d) => d.score)).toEqual([1, 2, 3, 4, 5]);
    expect(body.distribution.reduce((s, d) => s + d.conversations, 0)).toBe(13);
  });

  it('forecast: none for an account with too little history, saying why; 404 for an unknown account', async () => {
    const body = await get<ForecastResponse>('/api/accounts/acme/forecast');
    expect(body.forecast).toBeNull();
    // the fixture holds three months: too few for a model to learn how accounts move
    expect(body.reason).toMatch(/^No forecast yet: the data does not hold enough months/);
    expect((await get<ErrorBody>('/api/accounts/nobody/forecast', 404)).error.message).toBe(
      'account "nobody" not found',
    );
  });

  it('history: the quarter of the summed months with the SPEC §1 rates, and every fix logged', async () => {
    const body = await get<HistoryResponse>('/api/accounts/acme/history');
    const months = (await get<AccountDetail>('/api/accounts/acme')).months;
    const sum = (k: 'conversations' | 'involved' | 'resolved') => months.reduce((s, m) => s + m[k], 0);
    // the fixture's 13 valid conversations of Jan–Mar; 9 with the AI agent; 4 resolved (c2 was reopened)
    expect([sum('conversations'), sum('involved'), sum('resolved')]).toEqual([13, 9, 4]);
    expect(body.quarters).toHaveLength(1);
    expect(body.quarters[0]).toMatchObject({
      quarter: '2026-Q1',
      from: '2026-01',
      to: '2026-03',
      monthsWithData: 3,
      conversations: 13,
      involved: 9,
      resolved: 4,
      involvementRate: 9 / 13,
      resolutionRate: 4 / 9,
      automationRate: 4 / 13,
      csat: 2 / 3,
    });
    expect(body.fixes).toEqual([
      {
        date: '2026-02-01',
        kind: 'content',
        taxonomyId: 'refunds.return_policy',
        label: 'Return policy',
        note: 'Rewrote the returns article for sale items',
        planned: false,
      },
    ]);
    expect((await get<HistoryResponse>('/api/accounts/globex/history')).fixes).toEqual([]);
    expect((await get<ErrorBody>('/api/accounts/nobody/history', 404)).error.message).toBe(
      'account "nobody" not found',
    );
  });

  it('samples: example conversations of a leaf, and 400 without a leaf', async () => {
    const body = await get<SamplesResponse>('/api/accounts/acme/samples?taxonomyId=orders.where_is_my_order');
    expect(body.samples.map((s) => s.id)).toContain('c1');
    const c1 = body.samples.find((s) => s.id === 'c1')!;
    expect(c1.messages[0]).toMatchObject({ role: 'customer' });
    expect(c1.cx.explanation).toMatch(/resolved by the AI agent \(confirmed/i);
    expect((await get<ErrorBody>('/api/accounts/acme/samples', 400)).error.message).toBe(
      'invalid query: taxonomyId is required',
    );
    // one problem a field, not "required; unknown taxonomy leaf" for an empty one
    expect((await get<ErrorBody>('/api/accounts/acme/samples?taxonomyId=', 400)).error.message).toBe(
      'invalid query: taxonomyId is required',
    );
    expect(
      (await get<ErrorBody>('/api/accounts/acme/samples?taxonomyId=a&taxonomyId=b', 400)).error.message,
    ).toBe('invalid query: taxonomyId is given more than once');
    expect(
      (await get<ErrorBody>('/api/accounts/acme/samples?taxonomyId=..%2F..%2Fetc', 400)).error.message,
    ).toBe('invalid query: taxonomyId: unknown taxonomy leaf "../../etc" (ids are in /api/taxonomy)');
  });
});

describe('CX drill-down', () => {
  it('scores a long example on the whole conversation, as its stored row is counted, not on the shortened copy it keeps', async () => {
    const dir = copyFixture();
    const filler = 'I bought the season pass last month and have used it for a few weeks now. '.repeat(10);
    const messages = [
      {
        role: 'customer',
        text: `${filler} The coins I paid for never arrived. This is awful, useless and terrible.`,
      },
      ...Array.from({ length: 20 }, (_, i) => ({
        role: i % 2 === 0 ? 'ai' : 'customer',
        text: i % 2 === 0 ? 'Let me look into that.' : `Still nothing, attempt ${i}. Awful.`,
      })),
    ];
    appendFileSync(
      join(dir, 'conversations.jsonl'),
      `${JSON.stringify({
        id: 'long-mail',
        accountId: 'acme',
        createdAt: '2026-03-15T11:00:00Z',
        channel: 'email',
        aiInvolved: true,
        aiResolutionState: 'escalated',
        topic: 'gaming.purchase_missing',
        messages,
      })}\n`,
    );
    const file = await buildFixtureDb(dir);
    const long = createApp(openServingDb(file));
    const stored = openServingDb(file)
      .prepare('SELECT cx_resolution AS r, cx_sentiment AS s, cx_effort AS e FROM conversations WHERE id = ?')
      .get('long-mail') as { r: number; s: number; e: number };
    const body = (await (
      await long.request('/api/accounts/acme/samples?taxonomyId=gaming.purchase_missing')
    ).json()) as SamplesResponse;
    const sample = body.samples.find((s) => s.id === 'long-mail')!;
    // the stored copy keeps 16 messages of at most 600 characters; the score reads all 21
    expect(sample.messages.length).toBe(16);
    expect(sample.cx).toMatchObject({ resolution: stored.r, sentiment: stored.s, effort: stored.e });
    expect(sample.cx.explanation).toMatch(/11 customer turns/);
  });

  it("leaves out of every bucket an example older than the distribution's months (a quiet topic keeps one)", async () => {
    const dir = copyFixture();
    appendFileSync(
      join(dir, 'conversations.jsonl'),
      `${JSON.stringify({
        id: 'old-luggage',
        accountId: 'acme',
        createdAt: '2025-11-20T09:00:00Z',
        channel: 'chat',
        aiInvolved: true,
        aiResolutionState: 'escalated',
        topic: 'booking.lost_luggage',
        messages: [{ role: 'customer', text: 'My suitcase never arrived, this is terrible.' }],
      })}\n`,
    );
    const old = createApp(openServingDb(await buildFixtureDb(dir)));
    const topic = (await (
      await old.request('/api/accounts/acme/samples?taxonomyId=booking.lost_luggage')
    ).json()) as SamplesResponse;
    expect(topic.samples.map((s) => s.id)).toEqual(['old-luggage']);
    for (const score of [1, 2, 3, 4, 5]) {
      const body = (await (
        await old.request(`/api/accounts/acme/cx/samples?score=${score}`)
      ).json()) as import('../server/api-types.ts').CxSamplesResponse;
      expect(body.samples.map((s) => s.id)).not.toContain('old-luggage');
    }
  });

  it("gives each score bucket the account's examples scored in it, every topic, and 400 / 404 in the error shape", async () => {
    const seen = new Set<string>();
    let total = 0;
    for (const score of [1, 2, 3, 4, 5]) {
      const body = await get<import('../server/api-types.ts').CxSamplesResponse>(
        `/api/accounts/acme/cx/samples?score=${score}`,
      );
      expect(body.score).toBe(score);
      for (const s of body.samples) {
        expect(Math.min(5, Math.max(1, Math.round(s.cx.score))), s.id).toBe(score);
        seen.add(s.taxonomyId);
      }
      total += body.samples.length;
    }
    // every example of the account from the distribution's months lands in exactly one bucket (the
    // fixture keeps fewer than 12 per bucket); older ones, kept for quiet topics, in none
    const breakdown = await get<BreakdownResponse>('/api/accounts/acme/breakdown');
    let stored = 0;
    let older = 0;
    for (const l of breakdown.leaves)
      for (const s of (await get<SamplesResponse>(`/api/accounts/acme/samples?taxonomyId=${l.taxonomyId}`))
        .samples)
        if (s.createdAt.slice(0, 7) >= breakdown.window.from) stored++;
        else older++;
    expect(total).toBe(stored);
    expect(older).toBe(0); // the fixture's examples are all recent: the next test keeps an old one
    expect(seen.size).toBeGreaterThan(1);
    for (const bad of ['0', '6', '2.5', 'abc', '1e0', '0x3', ' 3'])
      expect((await get<ErrorBody>(`/api/accounts/acme/cx/samples?score=${bad}`, 400)).error.message).toMatch(
        /score/,
      );
    expect((await get<ErrorBody>('/api/accounts/acme/cx/samples', 400)).error.message).toMatch(/score/);
    expect((await get<ErrorBody>('/api/accounts/acme/cx/samples?score=3&score=4', 400)).error.message).toBe(
      'invalid query: score is given more than once',
    );
    // a client's oversized value is quoted short, not echoed whole
    const long = await get<ErrorBody>(`/api/accounts/${'q'.repeat(15_000)}/cx/samples?score=3`, 404);
    expect(long.error.message).toBe(`account "${'q'.repeat(80)}…" not found`);
    expect((await get<ErrorBody>('/api/accounts/nobody/cx/samples?score=3', 404)).error.code).toBe(
      'not_found',
    );
  });
});

describe('read-only database', () => {
  it('refuses writes', () => {
    expect(() => db.exec("DELETE FROM accounts WHERE id = 'acme'")).toThrow(/readonly|read-only|query_only/i);
  });
});

describe('cross-account analyses', () => {
  it('patterns: leaves across accounts for a vertical and period, 400 on unknown ones', async () => {
    const body = await get<import('../server/api-types.ts').PatternsResponse>('/api/patterns?period=3');
    expect(body).toMatchObject({ vertical: 'all', period: 3, from: '2026-01', to: '2026-03' });
    // a period longer than the data is the months the data holds (from its first, January)
    const year = await get<import('../server/api-types.ts').PatternsResponse>('/api/patterns?period=12');
    expect(year).toMatchObject({ period: 12, from: '2026-01', to: '2026-03' });
    expect(year.leaves.map((l) => [l.taxonomyId, l.unrealizedConversations])).toEqual(
      body.leaves.map((l) => [l.taxonomyId, l.unrealizedConversations]),
    );
    expect(body.periods).toEqual([3, 6, 12]);
    expect(body.verticals).toEqual(['all', 'ecommerce', 'fintech', 'saas']);
    const total = body.leaves.reduce((s, l) => s + l.conversations, 0);
    expect(total).toBe(16);
    expect(body.leaves.every((l) => l.label.length > 0)).toBe(true);
    // over the potential's own window the leaves' unrealized volume is the accounts' gaps summed
    const list = await get<AccountsResponse>('/api/accounts');
    const unrealized = body.leaves.reduce((s, l) => s + l.unrealizedConversations, 0);
    expect(unrealized).toBeGreaterThan(0);
    expect(unrealized).toBeCloseTo(list.totals.unrealizedConversations, 9);
    expect(list.accounts.reduce((s, a) => s + (a.gapConversations ?? 0), 0)).toBeCloseTo(unrealized, 9);
    // each topic's unrealized volume splits into what limits its accounts: audience or resolution
    for (const l of body.leaves)
      expect(l.unrealizedByLever.audience + l.unrealizedByLever.resolution, l.taxonomyId).toBeCloseTo(
        l.unrealizedConversations,
        9,
      );
    expect(body.leaves.some((l) => l.unrealizedByLever.audience > 0)).toBe(true);
    expect(body.leaves.some((l) => l.unrealizedByLever.resolution > 0)).toBe(true);
    // a kind of fix with none measured has no lift (SPEC §1: null, not 0)
    const unmeasured = body.lifts.filter((l) => l.n === 0);
    expect(unmeasured.length).toBeGreaterThan(0);
    for (const l of unmeasured)
      expect([l.lift, l.low, l.high, l.p10, l.p90]).toEqual([null, null, null, null, null]);
    expect((await get<ErrorBody>('/api/patterns?vertical=mining', 400)).error.message).toMatch(
      /unknown vertical "mining"/,
    );
    expect((await get<ErrorBody>('/api/patterns?period=5', 400)).error.message).toMatch(
      /period must be one of 3, 6, 12/,
    );
    // 12 spelled another way is not a period someone meant
    for (const odd of ['0x0c', '6e0', '12.0', '%2B6', '%2012'])
      expect((await get<ErrorBody>(`/api/patterns?period=${odd}`, 400)).error.message, odd).toMatch(
        /period must be a whole number of months/,
      );
  });

  it('model: a backtest summary even when history is too short to score', async () => {
    const body = await get<import('../server/api-types.ts').ModelResponse>('/api/model');
    expect(body.method).toMatch(/data up to M only/);
    expect(body.overall.h3).toMatchObject({ n: 0, mae: null });
    expect(body.points).toEqual([]);
  });
});

describe('precomputed responses', () => {
  it('serves the portfolio gzipped over HTTP when asked, identical to the plain body', async () => {
    const { gunzipSync } = await import('node:zlib');
    const { request } = await import('node:http');
    const { serve } = await import('@hono/node-server');
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    const get = (headers: Record<string, string>) =>
      new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/api/accounts', headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
          );
        })
          .on('error', reject)
          .end();
      });
    try {
      const plain = await get({});
      const zipped = await get({ 'accept-encoding': 'gzip' });
      expect(plain.encoding).toBeUndefined();
      expect(zipped.encoding).toBe('gzip');
      expect(gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
    } finally {
      server.close();
    }
  });
});
