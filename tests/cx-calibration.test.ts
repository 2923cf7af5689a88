import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  calibrateCx,
  calibrateRated,
  cxSqlExpression,
  fitWeights,
  splitByAccount,
} from '../scripts/pipeline/calibrate.ts';
import { type ConversationRow, conversationStore, prepareBuildFile } from '../server/db/build.ts';
import {
  applyCurve,
  CX_SCORE_STEPS,
  calibratedCx,
  cxSignals,
  fitCxCurves,
  isotonicCurve,
  sentimentOf,
} from '../server/domain/cx.ts';
import { hash32 } from '../server/domain/stats.ts';

describe('isotonicCurve (pool adjacent violators)', () => {
  it('pools a violating pair into its mean, worked example', () => {
    // ratings by index 1,2,3,4: 1, 3, 2, 5 -> 3 and 2 violate order and pool to 2.5 at x = 2.5
    expect(isotonicCurve([1, 2, 3, 4], [1, 3, 2, 5])).toEqual({ x: [1, 2.5, 4], y: [1, 2.5, 5] });
  });
  it('pools equal indexes first and keeps an already monotone curve as it is', () => {
    expect(isotonicCurve([2, 2, 1], [4, 2, 1])).toEqual({ x: [1, 2], y: [1, 3] });
    expect(isotonicCurve([1, 2, 3], [2, 3, 4])).toEqual({ x: [1, 2, 3], y: [2, 3, 4] });
  });
  it('a decreasing relation pools into one flat block: the index says nothing', () => {
    expect(isotonicCurve([1, 2, 3], [5, 3, 1])).toEqual({ x: [2], y: [3] });
  });
  it('merges blocks down to at most 24 knots, still non-decreasing', () => {
    const x = Array.from({ length: 400 }, (_, i) => 1 + i / 100);
    const y = x.map((v) => v + Math.sin(v * 40) * 0.01);
    const c = isotonicCurve(x, y)!;
    expect(c.x.length).toBeLessThanOrEqual(24);
    for (let k = 1; k < c.y.length; k++) expect(c.y[k]!).toBeGreaterThanOrEqual(c.y[k - 1]!);
  });
});

describe('applyCurve and calibratedCx', () => {
  const curve = { x: [2, 4], y: [1.5, 4.5] };
  it('interpolates between knots and is flat beyond the ends', () => {
    expect(applyCurve(curve, 1)).toBe(1.5);
    expect(applyCurve(curve, 3)).toBe(3);
    expect(applyCurve(curve, 3.5)).toBe(3.75);
    expect(applyCurve(curve, 5)).toBe(4.5);
  });
  const curves = {
    intercept: 3.5,
    resolution: { x: [1, 5], y: [-1.5, 0.5] },
    sentiment: { x: [2, 4], y: [-0.5, 0.5] },
    effort: { x: [3], y: [0] },
  };
  it('adds each sub-signal’s curve to the mean rating, in steps of 1/64, within 1–5', () => {
    // 3.5 + (-1.5 + 0.5·(4.3 − 1)) + 0.25 + 0 = 3.9 -> 250/64 = 3.90625
    expect(calibratedCx(4.3, 3.5, 2, [0.5, 0.3, 0.2], curves)).toBe(250 / 64);
    // 3.5 + 0.5 + 0.5 + 0 = 4.5
    expect(calibratedCx(5, 5, 5, [0.5, 0.3, 0.2], curves)).toBe(4.5);
    // 3.5 − 1.5 − 0.5 = 1.5; a lower sentiment stays at its curve's floor
    expect(calibratedCx(1, 1, 1, [0.5, 0.3, 0.2], curves)).toBe(1.5);
    expect(calibratedCx(5, 5, 5, [0.5, 0.3, 0.2], { ...curves, intercept: 4.8 })).toBe(5);
  });
  it('without curves: the weighted mean of the sub-signals, rounded', () => {
    expect(calibratedCx(5, 1, 3, [1, 0, 0])).toBe(5);
    expect(calibratedCx(5, 1, 3, [1, 1, 1])).toBe(3);
    expect(calibratedCx(4.1, 3.3, 2.9, [0.5, 0.3, 0.2])).toBe(Math.round(64 * 3.62) / 64);
  });
});

