/**
 * Next actions' expected gain (server/domain/actions.ts, issue 10 item 4): a kind's measured lift
 * on enough treated accounts, × the topic's share, capped by the topic's gap to its achievable
 * level; the peers' gap otherwise. Worked examples.
 */
import { describe, expect, it } from 'vitest';
import {
  type ActionLift,
  actionKind,
  actionTitle,
  expectedGain,
  fixesOnTopic,
  fixHistorySentence,
  gainBasis,
  MIN_LIFT_ACCOUNTS,
  planActions,
} from '../server/domain/actions.ts';
import type { LeafPotential } from '../server/domain/potential.ts';
import type { InterventionKind } from '../server/domain/types.ts';

const lifts = (...l: ActionLift[]) => new Map<InterventionKind, ActionLift>(l.map((x) => [x.kind, x]));
// content fixes: +20 points of the topic's automation [+10, +35] on 6 treated accounts
const content: ActionLift = { kind: 'content', accounts: 6, lift: 0.2, low: 0.1, high: 0.35 };

/** A topic of an account with 3,000 conversations over 3 months (1,000 a month). */
function leaf(
  taxonomyId: string,
  automationClass: LeafPotential['automationClass'],
  share: number,
  current: number,
  achievable: number,
  limitedBy: LeafPotential['limitedBy'] = 'resolution',
): LeafPotential {
  const gapPoints = share * (achievable - current);
  return {
    taxonomyId,
    automationClass,
    conversations: 3000 * share,
    share,
    involvementRate: 0.9,
    resolutionRate: current / 0.9,
    automationRate: current,
    achievable: { involvement: 0.9, resolution: achievable / 0.9, peers: 8 },
    achievableAutomation: achievable,
    gapPoints,
    gapConversations: (gapPoints * 3000) / 3,
    limitedBy,
    // involvement already at its target: the whole gap is resolution's
    involvementPart: 0,
    resolutionPart: gapPoints,
  };
}

describe('expectedGain', () => {
  it('applies a measured lift to the topic’s share of volume', () => {
    // 20% of volume at 30% automation, peers at 60%: headroom 0.2 × 30 = 6 points of the account
    const g = expectedGain(
      leaf('howto.feature_usage', 'informational', 0.2, 0.3, 0.6),
      'content',
      lifts(content),
    );
    expect(g.source).toBe('lift');
    expect(g.accounts).toBe(6);
    expect(g.points).toBeCloseTo(0.2 * 0.2, 12); // 4 points, under the 6-point headroom
    expect(g.low).toBeCloseTo(0.2 * 0.1, 12); // 2 points
    // the high end, 0.2 × 35 = 7 points, is capped by the headroom: 6 points
    expect(g.high).toBeCloseTo(0.06, 12);
  });

  it('is capped by the topic’s headroom to its achievable level', () => {
    // 20% of volume at 50%, peers at 60%: headroom 2 points < 0.2 × 20 = 4
    const g = expectedGain(
      leaf('howto.feature_usage', 'informational', 0.2, 0.5, 0.6),
      'content',
      lifts(content),
    );
    expect(g.points).toBeCloseTo(0.02, 12);
    expect(g.low).toBeCloseTo(0.02, 12);
    expect(g.high).toBeCloseTo(0.02, 12);
  });

  it('does not count on a fix to lower the rate', () => {
    const shaky: ActionLift = { kind: 'content', accounts: 7, lift: 0.05, low: -0.1, high: 0.2 };
    const g = expectedGain(
      leaf('howto.feature_usage', 'informational', 0.2, 0.3, 0.6),
      'content',
      lifts(shaky),
    );
    expect(g.points).toBeCloseTo(0.01, 12);
    expect(g.low).toBe(0);
  });

  it('falls back to the peers’ gap with too few treated accounts, no lift, or no kind of fix to measure', () => {
    const l = leaf('orders.where_is_my_order', 'personalized', 0.1, 0.2, 0.7);
    const few: ActionLift = {
      kind: 'data_connector',
      accounts: MIN_LIFT_ACCOUNTS - 1,
      lift: 0.3,
      low: 0.2,
      high: 0.4,
    };
    for (const g of [
      expectedGain(l, 'data_connector', lifts(few)),
      expectedGain(l, 'procedure', lifts(content)),
      expectedGain(l, 'routing', lifts(content)),
    ]) {
      expect(g).toEqual({ points: l.gapPoints, low: null, high: null, source: 'peers', accounts: null });
    }
    // widening the audience stands on channel rollouts' lift
    const rollout: ActionLift = { kind: 'channel_rollout', accounts: 5, lift: 0.1, low: 0.05, high: 0.15 };
    expect(expectedGain(l, 'widen_audience', lifts(rollout)).points).toBeCloseTo(0.01, 12);
  });
});

