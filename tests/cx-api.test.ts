import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CxResponse } from '../server/api-types.ts';
import { createApp } from '../server/app.ts';
import { openServingDb } from '../server/db/open.ts';
import { calibratedCx, cxSignals } from '../server/domain/cx.ts';
import type { Conversation } from '../server/domain/types.ts';
import { buildFixtureDb, FIXTURE_BUNDLE } from './helpers.ts';

let app: ReturnType<typeof createApp>;
let db: Database.Database;

const fixture = readFileSync(join(FIXTURE_BUNDLE, 'conversations.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Conversation);

beforeAll(async () => {
  db = openServingDb(await buildFixtureDb());
  app = createApp(db);
});

const cxOf = async (id: string) => (await (await app.request(`/api/accounts/${id}/cx`)).json()) as CxResponse;

describe('GET /api/accounts/:id/cx: agreement with CSAT', () => {
  it('the calibration says how it was fitted (the fixture has too few ratings for a curve)', async () => {
    const body = await cxOf('acme');
    expect(body.calibration).toMatchObject({ method: 'linear', weights: [0.5, 0.3, 0.2] });
  });

  it('the calibration curve counts the account’s ratings by rounded score, beside every account’s', async () => {
    const body = await cxOf('acme');
    const weights = body.calibration!.weights;
    // expected from the fixture itself: each rated conversation's score, rounded, its rating
    const bucket = (accountId?: string) => {
      const out = new Map<number, number[]>();
      for (const c of fixture.filter((c) => c.csat != null && (!accountId || c.accountId === accountId))) {
        const s = cxSignals(c);
        const k = Math.round(calibratedCx(s.resolution, s.sentiment, s.effort, weights));
        out.set(k, [...(out.get(k) ?? []), c.csat!]);
      }
      return out;
    };
    const mine = bucket('acme');
    const all = bucket();
    expect(body.calibrationCurve.map((p) => p.score)).toEqual([1, 2, 3, 4, 5]);
    for (const p of body.calibrationCurve) {
      const r = mine.get(p.score) ?? [];
      const g = all.get(p.score) ?? [];
      expect(p.rated).toBe(r.length);
      expect(p.meanCsat).toBe(r.length ? r.reduce((a, b) => a + b, 0) / r.length : null);
      expect(p.globalRated).toBe(g.length);
    }
    expect(body.calibrationCurve.reduce((s, p) => s + p.rated, 0)).toBe(3);
    expect(body.calibrationCurve.reduce((s, p) => s + p.globalRated, 0)).toBe(4);
  });

  it('the disagreement queue lists rated conversations by |score − rating|, largest first', async () => {
    const body = await cxOf('acme');
    expect(body.disagreements.length).toBeGreaterThan(0);
    const gaps = body.disagreements.map((d) => Math.abs(d.gap));
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
    const weights = body.calibration!.weights;
    for (const d of body.disagreements) {
      const c = fixture.find((c) => c.id === d.id)!;
      expect(c.accountId).toBe('acme');
      expect(d.csat).toBe(c.csat);
      const s = cxSignals(c);
      expect(d.score).toBe(calibratedCx(s.resolution, s.sentiment, s.effort, weights));
      expect(d.gap).toBeCloseTo(d.score - d.csat, 12);
      expect(d.label).not.toBe('');
    }
  });

  it('an account without ratings has an empty curve and queue', async () => {
    const rated = new Set(fixture.filter((c) => c.csat != null).map((c) => c.accountId));
    const accounts = readFileSync(join(FIXTURE_BUNDLE, 'accounts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    const unrated = accounts.find((a) => !rated.has(a));
    expect(unrated).toBeDefined();
    const body = await cxOf(unrated!);
    expect(body.calibrationCurve).toEqual([]);
    expect(body.disagreements).toEqual([]);
  });
});