describe('fitCxCurves (additive isotonic, by backfitting)', () => {
  it('recovers an additive monotone world, worked example', () => {
    // rating = 0.5 + 0.5·r + 0.25·s exactly, on a grid: the fit reproduces it
    const rows = [];
    for (const r of [1, 2, 3, 4, 5])
      for (const s of [1, 3, 5]) rows.push({ r, s, e: 3, csat: 0.5 + 0.5 * r + 0.25 * s });
    const c = fitCxCurves(rows)!;
    for (const row of rows)
      expect(calibratedCx(row.r, row.s, row.e, [1, 1, 1], c)).toBe(Math.round(64 * row.csat) / 64);
    // mean rating 2.75; the resolution curve rises 0.5 a step, the sentiment one 0.5 from 1 to 3 to 5
    // (a constant may move between the two curves: only their sum is identified)
    expect(c.intercept).toBe(2.75);
    const steps = (y: number[]) => y.slice(1).map((v, k) => Number((v - y[k]!).toFixed(6)));
    expect(steps(c.resolution.y)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(steps(c.sentiment.y)).toEqual([0.5, 0.5]);
    // each curve is non-decreasing; effort is constant, so its curve is flat
    for (const curve of [c.resolution, c.sentiment, c.effort])
      for (let k = 1; k < curve.y.length; k++) expect(curve.y[k]!).toBeGreaterThanOrEqual(curve.y[k - 1]!);
    expect(c.effort.y.every((v) => Math.abs(v) < 1e-9)).toBe(true);
  });
  it('a sub-signal the rating falls with gets a flat curve, not a negative weight', () => {
    const rows = [1, 2, 3, 4, 5].flatMap((r) => [1, 5].map((e) => ({ r, s: 3, e, csat: r - (e - 1) / 8 })));
    const c = fitCxCurves(rows)!;
    expect(new Set(c.effort.y).size).toBe(1);
  });
});

describe('cxSqlExpression', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE conversations (cx_resolution REAL, cx_sentiment REAL, cx_effort REAL)');
  const insert = db.prepare('INSERT INTO conversations VALUES (?, ?, ?)');
  const rows: [number, number, number][] = [];
  for (let i = 0; i < 500; i++) {
    const r: [number, number, number] = [
      1 + ((i * 7) % 41) / 10,
      1 + ((i * 13) % 41) / 10,
      1 + ((i * 3) % 41) / 10,
    ];
    rows.push(r);
    insert.run(...r);
  }
  const sqlScores = (c: Parameters<typeof cxSqlExpression>[0]) =>
    db
      .prepare(`SELECT ${cxSqlExpression(c)} FROM conversations ORDER BY rowid`)
      .pluck()
      .all() as number[];
  it('computes in SQLite exactly what calibratedCx computes, with curves', () => {
    const calibration = {
      weights: [0.37, 0.5, 0.13] as [number, number, number],
      curves: {
        intercept: 3.81,
        resolution: { x: [1.3, 2.4, 3.2, 4.3, 5], y: [-2.1, -1.2, -0.6, 0.2, 0.55] },
        sentiment: { x: [1.8, 2.6, 3, 3.4, 4.2], y: [-1.4, -0.6, -0.1, 0.2, 0.7] },
        effort: { x: [1, 2.2, 3.4, 5], y: [-0.4, -0.3, -0.1, 0.05] },
      },
    };
    const sql = sqlScores(calibration);
    expect(sql).toEqual(rows.map((r) => calibratedCx(...r, calibration.weights, calibration.curves)));
    // every score is a multiple of 1/64, so sums are exact in any order
    for (const v of sql) expect(Number.isInteger(v * CX_SCORE_STEPS)).toBe(true);
    expect(new Set(sql).size).toBeGreaterThan(20);
  });
  it('and without curves (the weighted mean)', () => {
    const calibration = { weights: [0.5, 0.3, 0.2] as [number, number, number], curves: null };
    expect(sqlScores(calibration)).toEqual(rows.map((r) => calibratedCx(...r, calibration.weights)));
  });
});

/** A world where the rating follows sentiment more than resolution, and accounts differ. */
function synthetic(n: number) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    const r = 1 + ((i * 37) % 401) / 100;
    const s = 1 + ((i * 91) % 401) / 100;
    const e = 1 + ((i * 53) % 401) / 100;
    const latent = 0.2 * r + 0.7 * s + 0.1 * e + (((i * 17) % 11) - 5) / 10;
    rows.push({
      id: `c${i}`,
      accountId: `a${i % 40}`,
      csat: Math.min(5, Math.max(1, Math.round(latent))),
      r,
      s,
      e,
    });
  }
  return rows;
}