describe('planActions with measured lifts', () => {
  it('ranks by the expected conversations, and the roadmap adds the expected gains', () => {
    const leaves = [
      // content, 20% of volume, headroom 6 points: lift gives 4 points (40 conversations/month)
      leaf('howto.feature_usage', 'informational', 0.2, 0.3, 0.6),
      // data connector, 10%, headroom 5 points: no lift, the peers' gap (50 conversations/month)
      leaf('orders.where_is_my_order', 'personalized', 0.1, 0.2, 0.7),
    ];
    const actions = planActions(leaves, 0.4, 3, lifts(content));
    expect(actions.map((a) => [a.taxonomyId, a.kind, a.gainSource])).toEqual([
      ['orders.where_is_my_order', 'data_connector', 'peers'],
      ['howto.feature_usage', 'content', 'lift'],
    ]);
    expect(actions[0]!.gainConversations).toBeCloseTo(50, 9);
    expect(actions[1]!.gainConversations).toBeCloseTo(40, 9);
    expect(actions[1]!.headroomPoints).toBeCloseTo(0.06, 12);
    expect(actions[1]!.liftAccounts).toBe(6);
    expect(actions[1]!.cumulativeRate).toBeCloseTo(0.4 + 0.05 + 0.04, 12);
    // without lifts it is the peers' roadmap: to the potential (0.4 + 5 + 6 points)
    const peers = planActions(leaves, 0.4, 3);
    expect(peers.map((a) => a.gainSource)).toEqual(['peers', 'peers']);
    expect(peers.at(-1)!.cumulativeRate).toBeCloseTo(0.51, 12);
    expect(peers[0]!.taxonomyId).toBe('howto.feature_usage');
  });

  it('splits a topic held back by both levers into two actions, each credited with its own lever', () => {
    // 10% of volume: involvement 31% of a target 95%, resolution 28% of a target 84%. Widening alone
    // (resolution stays 28%): 10% × 64 × 28% = 1.79 points; a data connector alone (involvement stays
    // 31%): 10% × 31% × 56 = 1.74; both together add 10% × 64 × 56 = 3.58 more, counted to the second
    const l: LeafPotential = {
      ...leaf('orders.where_is_my_order', 'personalized', 0.1, 0.31 * 0.28, 0.95 * 0.84, 'involvement'),
      involvementRate: 0.31,
      resolutionRate: 0.28,
      achievable: { involvement: 0.95, resolution: 0.84, peers: 8 },
      involvementPart: 0.1 * 0.64 * 0.28,
      resolutionPart: 0.1 * 0.31 * 0.56,
    };
    const plan = planActions([l], 0.3, 3);
    expect(plan.map((a) => [a.kind, a.rank])).toEqual([
      ['widen_audience', 1],
      ['data_connector', 2],
    ]);
    expect(plan[0]!.gainPoints).toBeCloseTo(0.01792, 12);
    expect(plan[1]!.gainPoints).toBeCloseTo(0.01736 + 0.03584, 12);
    // the two reach the topic's target: the roadmap is unchanged, only who is credited with what
    expect(plan[1]!.cumulativeRate).toBeCloseTo(0.3 + l.gapPoints, 12);
    expect(gainBasis(plan[1]!, false, 8, { rank: 1, kind: 'widen_audience' })).toBe(
      'Expected gain: the gap to the peers’ level (5.3 pts); no lift measured on enough accounts for this kind of fix. Counted after action 1 on this topic: it includes what only the two together bring (the wider audience resolving more of the conversations it adds).',
    );
    // the second's gain (5.3) is over its first's (1.8): it ranks by the smaller, so a topic whose
    // one action brings 3.0 comes before both, and the second never above its first
    const other = leaf('billing.refund_status', 'personalized', 0.1, 0.5, 0.8, 'resolution');
    expect(planActions([l, other], 0.3, 3).map((a) => [a.taxonomyId, a.kind])).toEqual([
      ['billing.refund_status', 'data_connector'],
      ['orders.where_is_my_order', 'widen_audience'],
      ['orders.where_is_my_order', 'data_connector'],
    ]);
    // a lever that closes under 0.05 points alone leaves the one action of the diagnosis
    const [only] = planActions([{ ...l, resolutionPart: 0.0004 }], 0.3, 3);
    expect(only).toMatchObject({ kind: 'widen_audience', gainPoints: expect.closeTo(l.gapPoints, 12) });
    // a human topic is routed, never split
    expect(planActions([{ ...l, automationClass: 'human' }], 0.3, 3).map((a) => a.kind)).toEqual(['routing']);
  });

  it('proposes nothing on a topic seen fewer than 5 times in the window', () => {
    // a small account: 4 conversations of 40 (10% of volume) at 0% automation, peers at 60%: a 6-point
    // gap on a handful of messages is no evidence for an action
    const four = { ...leaf('howto.feature_usage', 'informational', 0.1, 0, 0.6), conversations: 4 };
    expect(planActions([four], 0.4, 3)).toEqual([]);
    expect(planActions([{ ...four, conversations: 5 }], 0.4, 3)).toHaveLength(1);
  });

  it('drops an action whose measured lift promises under 0.05 points', () => {
    // 0.2% of volume: the gap is 0.08 points, the lift on it 0.04 (a card reading "+0.0 pts")
    const tiny = leaf('howto.feature_usage', 'informational', 0.002, 0.3, 0.7);
    expect(planActions([tiny], 0.4, 3, lifts(content))).toEqual([]);
    expect(planActions([tiny], 0.4, 3).map((a) => a.gainPoints)).toEqual([expect.closeTo(0.0008, 12)]);
  });

  it('takes a fix still settling on the topic off its gap before the gain: a fix made last month is not promised again', () => {
    const feature = leaf('howto.feature_usage', 'informational', 0.2, 0.3, 0.6);
    const settlingContent = () => ['content' as const];
    // the gap is 6 points; the content fix settling is expected to bring 20% × 20 pts = 4: 2 are left,
    // and this action's own lift (4 points) is capped by them
    const [after] = planActions([feature], 0.4, 3, lifts(content), undefined, settlingContent);
    expect(after!.headroomPoints).toBeCloseTo(0.02, 12);
    expect(after!.gainPoints).toBeCloseTo(0.02, 12);
    expect(gainBasis(after!, true)).toContain(
      'capped by the topic’s gap to the peers’ level left once the fix still settling has had its expected effect: 2.0 pts (the lift’s whole 95% interval lies above that gap)',
    );
    // a fix of a kind with no measured lift is expected to close the whole gap: no action is left
    expect(planActions([feature], 0.4, 3, lifts(content), undefined, () => ['procedure'])).toEqual([]);
    expect(planActions([feature], 0.4, 3, new Map(), undefined, settlingContent)).toEqual([]);
    // a fix on the other lever leaves this one's gap alone (a channel roll-out raises involvement, not
    // what help content resolves), and a kind logged twice counts once
    const [other] = planActions([feature], 0.4, 3, lifts(content), undefined, () => ['channel_rollout']);
    expect(other!.headroomPoints).toBeCloseTo(0.06, 12);
    const [twice] = planActions([feature], 0.4, 3, lifts(content), undefined, () => ['content', 'content']);
    expect(twice!.headroomPoints).toBeCloseTo(0.02, 12);
  });

  it('says where the gain comes from', () => {
    const [, lifted] = planActions(
      [
        leaf('howto.feature_usage', 'informational', 0.2, 0.3, 0.6),
        leaf('orders.where_is_my_order', 'personalized', 0.1, 0.2, 0.7),
      ],
      0.4,
      3,
      lifts(content),
    );
    // the interval's upper end (20% × 30 pts) reaches the topic's gap of 6 points: said, since a cut end
    // (or both, "+0.3 to +0.3") would otherwise read as a measured certainty
    expect(gainBasis(lifted!)).toBe(
      'Expected gain: the lift measured for content fixes on 6 accounts against matched controls, on this topic’s share of volume: 4.0 pts (95% interval 2.0 pts–6.0 pts), capped by the topic’s gap to the peers’ level (6.0 pts).',
    );
    expect(gainBasis({ ...lifted!, gainHigh: 0.05 })).toBe(
      'Expected gain: the lift measured for content fixes on 6 accounts against matched controls, on this topic’s share of volume: 4.0 pts (95% interval 2.0 pts–5.0 pts).',
    );
    // the account already wrote content on this topic: the lift of a first fix is said to be one
    expect(gainBasis({ ...lifted!, gainHigh: 0.05 }, false, undefined, undefined, true)).toBe(
      'Expected gain: the lift measured for content fixes on 6 accounts against matched controls, on this topic’s share of volume: 4.0 pts (95% interval 2.0 pts–5.0 pts). That lift is measured on first fixes of the kind; reviewing one already made may bring less.',
    );
    // both ends at the gap: a cap, not an interval of one value
    expect(gainBasis({ ...lifted!, gainPoints: 0.06, gainLow: 0.06, gainHigh: 0.06 })).toBe(
      'Expected gain: the lift measured for content fixes on 6 accounts against matched controls, on this topic’s share of volume, capped by the topic’s gap to the peers’ level: 6.0 pts (the lift’s whole 95% interval lies above that gap).',
    );
    const fromPeers = {
      kind: 'routing',
      gainSource: 'peers',
      gainPoints: 0.05,
      gainLow: null,
      gainHigh: null,
      liftAccounts: null,
      headroomPoints: 0.05,
    } as const;
    expect(gainBasis(fromPeers)).toBe(
      'Expected gain: the gap to the peers’ level (5.0 pts); no lift measured on enough accounts for this kind of fix.',
    );
    // no peer accounts behind the level: it is its class's
    expect(gainBasis(fromPeers, false, 0)).toBe(
      'Expected gain: the gap to the level for topics of its class (5.0 pts); no lift measured on enough accounts for this kind of fix.',
    );
  });
});

