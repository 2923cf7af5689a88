import { describe, expect, it } from 'vitest';
import type { InterventionLiftRow } from '../../api/server-types.ts';
import { leafPattern } from '../../test/fixtures.ts';
import {
  controlChange,
  generalizeReasons,
  generalizeSummary,
  generalizesHelp,
  leafBoxItems,
  liftBoxItems,
  liftChartRows,
  liftKey,
  liftSentence,
  liftTone,
  mainLever,
  parsePatternsState,
  patternsHeadline,
  placeboOffZero,
  serializePatternsState,
  spreadChartLeaves,
  strongestFindings,
  topicFixes,
} from './patternsState.ts';

const leaf = leafPattern;

const event = (over: Partial<InterventionLiftRow['events'][number]> = {}) => ({
  accountId: 'acme',
  name: 'Acme',
  taxonomyId: 'orders.where_is_my_order',
  label: 'Where is my order',
  kind: 'data_connector' as const,
  date: '2026-05-04',
  month: '2026-05',
  beforeFrom: '2026-02',
  afterTo: '2026-08',
  before: 0.3,
  after: 0.65,
  conversationsBefore: 300,
  conversationsAfter: 320,
  controlBefore: 0.5,
  controlAfter: 0.52,
  controls: ['b', 'c'],
  lift: 0.33,
  variance: 0.002,
  preTrend: 0.01,
  preTrendLimit: 0.05,
  included: true,
  weight: 1,
  ...over,
});

const lift = (over: Partial<InterventionLiftRow>): InterventionLiftRow => ({
  kind: 'data_connector',
  n: 14,
  accounts: 12,
  lift: 0.31,
  low: 0.2,
  high: 0.4,
  p10: 0.25,
  p90: 0.36,
  skipped: { window: 3 },
  placebo: { n: 12, accounts: 12, lift: 0.004, low: -0.02, high: 0.03, p10: -0.01, p90: 0.02 },
  placeboShifted: null,
  events: [event(), event({ accountId: 'zed', name: 'Zed', lift: 0.9, included: false })],
  ...over,
});

describe('patterns URL state', () => {
  it('round-trips and omits defaults', () => {
    const s = parsePatternsState('vertical=ecommerce&period=6&leaf=orders.where_is_my_order');
    expect(s).toEqual({ vertical: 'ecommerce', period: 6, leaf: 'orders.where_is_my_order' });
    expect(serializePatternsState(s)).toBe('vertical=ecommerce&period=6&leaf=orders.where_is_my_order');
    expect(serializePatternsState({ vertical: 'all', period: 12, leaf: null })).toBe('');
  });
  it('falls back to defaults on junk', () => {
    expect(parsePatternsState('vertical=%3Cscript%3E&period=abc&leaf=a%20b')).toEqual({
      vertical: 'all',
      period: 12,
      leaf: null,
    });
    expect(parsePatternsState('period=-3').period).toBe(12);
    expect(parsePatternsState('period=2.5').period).toBe(12);
    // an integer period the server may not know is passed on (the server answers 400 with the valid ones)
    expect(parsePatternsState('period=24').period).toBe(24);
  });
});

describe('patternsHeadline', () => {
  it('totals unrealized volume and counts topics that generalize', () => {
    const h = patternsHeadline([
      leaf({}),
      leaf({ taxonomyId: 'b', generalizes: false, unrealizedConversations: 300.4, conversations: 500 }),
      leaf({
        taxonomyId: 'c',
        generalizes: false,
        unrealizedConversations: 0,
        accounts: 18,
        accountShare: 0.9,
      }),
    ]);
    expect(h.leaves).toBe(3);
    expect(h.generalizing).toBe(1);
    expect(h.unrealizedConversations).toBeCloseTo(420.4);
    expect(h.conversations).toBe(2500);
    expect(h.top?.taxonomyId).toBe('b');
    expect(h.accountsInScope).toBe(20);
  });
  it('is empty-safe', () => {
    expect(patternsHeadline([])).toEqual({
      leaves: 0,
      generalizing: 0,
      unrealizedConversations: 0,
      conversations: 0,
      top: null,
      accountsInScope: 0,
    });
  });
});