describe('calibrateRated', () => {
  const rows = synthetic(4000);
  it('holds out whole accounts', () => {
    const { train, test } = splitByAccount(rows);
    const testAccounts = new Set(test.map((r) => r.accountId));
    expect(train.some((r) => testAccounts.has(r.accountId))).toBe(false);
    expect([...testAccounts].every((a) => hash32(a) % 5 === 0)).toBe(true);
  });
  it('weighs the sub-signal the rating follows most', () => {
    const w = fitWeights(splitByAccount(rows).train)!;
    expect(w[1]).toBeGreaterThan(w[0]);
    expect(w[0]).toBeGreaterThan(w[2] - 1e-9);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
  it('fits the curves on the training accounts; better than the outcome alone on held-out accounts', () => {
    const c = calibrateRated(rows);
    expect(c.method).toBe('isotonic');
    const { train } = splitByAccount(rows);
    expect(c.curves!.intercept).toBeCloseTo(train.reduce((a, r) => a + r.csat, 0) / train.length, 9);
    // the rating follows sentiment most: its curve spans the widest range
    const span = (k: 'resolution' | 'sentiment' | 'effort') => c.curves![k].y.at(-1)! - c.curves![k].y[0]!;
    expect(span('sentiment')).toBeGreaterThan(span('resolution'));
    expect(span('resolution')).toBeGreaterThan(span('effort'));
    expect(c.spearman!).toBeGreaterThan(c.spearmanResolution! + 0.2);
    expect(c.spearman!).toBeGreaterThan(c.spearmanLinear! - 0.02);
  });
  it('falls back to the default weights and no curve with too few ratings', () => {
    const c = calibrateRated(rows.slice(0, 100));
    expect(c.method).toBe('linear');
    expect(c.curves).toBeNull();
    expect(c.weights).toEqual([0.5, 0.3, 0.2]);
  });
});

describe('sub-signals from the words', () => {
  it('negation reaches a few words back, and stops at "but"', () => {
    expect(sentimentOf(['that is not really clear']).score).toBeLessThan(3);
    expect(sentimentOf(['not the fastest but great']).score).toBeGreaterThan(3);
  });
  it('an exclamation mark, a booster and capitals strengthen a word', () => {
    const plain = sentimentOf(['good']).score;
    expect(sentimentOf(['good!']).score).toBeGreaterThan(plain);
    expect(sentimentOf(['very good']).score).toBeGreaterThan(plain);
    expect(sentimentOf(['GOOD']).score).toBeGreaterThan(plain);
  });
  it('"thanks for nothing" is sarcasm, not thanks', () => {
    expect(sentimentOf(['wow. thanks for nothing']).score).toBeLessThan(3);
    expect(sentimentOf(['wow, thanks']).score).toBeGreaterThan(3);
  });
  it('"but" moves the weight to what follows', () => {
    expect(sentimentOf(['thanks but this is useless']).score).toBeLessThan(3);
  });
  const convo = (texts: string[]) => ({
    aiInvolved: true,
    aiResolutionState: 'assumed_resolution' as const,
    messages: texts.flatMap((text, k) => [
      { role: 'customer' as const, text, at: `2026-03-04T10:${String(k * 2).padStart(2, '0')}:00Z` },
      {
        role: 'ai' as const,
        text: 'Here is the answer.',
        at: `2026-03-04T10:${String(k * 2 + 1).padStart(2, '0')}:00Z`,
      },
    ]),
  });
  it('the opener counts for a quarter once the customer replied: its courtesy is not how it went', () => {
    const courteous = cxSignals(convo(['Hi, thank you so much in advance, where is my order?', 'ok']));
    const bare = cxSignals(convo(['Hi, thank you so much in advance, where is my order?']));
    expect(courteous.sentiment).toBeLessThan(bare.sentiment);
    expect(courteous.sentiment).toBeGreaterThan(3);
  });
  it('chasing the service costs effort: "still", "again", "anyone there??"', () => {
    const calm = cxSignals(convo(['where is my order?', 'I see', 'ok']));
    const chasing = cxSignals(convo(['where is my order?', 'Still waiting', 'hello?? anyone there']));
    expect(chasing.effort).toBeCloseTo(calm.effort - 1.2, 9);
  });
});

describe('isotonicCurve knots', () => {
  it('never has two knots at one position (a zero-width segment would divide by zero in SQL)', () => {
    const x = [1, 1 + 1e-14, 2, 2 + 2e-13, 3];
    const c = isotonicCurve(x, [1, 2, 3, 4, 5])!;
    for (let k = 1; k < c.x.length; k++) expect(c.x[k]!).toBeGreaterThan(c.x[k - 1]!);
    expect(c.x).toHaveLength(3);
  });
});

describe('calibrateCx on a large single-account import', () => {
  it('keeps a training side when one rating in 5 is sampled and the held-out split falls back to ids', () => {
    // 250,000 ratings of one account: one in 5 is sampled (over 60,000), and with one account the
    // held-out split is by hash32(id) % 5 — an unsalted sample would put every sampled row there
    const db = new Database(':memory:');
    prepareBuildFile(db);
    const rows: ConversationRow[] = [];
    for (let i = 0; i < 250_000; i++) {
      const csat = 1 + (i % 5);
      rows.push([
        `c${i}`,
        'solo',
        0,
        '2026-01',
        'chat',
        1,
        'escalated',
        0,
        csat,
        'other.greeting',
        1,
        csat,
        1 + ((i * 7) % 5),
        1 + ((i * 3) % 4),
        0,
      ]);
    }
    conversationStore(db).insertMany(rows);
    const c = calibrateCx(db, '2026-02');
    expect(c.ratedBefore).toBe('2026-02');
    expect(c.rated).toBe(250_000);
    expect(c.calibrated).toBe(true);
    expect(c.method).toBe('isotonic');
    // about a fifth of the ~50,000 sampled ratings are held out, not all of them
    expect(c.heldOut).toBeGreaterThan(8_000);
    expect(c.heldOut).toBeLessThan(12_000);
    db.close();
  });
});
