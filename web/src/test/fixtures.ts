/** Builders for API-shaped test data (unit tests only). */
import type {
  AccountDetail,
  AccountSummary,
  ActionsResponse,
  BreakdownResponse,
  CxResponse,
  LeafPatternRow,
  MonthFigures,
  PeriodFigures,
} from '../api/server-types.ts';

export function period(over: Partial<PeriodFigures> = {}): PeriodFigures {
  return {
    conversations: 1000,
    involved: 800,
    resolved: 400,
    resolvedConfirmed: 150,
    resolvedAssumed: 250,
    reopened: 20,
    reopenedResolutions: 10,
    escalated: 200,
    procedureHandoff: 50,
    negativeFeedback: 30,
    abandoned: 60,
    pending: 10,
    ratings: 100,
    involvementRate: 0.8,
    resolutionRate: 0.5,
    confirmedResolutionRate: 0.1875,
    assumedResolutionRate: 0.3125,
    automationRate: 0.4,
    handoffRate: 0.3125,
    abandonRate: 0.075,
    reopenRate: 0.02,
    csat: 0.72,
    cxScore: 3.61,
    ...over,
  };
}

export function summary(over: Partial<AccountSummary> = {}): AccountSummary {
  return {
    ...period(),
    id: 'acme',
    name: 'Acme Retail',
    vertical: 'ecommerce',
    plan: 'Enterprise',
    csm: 'Dana Smith',
    region: 'EMEA',
    arr: 1_250_000,
    status: 'customer',
    aiLiveSince: '2025-01-15',
    month: '2026-03',
    windowAutomationRate: 0.39,
    automationPotential: 0.55,
    potentialLow: 0.5,
    potentialHigh: 0.6,
    gapPoints: 0.16,
    gapConversations: 160,
    flags: [],
    trend: [0.3, 0.32, null, 0.35, 0.38, 0.4],
    ...over,
  };
}

export function month(m: string, over: Partial<PeriodFigures> = {}): MonthFigures {
  return { ...period(over), month: m };
}

export function detail(over: Partial<AccountDetail> = {}): AccountDetail {
  return {
    ...summary(),
    dataAsOf: '2026-03-18T09:00:00Z',
    monthToDate: true,
    previous: month('2026-02', { automationRate: 0.38, conversations: 1200 }),
    window: { from: '2026-01', to: '2026-03', months: 3 },
    months: [
      month('2026-01'),
      month('2026-02', { automationRate: 0.38, conversations: 1200 }),
      month('2026-03'),
    ],
    ...over,
  };
}

export function breakdown(): BreakdownResponse {
  return {
    window: { from: '2026-01', to: '2026-03', months: 3 },
    classes: [
      {
        automationClass: 'informational',
        conversations: 1800,
        share: 0.6,
        involvementRate: 0.9,
        resolutionRate: 0.6,
        automationRate: 0.54,
        achievableAutomation: 0.7,
        gapPoints: 0.096,
        gapConversations: 96,
        cxScore: 3.9,
      },
      {
        automationClass: 'human',
        conversations: 1200,
        share: 0.4,
        involvementRate: 0.5,
        resolutionRate: 0.1,
        automationRate: 0.05,
        achievableAutomation: 0.06,
        gapPoints: 0.004,
        gapConversations: 4,
        cxScore: null,
      },
    ],
    leaves: [
      {
        taxonomyId: 'orders.where_is_my_order',
        label: 'Where is my order, "tracking"',
        group: 'Orders',
        automationClass: 'personalized',
        conversations: 900,
        monthlyConversations: 300,
        share: 0.3,
        involvementRate: 0.9,
        resolutionRate: 0.5,
        automationRate: 0.45,
        achievableInvolvement: 0.95,
        achievableResolution: 0.8,
        achievableAutomation: 0.76,
        gapPoints: 0.093,
        gapConversations: 93,
        cxScore: 3.5,
        csat: null,
        peerAccounts: 12,
      },
      {
        taxonomyId: 'billing.invoice',
        label: 'Invoice copy',
        group: 'Billing',
        automationClass: 'informational',
        conversations: 600,
        monthlyConversations: 200,
        share: 0.2,
        involvementRate: null,
        resolutionRate: null,
        automationRate: null,
        achievableInvolvement: 0.9,
        achievableResolution: 0.7,
        achievableAutomation: 0.63,
        gapPoints: 0.126,
        gapConversations: 126,
        cxScore: 4.1,
        csat: 0.9,
        peerAccounts: 0,
      },
    ],
  };
}