describe('generalizes reasons', () => {
  it('lists the three reasons with their rule', () => {
    const settings = {
      minConversations: 20,
      minInvolved: 20,
      commonShare: 0.3,
      commonAccounts: 3,
      consistentIqr: 0.25,
      provenResolution: 0.6,
      provenAccounts: 3,
      largeGapShare: 0.04,
    };
    const r = generalizeReasons(leaf({ proven: false, generalizes: false }), settings);
    expect(r.map((x) => [x.key, x.met])).toEqual([
      ['common', true],
      ['proven', false],
      ['largeGap', true],
    ]);
    expect(r[0]!.rule).toContain('30% of the accounts');
    expect(r[1]!.rule).toContain('at least 3 accounts already resolve 60% or more');
    expect(generalizeReasons(leaf({}), { ...settings, commonShare: 0.5 })[0]!.rule).toContain('50% of');
    expect(generalizesHelp(settings)).toContain('at least 4% of all unrealized conversations');
  });
  it('summarizes in words', () => {
    expect(generalizeSummary(leaf({}))).toBe('Generalizes: common, proven, large gap');
    expect(generalizeSummary(leaf({ proven: false, generalizes: false }))).toBe(
      'Common, large gap; not proven',
    );
    expect(
      generalizeSummary(leaf({ common: false, proven: false, largeGap: false, generalizes: false })),
    ).toBe('Not common, not proven, not large gap');
  });
});

describe('spread chart rows', () => {
  it('keeps the top leaves by unrealized volume that have a spread', () => {
    const rows = spreadChartLeaves(
      [
        leaf({ taxonomyId: 'a', unrealizedConversations: 5 }),
        leaf({ taxonomyId: 'b', unrealizedConversations: 50, resolutionSpread: null, points: [] }),
        leaf({ taxonomyId: 'c', unrealizedConversations: 20 }),
        leaf({ taxonomyId: 'd', unrealizedConversations: 10 }),
      ],
      2,
    );
    expect(rows.map((r) => r.taxonomyId)).toEqual(['c', 'd']);
  });
  it('maps leaves to box items with account dots', () => {
    const [item] = leafBoxItems([leaf({})]);
    expect(item!.key).toBe('orders.where_is_my_order');
    expect(item!.color).toBe('#0ca678');
    expect(item!.points).toEqual([{ key: 'acme', name: 'Acme', value: 0.5, detail: '300 conversations' }]);
    expect(item!.lines?.[1]).toBe('10 accounts · 120 unrealized conv/month');
  });
});

describe('a topic’s fixes', () => {
  it('lists the fixes measured on the topic, every kind, largest lift first', () => {
    const rows = [
      lift({
        kind: 'procedure',
        events: [event({ lift: 0.1 }), event({ taxonomyId: 'other.topic', lift: 0.9 })],
      }),
      lift({ kind: 'content', events: [event({ lift: 0.3, accountId: 'beta' })] }),
    ];
    expect(topicFixes(rows, 'orders.where_is_my_order').map((f) => [f.kind, f.accountId, f.lift])).toEqual([
      ['content', 'beta', 0.3],
      ['procedure', 'acme', 0.1],
    ]);
    expect(topicFixes(rows, 'no.such')).toEqual([]);
  });
});

