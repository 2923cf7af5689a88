/**
 * GET /api/accounts in both shapes (issue 12): the documented list (SPEC §6) stays the default
 * with every documented field; `?view=triage` carries the triage table's columns only, and
 * decodes (web/src/views/Accounts/triageData.ts) to what the table displays from the full list.
 */
import { gzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSummary, AccountsResponse, ErrorBody, TriageResponse } from '../server/api-types.ts';
import { createApp } from '../server/app.ts';
import { openServingDb } from '../server/db/open.ts';
import { conversationHundredths, hundredths, perMille, trendCode, triageColumns } from '../server/triage.ts';
import { count, pct, score } from '../web/src/lib/format.ts';
import { decodeTriage } from '../web/src/views/Accounts/triageData.ts';
import { buildFixtureDb } from './helpers.ts';

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

const DOCUMENTED = [
  'id',
  'name',
  'vertical',
  'csm',
  'arr',
  'conversations',
  'involvementRate',
  'resolutionRate',
  'automationRate',
  'automationPotential',
  'csat',
  'cxScore',
  'flags',
] as const;

describe('GET /api/accounts: the documented shape stays the default', () => {
  it('carries every SPEC §6 field, with and without view=full', async () => {
    for (const path of ['/api/accounts', '/api/accounts?view=full', '/api/accounts?status=all&view=full']) {
      const body = await get<AccountsResponse>(path);
      expect(body).toHaveProperty('dataAsOf');
      expect(body).toHaveProperty('month', '2026-03');
      expect(body.accounts.length).toBe(3);
      for (const a of body.accounts) for (const k of DOCUMENTED) expect(a, `${path} ${k}`).toHaveProperty(k);
      expect(body).not.toHaveProperty('columns');
    }
  });

  it('rejects an unknown view like any bad query', async () => {
    const err = await get<ErrorBody>('/api/accounts?view=compact', 400);
    expect(err.error.code).toBe('bad_request');
    expect(err.error.message).toMatch(/view/);
  });
});

