/**
 * End to end against hidden truth (issue 10): generate a small demo world, build it with the
 * real pipeline, and check what the pipeline concluded against the world's truth.json (which the
 * pipeline never reads). The tolerances are looser than the bars on the full demo (a
 * small world has fewer peers and noisier months), but a broken model fails them: a potential
 * that is the current rate, a constant, or flags raised at random.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoBundle, SPECIAL_IDS, type Truth } from '../scripts/demo/generate.ts';
import { evaluateRecovery, type Recovery } from '../scripts/demo/recovery.ts';
import { runPipeline } from '../scripts/pipeline/run.ts';
import type { ActionsResponse, BreakdownResponse } from '../server/api-types.ts';
import { createApp } from '../server/app.ts';
import { openServingDb } from '../server/db/open.ts';
import { type BuiltFigures, readBuiltFigures } from '../server/db/truth-eval.ts';

let root: string;
let truth: Truth;
let built: BuiltFigures;
let recovery: Recovery;
let dbPath: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cockpit-truth-'));
  const dir = join(root, 'bundle');
  // 30 accounts (the seed scenarios included), 9 months, 40% of the demo's volumes: ~60k conversations
  await generateDemoBundle({ accounts: 30, months: 9, seed: 42, volumeScale: 0.4, outDir: dir });
  const db = join(root, 'cockpit.db');
  dbPath = db;
  await runPipeline({ input: dir, db, log: () => {} });
  truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  built = readBuiltFigures(db);
  recovery = evaluateRecovery(truth, built);
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const flagsOf = (id: string) => built.accounts.find((a) => a.id === id)!.flags.map((f) => f.kind);

describe('recovery of a small world’s truth', () => {
  it('potential: close to the true ceilings, far better than the current rate or one number for all', () => {
    expect(recovery.ceiling.n).toBe(30);
    expect(recovery.ceiling.mae!).toBeLessThan(0.04);
    expect(Math.abs(recovery.ceiling.bias!)).toBeLessThan(0.035);
    expect(recovery.ceiling.mae!).toBeLessThan(0.3 * recovery.ceiling.baselines.current!);
    expect(recovery.ceiling.mae!).toBeLessThan(recovery.ceiling.baselines.constant!);
  });

  it('the predicted ceiling is rarely passed within 6 months', () => {
    expect(recovery.exceedance.n).toBeGreaterThan(40);
    expect(recovery.exceedance.rate!).toBeLessThan(0.2);
    // over 3 months in a row (the potential's window): every such pass is also a single-month pass
    const e = recovery.exceedance;
    expect(e.sustained.n).toBeGreaterThan(40);
    expect(e.sustained.rate! * e.sustained.n).toBeLessThanOrEqual(e.rate! * e.n + 1e-9);
    expect(e.sustained.rate!).toBeLessThan(0.2);
    // the true ceiling in the prediction's place passes less often on each reading
    expect(e.trueCeiling.sustained!).toBeLessThanOrEqual(e.trueCeiling.single!);
    expect(e.trueCeiling.sustained!).toBeLessThan(0.1);
  });

  it('flags: the seed scenarios are found, and what is flagged is mostly planted', () => {
    expect(flagsOf(SPECIAL_IDS.A)).toContain('climbing');
    expect(flagsOf(SPECIAL_IDS.B)).toContain('plateau');
    expect(flagsOf(SPECIAL_IDS.C)).toContain('climbing');
    const byState = new Map(recovery.states.map((s) => [s.state, s]));
    for (const state of ['plateau', 'climbing'] as const) {
      const s = byState.get(state)!;
      expect(s.truePositives + s.falseNegatives, `${state} planted`).toBeGreaterThanOrEqual(3);
      expect(s.precision!, `${state} precision`).toBeGreaterThanOrEqual(0.6);
      expect(s.recall!, `${state} recall`).toBeGreaterThanOrEqual(0.3);
    }
    // every planted state scored is a real one of the four
    const total = recovery.states.reduce((n, s) => n + s.truePositives + s.falseNegatives, 0);
    expect(total).toBeGreaterThan(10);
  });

  it('CX: agrees with CSAT, within reach of the ceiling the world allows', () => {
    expect(truth.csatCeiling!).toBeGreaterThan(0.6);
    expect(truth.csatCeiling!).toBeLessThan(0.85);
    expect(recovery.cx.share!).toBeGreaterThan(0.65);
  });

  it('the truth describes the bundle the pipeline read', () => {
    expect(Object.keys(truth.accounts).sort()).toEqual(built.accounts.map((a) => a.id).sort());
    // the planted interventions: most of them do move their leaf
    const planted = truth.interventions.length;
    expect(planted).toBeGreaterThan(10);
    expect(truth.interventions.filter((i) => i.effect > 0.01).length / planted).toBeGreaterThan(0.7);
  });
});

describe('next actions served for a world with real volume', () => {
  it('ranked by conversations gained, each on 5+ conversations, its evidence the breakdown’s, never past the potential', async () => {
    const serving = openServingDb(dbPath);
    try {
      const app = createApp(serving);
      const get = async <T>(path: string) => {
        const res = await app.request(path);
        expect(res.status, path).toBe(200);
        return (await res.json()) as T;
      };
      let seen = 0;
      let seconds = 0;
      for (const id of [SPECIAL_IDS.A, SPECIAL_IDS.B, SPECIAL_IDS.C]) {
        const { actions, potential, current } = await get<ActionsResponse>(`/api/accounts/${id}/actions`);
        const breakdown = await get<BreakdownResponse>(`/api/accounts/${id}/breakdown`);
        seen += actions.length;
        expect(actions.map((a) => a.rank)).toEqual(actions.map((_, i) => i + 1));
        // a topic's second action (one per lever) includes what only both bring, so it is ranked
        // by the smaller of its gain and its first's, and never above its first
        const firstOf = (a: (typeof actions)[number]) =>
          actions.find((x) => x.taxonomyId === a.taxonomyId && x.rank < a.rank);
        const rankedBy = (a: (typeof actions)[number]) =>
          Math.min(a.gainConversations, firstOf(a)?.gainConversations ?? Number.POSITIVE_INFINITY);
        for (let i = 1; i < actions.length; i++)
          expect(rankedBy(actions[i - 1]!)).toBeGreaterThanOrEqual(rankedBy(actions[i]!));
        let rate = current!;
        for (const a of actions) {
          const leaf = breakdown.leaves.find((l) => l.taxonomyId === a.taxonomyId)!;
          expect(leaf.conversations).toBeGreaterThanOrEqual(5);
          const first = firstOf(a);
          const second = actions.find((x) => x.taxonomyId === a.taxonomyId && x.rank > a.rank);
          if (first) {
            seconds++;
            // the second of two starts where the first leaves the topic, and takes it to its target
            expect(a.evidence.afterRank).toBe(first.rank);
            expect(a.evidence.automationRate).toBe(first.evidence.achievableAutomation);
            expect(a.evidence.achievableAutomation).toBe(leaf.achievableAutomation);
          } else {
            expect(a.evidence.afterRank).toBeUndefined();
            expect(a.evidence.automationRate).toBe(leaf.automationRate);
          }
          if (second) {
            // the first of two takes the topic only as far as its own lever goes
            expect(a.evidence.achievableAutomation).toBeLessThanOrEqual(leaf.achievableAutomation!);
            expect(a.evidence.achievableAutomation).toBeGreaterThanOrEqual(leaf.automationRate!);
          } else expect(a.evidence.achievableAutomation).toBe(leaf.achievableAutomation);
          expect(a.gainPoints).toBeLessThanOrEqual(a.headroomPoints + 1e-12);
          expect(a.headroomPoints).toBeLessThanOrEqual(leaf.gapPoints + 1e-12);
          rate += a.gainPoints;
          expect(a.cumulativeRate).toBeCloseTo(rate, 12);
        }
        expect(rate).toBeLessThanOrEqual(potential! + 1e-9);
      }
      expect(seen).toBeGreaterThan(10);
      // topics held back by both levers are there: the two-action evidence above was checked
      expect(seconds).toBeGreaterThan(0);
    } finally {
      serving.close();
    }
  });
});