describe('lifts', () => {
  it('reads as a sentence a PM can quote: lift, interval, n and placebo', () => {
    expect(liftSentence(lift({}))).toBe(
      'Data connector: +31.0 pts [+20.0 pts … +40.0 pts], 14 fixes in 12 accounts (3 more not measurable); placebo +0.4 pts',
    );
    expect(liftSentence(lift({ n: 1, accounts: 1, placebo: null, kind: 'content', skipped: {} }))).toBe(
      'Content: +31.0 pts [+20.0 pts … +40.0 pts], 1 fix in 1 account',
    );
    expect(liftSentence(lift({ n: 0, accounts: 0 }))).toBe(
      'Data connector: no fix measurable against matched controls',
    );
  });
  it('paints a lift as a gain or a loss only when its interval leaves out 0', () => {
    expect(liftTone(lift({}))).toBe('up');
    expect(liftTone(lift({ lift: -0.1, low: -0.2, high: -0.01 }))).toBe('down');
    // two accounts: +34 points on average, −85 … +100 points
    expect(liftTone(lift({ n: 3, accounts: 2, lift: 0.34, low: -0.85, high: 1 }))).toBe('unclear');
    expect(liftTone(lift({ n: 0, accounts: 0 }))).toBe('none');
    // one account, however narrow its interval
    expect(liftTone(lift({ n: 2, accounts: 1, low: 0.1, high: 0.5 }))).toBe('unclear');
  });
  it('warns of a placebo only when its interval leaves 0 out', () => {
    expect(placeboOffZero(null)).toBe(false);
    expect(placeboOffZero({ low: -0.02, high: 0.03 })).toBe(false);
    expect(placeboOffZero({ low: 0, high: 0.03 })).toBe(false);
    expect(placeboOffZero({ low: 0.004, high: 0.05 })).toBe(true);
    expect(placeboOffZero({ low: -0.05, high: -0.001 })).toBe(true);
  });
  it('charts measured kinds only, most measured first, keyed by kind', () => {
    const rows = liftChartRows(
      [
        lift({ kind: 'content', n: 2 }),
        lift({ kind: 'guidance', n: 0 }),
        lift({ kind: 'procedure', n: 3, lift: 0.1 }),
        lift({ kind: 'channel_rollout', n: 3, lift: 0.2 }),
      ],
      2,
    );
    expect(rows.map(liftKey)).toEqual(['channel_rollout', 'procedure']);
  });
  it('boxes the counted fixes only and computes the control change', () => {
    const [item] = liftBoxItems([lift({})]);
    expect(item!.label).toBe('Data connector');
    expect(item!.points).toHaveLength(1);
    expect(item!.points[0]).toMatchObject({ key: 'acme', value: 0.33 });
    expect(item!.points[0]!.detail).toBe('Where is my order: 30.0% → 65.0% (fix 2026-05)');
    expect(item!.spread?.median).toBeCloseTo(0.33);
    expect(item!.lines?.[0]).toBe('lift +31.0 pts [+20.0 pts … +40.0 pts] · n = 14 in 12 accounts');
    // the figure at the right is the pooled lift the table ranks by, "?" where the table says unclear
    expect(item!.figure).toBe('+31.0 pts');
    expect(liftBoxItems([lift({ n: 3, accounts: 2, lift: 0.34, low: -0.85, high: 1 })])[0]!.figure).toBe(
      '+34.0 pts ?',
    );
    expect(controlChange(event())).toBeCloseTo(0.02);
  });
});

describe('strongestFindings', () => {
  it('headlines only kinds measured on 5+ accounts with an interval above 0', () => {
    const rows = [
      lift({ kind: 'channel_rollout', n: 1, accounts: 1, lift: 0.114, low: 0.006 }),
      lift({ kind: 'procedure', n: 12, accounts: 10, lift: 0.33, low: 0.2 }),
      lift({ kind: 'content', n: 6, accounts: 5, lift: 0.2, low: -0.01 }),
    ];
    expect(strongestFindings(rows).map((r) => r.kind)).toEqual(['procedure']);
  });
});

describe('mainLever', () => {
  it('names the lever most of the unrealized volume needs, with its share', () => {
    expect(mainLever(leaf({}))).toEqual({ lever: 'audience', share: 0.75 });
    expect(mainLever(leaf({ unrealizedByLever: { audience: 10, resolution: 40 } }))).toEqual({
      lever: 'resolution',
      share: 0.8,
    });
    expect(mainLever(leaf({ unrealizedByLever: { audience: 0, resolution: 0 } }))).toBeNull();
    // what the table shows as 0 unrealized a month has no lever ("Resolution (100% of the gap)")
    expect(mainLever(leaf({ unrealizedByLever: { audience: 0, resolution: 0.3 } }))).toBeNull();
  });
});