describe('the kind of action a topic gets', () => {
  it('widens the audience where involvement holds a topic back, except a human one, which is routed', () => {
    const kind = (
      limitedBy: LeafPotential['limitedBy'],
      automationClass: LeafPotential['automationClass'],
      taxonomyId = 'orders.where_is_my_order',
    ) => actionKind({ limitedBy, automationClass, taxonomyId });
    expect(kind('involvement', 'informational')).toBe('widen_audience');
    expect(kind('resolution', 'personalized')).toBe('data_connector');
    expect(kind('resolution', 'action')).toBe('procedure');
    // SPEC §3: human topics stay out of the AI agent's scope, however few of them it sees
    expect(kind('involvement', 'human')).toBe('routing');
    expect(kind('resolution', 'human')).toBe('routing');
    // no help article resolves "hi" or small talk: the AI agent is guided to ask what is needed
    expect(kind('resolution', 'informational', 'other.greeting')).toBe('guidance');
    expect(kind('resolution', 'informational', 'other.out_of_scope')).toBe('guidance');
    expect(kind('involvement', 'informational', 'other.greeting')).toBe('widen_audience');
    // opening hours and contact details are a real request, answered by help content
    expect(kind('resolution', 'informational', 'other.business_hours')).toBe('content');
    expect(actionTitle('guidance', 'Greeting or unclear request')).toBe(
      'Guide the AI agent to ask what the customer needs in “Greeting or unclear request”',
    );
  });
});

