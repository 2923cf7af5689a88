import { describe, expect, it } from 'vitest';
import { planActions } from '../server/domain/actions.ts';
import {
  accountPotential,
  DEFAULT_MODEL,
  type LeafWindow,
  learnAchievable as learn,
  MODEL_V1,
  modelMethod,
} from '../server/domain/potential.ts';

// The exact values below are worked out for v1 (separate percentiles, no shrinkage).
const learnAchievable = (rows: LeafWindow[]) => learn(rows, MODEL_V1);

import { percentile } from '../server/domain/stats.ts';

const row = (
  accountId: string,
  taxonomyId: string,
  conversations: number,
  involved: number,
  resolved: number,
): LeafWindow => ({
  accountId,
  taxonomyId,
  automationClass: taxonomyId.startsWith('orders.where') ? 'personalized' : 'informational',
  conversations,
  involved,
  resolved,
});

// Five peers on "where is my order" with involvement 0.6..1.0 and resolution 0.4..0.8.
const peers = [0, 1, 2, 3, 4].map((i) =>
  row(`p${i}`, 'orders.where_is_my_order', 100, 60 + 10 * i, Math.round((60 + 10 * i) * (0.4 + 0.1 * i))),
);

describe('percentile', () => {
  it('interpolates linearly', () => {
    expect(percentile([1, 2, 3, 4, 5], 0.75)).toBe(4);
    expect(percentile([0, 10], 0.75)).toBe(7.5);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('achievable levels from peers', () => {
  it('takes the 75th percentile of qualifying peers on the leaf', () => {
    const table = learnAchievable(peers);
    const a = table.point.get('orders.where_is_my_order')!;
    expect(a.involvement).toBeCloseTo(0.9, 10);
    // resolutions: 24/60, 35/70, 48/80, 63/90, 80/100
    expect(a.resolution).toBeCloseTo(63 / 90, 10);
    expect(a.peers).toBe(5);
  });

  it('falls back to the class level when a leaf has too few peers', () => {
    const table = learnAchievable([...peers, row('x', 'howto.feature_usage', 100, 90, 80)]);
    const a = table.point.get('howto.feature_usage')!;
    expect(a.peers).toBe(0);
    // informational class has a single qualifying sample (<5 peers) → prior
    expect(a.involvement).toBe(0.9);
    expect(a.resolution).toBe(0.75);
  });

  it('ignores peers below the minimum volume', () => {
    const table = learnAchievable([...peers, row('tiny', 'orders.where_is_my_order', 10, 10, 10)]);
    expect(table.point.get('orders.where_is_my_order')!.involvement).toBeCloseTo(0.9, 10);
  });
});

describe('account potential', () => {
  const table = learnAchievable(peers);

  it('lifts each leaf to at least its achievable level, weighted by share', () => {
    const account = [
      row('a', 'orders.where_is_my_order', 300, 150, 60),
      row('a', 'howto.feature_usage', 100, 100, 90),
    ];
    const p = accountPotential(account, table, 3);
    // where-is-my-order: max(0.5, 0.9) × max(0.4, 0.7) = 0.63; feature usage: prior 0.9 inv, 0.75 res but
    // the account is above on both → 1.0 × 0.9 = 0.9.
    expect(p.currentRate).toBeCloseTo(150 / 400, 12);
    expect(p.potential).toBeCloseTo(0.75 * 0.9 * (63 / 90) + 0.25 * 0.9, 12);
    expect(p.gapPoints).toBeCloseTo(p.potential! - p.currentRate!, 12);
    expect(p.gapConversations).toBeCloseTo((p.gapPoints! * 400) / 3, 9);
    expect(p.leaves[0]!.taxonomyId).toBe('orders.where_is_my_order');
    expect(p.leaves.find((l) => l.taxonomyId === 'howto.feature_usage')!.gapPoints).toBe(0);
    expect(p.potentialLow!).toBeLessThanOrEqual(p.potential!);
    expect(p.potentialHigh!).toBeGreaterThanOrEqual(p.potential!);
  });

  it('is null for an account without conversations', () => {
    expect(accountPotential([], table, 3).potential).toBeNull();
  });

  it('plans actions by impact and sums to the potential', () => {
    const account = [
      row('a', 'orders.where_is_my_order', 300, 150, 60),
      row('a', 'howto.feature_usage', 100, 40, 20),
    ];
    const p = accountPotential(account, table, 3);
    const actions = planActions(p.leaves, p.currentRate!, 3);
    // The gap inv·res → 0.9·0.7 split between the levers in both orders and averaged. Where is my
    // order, 0.5 involvement at 0.4 resolution: involvement (0.9 − 0.5)·(0.4 + 0.7)/2 = 0.22 against
    // resolution (0.7 − 0.4)·(0.5 + 0.9)/2 = 0.21 → limited by the audience (taken in one order only,
    // 0.16 against 0.27 called it a resolution gap). Feature usage, 0.4 at 0.5 (targets 0.9 and
    // 0.75): 0.3125 against 0.1625 → audience.
    expect(p.leaves.map((l) => l.limitedBy)).toEqual(['involvement', 'involvement']);
    // Both topics are held back by both levers, so each gets both actions, each credited with its
    // own lever alone. Where is my order (75% of volume): widening at today's 40% resolution,
    // 0.75·0.4·0.4 = 12 points; a data connector at today's 50% involvement, 0.75·0.5·0.3 = 11.25;
    // the 0.75·0.4·0.3 = 9 points only both close go to the second. Feature usage (25%): 0.25·0.5·0.5
    // = 6.25 and 0.25·0.4·0.25 = 2.5, plus 0.25·0.5·0.25 = 3.125 to the second.
    expect(p.leaves.map((l) => [l.involvementPart, l.resolutionPart])).toEqual([
      [expect.closeTo(0.12, 12), expect.closeTo(0.1125, 12)],
      [expect.closeTo(0.0625, 12), expect.closeTo(0.025, 12)],
    ]);
    expect(actions.map((a) => [a.taxonomyId, a.kind, Number((a.gainPoints * 100).toFixed(4))])).toEqual([
      ['orders.where_is_my_order', 'widen_audience', 12],
      ['orders.where_is_my_order', 'data_connector', 20.25],
      ['howto.feature_usage', 'widen_audience', 6.25],
      ['howto.feature_usage', 'content', 5.625],
    ]);
    expect(actions.at(-1)!.cumulativeRate).toBeCloseTo(p.potential!, 12);
    // most of the audience there, little resolved (0.8 at 0.25): 0.1·0.475 = 0.0475 against
    // 0.45·0.85 = 0.3825 → resolution, a data connector for a personalized topic
    const lookup = accountPotential([row('a', 'orders.where_is_my_order', 300, 240, 60)], table, 3);
    expect(lookup.leaves[0]!.limitedBy).toBe('resolution');
    expect(planActions(lookup.leaves, lookup.currentRate!, 3)[0]!.kind).toBe('data_connector');
  });
});

describe('the shipped model (v2: joint percentile, shrinkage), worked by hand', () => {
  // Five peers whose most-involved accounts resolve least: involvement 0.6..1.0, resolution of the
  // involved 0.8..0.4, so automation (resolved / conversations) is 0.48, 0.49, 0.48, 0.45, 0.40.
  const crossing = [0, 1, 2, 3, 4].map((i) => {
    const involved = 60 + 10 * i;
    return row(`q${i}`, 'orders.where_is_my_order', 100, involved, Math.round(involved * (0.8 - 0.1 * i)));
  });

  it('takes resolution from the percentile of automation reached together, not on its own', () => {
    const shipped = learn(crossing, DEFAULT_MODEL).point.get('orders.where_is_my_order')!;
    expect(shipped.involvement).toBeCloseTo(0.9, 12); // P75 of 0.6..1.0
    // P75 of automation (0.40, 0.45, 0.48, 0.48, 0.49) is 0.48, reached at 0.9 involvement
    expect(shipped.resolution).toBeCloseTo(0.48 / 0.9, 12);
    // v1 would take the P75 of resolution alone (0.4..0.8): 0.7, a level no peer reaches with 0.9
    expect(learn(crossing, MODEL_V1).point.get('orders.where_is_my_order')!.resolution).toBeCloseTo(0.7, 12);
  });

  it('shrinks a small leaf toward the achievable level and never goes below what a leaf does', () => {
    const table = learn(crossing, DEFAULT_MODEL);
    const account = [
      row('a', 'orders.where_is_my_order', 30, 15, 6), // small: 0.5 involvement, 0.4 resolution
      row('a', 'howto.feature_usage', 90, 90, 81), // no peers: the informational prior 0.9 × 0.75
    ];
    const p = accountPotential(account, table, 3);
    // where is my order, shrunk with 30 pseudo-conversations at (0.9, 0.533):
    //   involvement (15 + 27) / 60 = 0.7, resolution (6 + 16) / 45 = 0.489 → targets 0.9 × 0.533 = 0.48
    // feature usage: shrunk 0.975 × 0.8625 = 0.841, below its own 0.9 → stays 0.9
    const leaf = p.leaves.find((l) => l.taxonomyId === 'orders.where_is_my_order')!;
    expect(leaf.achievableAutomation).toBeCloseTo(0.48, 12);
    expect(p.leaves.find((l) => l.taxonomyId === 'howto.feature_usage')!.achievableAutomation).toBeCloseTo(
      0.9,
      12,
    );
    expect(p.currentRate).toBeCloseTo(87 / 120, 12);
    expect(p.potential).toBeCloseTo(0.25 * 0.48 + 0.75 * 0.9, 12); // 0.795
    expect(p.gapPoints).toBeCloseTo(0.795 - 0.725, 12);
    expect(p.gapConversations).toBeCloseTo((0.07 * 120) / 3, 9);
    // the same account under v1 (no joint level, no shrinkage): 0.25 × 0.9 × 0.7 + 0.75 × 0.9 = 0.8325
    expect(accountPotential(account, learn(crossing, MODEL_V1), 3).potential).toBeCloseTo(0.8325, 12);
  });

  it('judges which lever holds a small topic back on the rates its card shows, not the shrunk ones', () => {
    // 40 conversations, 10 involved, none resolved; targets 0.9 and 0.533. Shown: involvement
    // (0.9 − 0.25)·(0 + 0.533)/2 = 0.173 against resolution 0.533·(0.25 + 0.9)/2 = 0.307 → resolution.
    // Shrunk (0.529, 0.4) it read 0.173 against 0.095: "widen the audience" for a topic it never resolves.
    const table = learn(crossing, DEFAULT_MODEL);
    const p = accountPotential([row('a', 'orders.where_is_my_order', 40, 10, 0)], table, 3);
    expect(p.leaves[0]!.limitedBy).toBe('resolution');
  });
});

describe('action rationale', () => {
  it('states volume, current and achievable rates, keeping a decimal for small leaves', async () => {
    const { actionRationale } = await import('../server/domain/actions.ts');
    const base = {
      rank: 1,
      taxonomyId: 'orders.where_is_my_order',
      automationClass: 'personalized' as const,
      gainPoints: 0.05,
      gainConversations: 12,
      share: 0.16,
      involvementRate: 0.9,
      resolutionRate: 0.43,
      achievableInvolvement: 0.96,
      achievableResolution: 0.81,
      cumulativeRate: 0.5,
      gainSource: 'peers' as const,
      gainLow: null,
      gainHigh: null,
      liftAccounts: null,
      headroomPoints: 0.05,
    };
    expect(
      actionRationale({ ...base, kind: 'data_connector', monthlyConversations: 904.4 }, 'Where is my order'),
    ).toBe(
      '“Where is my order”: 904 conversations/month (16% of volume); the AI agent resolves 43% of those it handles where peers reach 81% (involvement 90% vs 96%).',
    );
    expect(
      actionRationale({ ...base, kind: 'widen_audience', monthlyConversations: 0.33 }, 'Where is my order'),
    ).toBe(
      '“Where is my order”: 0.3 conversations/month (16% of volume); the AI agent takes part in 90% of them where peers reach 96%.',
    );
    // no peer accounts behind the level: it is not said to be what peers reach
    expect(
      actionRationale(
        { ...base, kind: 'widen_audience', monthlyConversations: 0.33 },
        'Where is my order',
        0,
      ),
    ).toBe(
      '“Where is my order”: 0.3 conversations/month (16% of volume); the AI agent takes part in 90% of them where the level for topics of its class is 96%.',
    );
  });
});

describe('modelMethod', () => {
  it('explains the model with the numbers it runs with', () => {
    const text = modelMethod(DEFAULT_MODEL);
    expect(text).toContain('75th percentile of peer accounts with at least 30 conversations');
    expect(text).toContain('fewer than 5 peers');
    expect(text).toContain('(30 pseudo-conversations)');
    expect(text).toContain('50th and 90th percentiles');
    const v1 = modelMethod({ ...MODEL_V1, percentile: 0.8, minPeers: 3 });
    expect(v1).toContain('80th percentile');
    expect(v1).toContain('fewer than 3 peers');
    expect(v1).not.toContain('pseudo-conversations');
    expect(v1).toContain('involvement and resolution, each on its own');
  });
});