describe('GET /api/accounts?view=triage', () => {
  it('has one entry per account in every column, largest gap first', async () => {
    const full = await get<AccountsResponse>('/api/accounts');
    const triage = await get<TriageResponse>('/api/accounts?view=triage');
    expect(triage.view).toBe('triage');
    expect(triage.count).toBe(full.accounts.length);
    expect(triage.totals).toEqual(full.totals);
    expect(triage.month).toBe(full.month);
    // every column but the sparse list of poorly fitting prospects (none here)
    const { poorTopicFit, ...columns } = triage.columns;
    expect(poorTopicFit).toEqual([]);
    for (const [name, column] of Object.entries(columns))
      expect(column.length, name).toBe(full.accounts.length);
    expect([...triage.columns.id].sort()).toEqual(full.accounts.map((a) => a.id).sort());
    // ordered as the table first shows them: largest gap first
    const gaps = triage.columns.gapConversations.map((g) => g ?? -1);
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
  });

  it('decodes to what the table shows from the documented list', async () => {
    const full = await get<AccountsResponse>('/api/accounts');
    const rows = decodeTriage(await get<TriageResponse>('/api/accounts?view=triage')).accounts;
    const byId = new Map(full.accounts.map((a) => [a.id, a]));
    expect(rows.length).toBe(full.accounts.length);
    rows.forEach((row) => {
      const a = byId.get(row.id)!;
      expect(row).toMatchObject({
        id: a.id,
        name: a.name,
        vertical: a.vertical,
        plan: a.plan,
        csm: a.csm,
        region: a.region,
        status: a.status,
        arr: a.arr,
        conversations: a.conversations,
        resolved: a.resolved,
        flags: a.flags,
      });
      for (const k of [
        'involvementRate',
        'resolutionRate',
        'automationRate',
        'automationPotential',
        'gapPoints',
      ] as const)
        expect(pct(row[k]), `${a.id} ${k}`).toBe(pct(a[k]));
      expect(score(row.cxScore)).toBe(score(a.cxScore));
      expect(row.gapConversations ?? 0).toBeCloseTo(a.gapConversations ?? 0, 2);
      expect(row.trend.map(pct)).toEqual(a.trend.map(pct));
    });
  });

  it('marks a prospect whose export fits the topics poorly, on its row only', async () => {
    const full = await get<AccountsResponse>('/api/accounts');
    const [customer, other] = full.accounts;
    const prospect: AccountSummary = {
      ...other!,
      id: 'prospect-1',
      status: 'prospect',
      poorTopicFit: 0.3457,
    };
    const body = { ...full, accounts: [customer!, prospect] };
    const triage = triageColumns(body);
    const row = triage.columns.id.indexOf('prospect-1');
    expect(triage.columns.poorTopicFit).toEqual([[row, 346]]);
    const decoded = decodeTriage(triage).accounts;
    expect(decoded.find((a) => a.id === 'prospect-1')!.poorTopicFit).toBe(0.346);
    expect(decoded.find((a) => a.id === customer!.id)!.poorTopicFit).toBeUndefined();
  });

  it('filters by status like the default shape', async () => {
    const triage = await get<TriageResponse>('/api/accounts?view=triage&status=prospect');
    expect(triage.count).toBe(0);
    expect(triage.columns.id).toEqual([]);
    const customers = await get<TriageResponse>('/api/accounts?status=customer&view=triage');
    expect(customers.count).toBe(3);
  });

  it('is gzipped when asked, like the documented list', async () => {
    const res = await app.request('/api/accounts?view=triage', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
  });
});

describe('triage trend code', () => {
  it('sends leading months without data as their count, then differences', () => {
    expect(trendCode([null, null, 412, 415, null, 409])).toEqual([2, 412, 3, null, -6]);
    expect(trendCode([300, 310])).toEqual([0, 300, 10]);
    expect(trendCode([null, null])).toEqual([2]);
    expect(trendCode([])).toEqual([0]);
  });
});

describe('triage rounding', () => {
  it('rounds as the table displays, never twice', () => {
    expect(perMille(0.12345)).toBe(123);
    expect(perMille(0.0625)).toBe(63); // 6.25% shows as 6.3%
    expect(perMille(1)).toBe(1000);
    expect(perMille(0)).toBe(0);
    // not rounded onto an end it has not reached, as pct shows it: ">99.9%", "<0.1%"
    expect(pct((perMille(0.99996) ?? 0) / 1000)).toBe('>99.9%');
    expect(pct((perMille(0.00004) ?? 0) / 1000)).toBe('<0.1%');
    expect(perMille(null)).toBeNull();
    expect(perMille(Number.NaN)).toBeNull();
    expect(hundredths(3.456)).toBe(346);
    // conversations a month: to hundredths for the headline's sums, on the displayed whole number's side
    expect(conversationHundredths(44.4985)).toBe(4449);
    expect(conversationHundredths(44.4949)).toBe(4449);
    expect(conversationHundredths(44.5)).toBe(4450);
    expect(conversationHundredths(12.3456)).toBe(1235);
    expect(conversationHundredths(null)).toBeNull();
    for (let i = 0; i < 2000; i++) {
      const x = i / 1999;
      expect(pct((perMille(x) ?? 0) / 1000)).toBe(pct(x));
      const s = 1 + 4 * x;
      expect(score((hundredths(s) ?? 0) / 100)).toBe(score(s));
      const n = 80 * x + 0.495;
      expect(count((conversationHundredths(n) ?? 0) / 100)).toBe(count(n));
    }
  });

  it('says which accounts have no gap because their AI agent is not live for a full month yet', async () => {
    const body = await get<AccountsResponse>('/api/accounts');
    const waiting = {
      ...body.accounts[0]!,
      awaitingLive: true as const,
      gapPoints: null,
      gapConversations: null,
    };
    const columns = triageColumns({ ...body, accounts: [waiting, ...body.accounts.slice(1)] });
    const row = columns.columns.id.indexOf(waiting.id);
    expect(columns.columns.awaitingLive.flatMap((w, i) => (w === 1 ? [i] : []))).toEqual([row]);
    const decoded = decodeTriage(columns).accounts;
    expect(decoded[row]!.awaitingLive).toBe(true);
    expect(decoded.filter((a) => a.awaitingLive)).toHaveLength(1);
  });

  it('keeps 10,000 accounts small: under 450 KB gzipped with random figures, under 0.25× the documented shape', async () => {
    const base = (await get<AccountsResponse>('/api/accounts')).accounts;
    let seed = 7;
    const rnd = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const walk = (end: number) => {
      const out = [end];
      for (let m = 0; m < 11; m++) out.unshift(Math.max(0, Math.min(1, out[0]! + (rnd() - 0.5) * 0.04)));
      return out;
    };
    const csms = Array.from({ length: 60 }, (_, i) => `CSM Person ${i}`);
    const verticals = [
      'ecommerce',
      'fintech',
      'saas',
      'travel',
      'telecom',
      'healthcare',
      'gaming',
      'utilities',
    ];
    const accounts: AccountSummary[] = Array.from({ length: 10_000 }, (_, i) => {
      const a = base[i % base.length]!;
      const conversations = Math.round(200 + rnd() * 20_000);
      const resolved = Math.round(conversations * rnd() * 0.6);
      const rate = () => rnd();
      return {
        ...a,
        id: `acct-${String(i).padStart(5, '0')}`,
        name: `Company ${i} ${['Retail', 'Bank', 'Cloud', 'Air', 'Mobile'][i % 5]}`,
        vertical: verticals[i % verticals.length]!,
        csm: csms[i % csms.length]!,
        arr: Math.round(rnd() * 2_000_000),
        conversations,
        resolved,
        involvementRate: rate(),
        resolutionRate: rate(),
        automationRate: resolved / conversations,
        automationPotential: rate(),
        gapPoints: rate() * 0.3,
        gapConversations: rnd() * 3000,
        cxScore: 1 + rnd() * 4,
        flags:
          i % 4 === 0
            ? [
                {
                  kind: 'plateau',
                  reason: `Automation rate flat at ${(rnd() * 60).toFixed(1)}% for 4 months`,
                },
              ]
            : [],
        // a trend moves a few points a month: a random walk (±2 points) ending at this month's rate
        trend: walk(resolved / conversations),
      };
    });
    const full = { ...(await get<AccountsResponse>('/api/accounts')), accounts };
    const gz = gzipSync(JSON.stringify(triageColumns(full)), { level: 6 }).length;
    const fullGz = gzipSync(JSON.stringify(full), { level: 6 }).length;
    // uniformly random figures are the worst case for gzip (real ones are not: 312 KB on the
    // 10,000-account bench database, npm run bench:web); this guards the format's order of size
    console.log(
      `synthetic 10,000 accounts: triage ${Math.round(gz / 1024)} KB gz, full ${Math.round(fullGz / 1024)} KB gz`,
    );
    expect(gz).toBeLessThan(450 * 1024);
    expect(gz / fullGz).toBeLessThan(0.25);
  });
});