describe('fixes the account already logged on an action’s topic', () => {
  const logged = [
    {
      date: '2026-01-15',
      kind: 'procedure' as const,
      taxonomyId: 'orders.cancel_order',
      note: 'Cancel flow live',
    },
    { date: '2026-02-01', kind: 'channel_rollout' as const, taxonomyId: null, note: 'WhatsApp' },
    { date: '2026-03-01', kind: 'content' as const, taxonomyId: 'orders.cancel_order', note: null },
    { date: '2026-03-01', kind: 'content' as const, taxonomyId: null, note: 'Help centre rewrite' },
    { date: '2026-12-01', kind: 'procedure' as const, taxonomyId: 'orders.cancel_order', note: 'v2' },
    { date: '2026-04-01', kind: 'procedure' as const, taxonomyId: 'billing.refund_status', note: null },
  ];
  const asOf = '2026-11-18T09:00:00Z';

  it('lists the topic’s own fixes of any kind and account-wide ones of the action’s kind, newest first', () => {
    const fixes = fixesOnTopic('orders.cancel_order', 'procedure', logged, asOf);
    expect(fixes.map((f) => [f.date, f.kind, f.accountWide, f.planned])).toEqual([
      ['2026-12-01', 'procedure', false, true],
      ['2026-03-01', 'content', false, false],
      ['2026-01-15', 'procedure', false, false],
    ]);
    expect(
      fixesOnTopic('shipping.delivery_options', 'widen_audience', logged, asOf).map((f) => [
        f.kind,
        f.accountWide,
      ]),
    ).toEqual([['channel_rollout', true]]);
    expect(fixesOnTopic('shipping.delivery_options', 'data_connector', logged, asOf)).toEqual([]);
  });

  it('retitles an action whose kind of fix was already made there, and says when in its rationale', () => {
    const fixes = fixesOnTopic('orders.cancel_order', 'procedure', logged, asOf);
    expect(actionTitle('procedure', 'Cancel an order', fixes)).toBe(
      'Review the procedure already built for “Cancel an order”',
    );
    expect(actionTitle('data_connector', 'Cancel an order', fixes)).toBe(
      'Connect a data source so the AI agent can look up “Cancel an order”',
    );
    // only planned: still the first time
    expect(
      actionTitle(
        'procedure',
        'X',
        fixes.filter((f) => f.planned),
      ),
    ).toBe('Build a procedure so the AI agent can handle “X”');
    expect(fixHistorySentence(fixes, asOf)).toBe(
      'Help content went live on this topic on 1 Mar 2026 (2 fixes logged); the topic is still below the peers’ level since. A procedure is planned on this topic for 1 Dec 2026.',
    );
    // a fix under two months old may not be in the figures yet
    expect(
      fixHistorySentence(
        fixesOnTopic('orders.cancel_order', 'procedure', logged, '2026-04-10'),
        '2026-04-10',
      ),
    ).toBe(
      'Help content went live on this topic on 1 Mar 2026 (2 fixes logged), less than two months before the data ends: its effect is not in these figures yet, so what it is expected to bring is taken off the topic’s gap first. A procedure is planned on this topic for 1 Dec 2026.',
    );
    expect(fixHistorySentence([], asOf)).toBe('');
  });
});