export function actions(): ActionsResponse {
  return {
    current: 0.39,
    potential: 0.55,
    actions: [
      {
        rank: 1,
        taxonomyId: 'billing.invoice',
        label: 'Invoice copy',
        automationClass: 'informational',
        kind: 'content',
        title: 'Write help content for invoice copies',
        rationale: 'Invoice copy is 20% of volume and resolves 0%.',
        fixes: [
          {
            kind: 'content',
            date: '2026-01-15',
            note: 'New invoice article',
            accountWide: false,
            planned: false,
          },
        ],
        evidence: {
          monthlyConversations: 200,
          share: 0.2,
          involvementRate: 0.5,
          resolutionRate: 0.2,
          achievableInvolvement: 0.9,
          achievableResolution: 0.7,
          automationRate: 0.1,
          achievableAutomation: 0.63,
          sampleIds: ['c-1'],
        },
        gainPoints: 0.1,
        gainConversations: 100,
        gainSource: 'lift',
        gainLow: 0.06,
        gainHigh: 0.1,
        liftAccounts: 9,
        headroomPoints: 0.12,
        gainBasis:
          'Expected gain: the lift measured for content fixes on 9 accounts against matched controls, on this topic’s share of volume: 10.0 pts (95% interval 6.0 pts–10.0 pts).',
        cumulativeRate: 0.49,
      },
      {
        rank: 2,
        taxonomyId: 'orders.where_is_my_order',
        label: 'Where is my order',
        automationClass: 'personalized',
        kind: 'data_connector',
        title: 'Connect the order-status API',
        rationale: 'WISMO resolves 50% vs 80% at peers.',
        fixes: [],
        evidence: {
          monthlyConversations: 300,
          share: 0.3,
          involvementRate: 0.9,
          resolutionRate: 0.5,
          achievableInvolvement: 0.95,
          achievableResolution: 0.8,
          automationRate: 0.45,
          achievableAutomation: 0.72,
          sampleIds: [],
        },
        gainPoints: 0.06,
        gainConversations: 60,
        gainSource: 'peers',
        gainLow: null,
        gainHigh: null,
        liftAccounts: null,
        headroomPoints: 0.06,
        gainBasis:
          'Expected gain: the gap to the peers’ level (6.0 pts); no lift measured on enough accounts for this kind of fix.',
        cumulativeRate: 0.55,
      },
    ],
  };
}

export function cx(): CxResponse {
  return {
    distribution: [
      { score: 1, conversations: 50 },
      { score: 2, conversations: 120 },
      { score: 3, conversations: 400 },
      { score: 4, conversations: 900 },
      { score: 5, conversations: 530 },
    ],
    subSignals: { resolution: 3.4, sentiment: 3.9, effort: 3.2 },
    lowestTopics: [
      { taxonomyId: 'billing.invoice', label: 'Invoice copy', cxScore: 2.4, conversations: 600 },
    ],
    calibration: {
      spearman: 0.61,
      heldOut: 1200,
      weights: [0.5, 0.3, 0.2],
      method: 'isotonic',
      spearmanLinear: 0.6,
      spearmanResolution: 0.49,
    },
    calibrationCurve: [1, 2, 3, 4, 5].map((score) => ({
      score,
      rated: score * 10,
      meanCsat: score === 1 ? null : score - 0.3,
      globalRated: score * 100,
      globalMeanCsat: score - 0.1,
    })),
    disagreements: [
      {
        id: 'acme-17',
        taxonomyId: 'billing.invoice',
        label: 'Invoice copy',
        createdAt: '2026-03-04T10:22:00.000Z',
        channel: 'chat',
        aiInvolved: true,
        aiResolutionState: 'assumed_resolution',
        reopened: false,
        csat: 1,
        score: 4.25,
        gap: 3.25,
        resolution: 4.3,
        sentiment: 3.6,
        effort: 4.6,
      },
    ],
  };
}

/** A topic row of the Patterns view; `over` replaces any field. */
export const leafPattern = (over: Partial<LeafPatternRow> = {}): LeafPatternRow => ({
  taxonomyId: 'orders.where_is_my_order',
  label: 'Where is my order',
  group: 'Orders',
  automationClass: 'personalized',
  accounts: 10,
  accountShare: 0.5,
  conversations: 1000,
  share: 0.1,
  resolutionSpread: { min: 0.2, p25: 0.4, median: 0.5, p75: 0.6, max: 0.8 },
  points: [{ accountId: 'acme', name: 'Acme', resolutionRate: 0.5, conversations: 300 }],
  unrealizedConversations: 120,
  unrealizedByLever: { audience: 90, resolution: 30 },
  common: true,
  consistent: true,
  proven: true,
  largeGap: true,
  generalizes: true,
  ...over,
});
