/**
 * Prospects (saved, or unsaved estimates kept for a while) seen through the account endpoints
 * (`/api/accounts/:id`, `/breakdown`, `/actions`, `/cx`, `/samples`), so a prospect's Account page
 * works like a customer's. Built from the prospect's estimate: topics at their expected (peer) levels, the roadmap as next actions,
 * example conversations with their CX reading. A prospect has no AI agent yet: its involvement and
 * automation are 0 of its conversations, its resolution has no denominator (null), and its gap is its
 * whole potential.
 */
import type {
  ActionsResponse,
  BreakdownResponse,
  ClassBreakdown,
  CxResponse,
  EstimateResult,
  LeafBreakdown,
  NextAction,
  SampleConversation,
  SamplesResponse,
} from '../api-types.ts';
import type { ProspectStore } from '../db/prospects.ts';
import {
  type CxCurves,
  calibratedCx,
  cxBucket,
  cxSignals,
  DEFAULT_CX_WEIGHTS,
  explainCx,
  lowestCxTopics,
  samplesInCxBucket,
} from '../domain/cx.ts';
import { emptyCounts } from '../domain/metrics.ts';
import { byQuarter } from '../domain/quarters.ts';
import { isNonRequest } from '../domain/taxonomy.ts';
import { AUTOMATION_CLASSES } from '../domain/types.ts';
import type { AccountStore } from './accounts.ts';

/** How the customers' CX scores are made (the serving database's calibration), so a prospect's read alike. */
export interface CxScale {
  weights: readonly number[];
  curves: CxCurves | null;
}

const UNCALIBRATED: CxScale = { weights: DEFAULT_CX_WEIGHTS, curves: null };

export function prospectAccounts(store: ProspectStore, scale: CxScale = UNCALIBRATED): AccountStore {
  const withEstimate =
    <A extends unknown[], R>(view: (r: EstimateResult, ...args: A) => R) =>
    (id: string, ...args: A): R | undefined => {
      const r = store.get(id);
      return r && view(r, ...args);
    };
  return {
    detailJson: (id) => store.detailJson(id),
    breakdown: withEstimate(prospectBreakdown),
    actions: withEstimate(prospectActions),
    cx: withEstimate((r) => prospectCx(r, scale)),
    forecast: withEstimate(() => ({
      forecast: null,
      reason:
        'A prospect has no AI agent yet: there is no automation rate to forecast from, only the potential.',
      trackRecord: [],
      verticalTrackRecord: [],
    })),
    // its export's own months, at a prospect's levels (no AI agent: involvement 0), and no fixes
    history: withEstimate((r) => ({
      quarters: byQuarter(
        r.byMonth.map((m) => ({
          ...emptyCounts(),
          month: m.month,
          conversations: m.conversations,
          ratings: m.ratings,
          positiveRatings: m.positiveRatings,
          reopened: m.reopened ?? 0,
        })),
      ),
      fixes: [],
    })),
    samples: withEstimate((r, taxonomyId: string) => prospectSamples(r, scale, taxonomyId)),
    cxSamples: withEstimate((r, score: number) => ({
      score,
      samples: samplesInCxBucket(
        r.leaves
          .flatMap((l) => prospectSamples(r, scale, l.taxonomyId).samples)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt, 'en') || a.id.localeCompare(b.id, 'en')),
        score,
      ),
    })),
  };
}

function window(r: EstimateResult): BreakdownResponse['window'] {
  const months = r.byMonth.map((m) => m.month);
  // per-month volumes divide by the estimate's own months (the export's span), as its figures do,
  // its topics' counts (read conversations) as their share of the whole volume (estimate.ts)
  // — unless the potential is withheld: then the read ones are no sample of the rest (another
  // language misread, or the few with words), and their own volume a month is what they are (a
  // review saw 53 a month on a topic of 25 conversations read over 2.3 months)
  const read = r.leaves.reduce((n, l) => n + l.conversations, 0);
  return {
    from: months[0] ?? '',
    to: months[months.length - 1] ?? '',
    months: Math.max(1, months.length),
    monthsCovered:
      read > 0 && r.conversations > 0 && !r.withheld ? (r.months * read) / r.conversations : r.months,
  };
}

/** A rate of a prospect (no AI agent yet): 0 of its conversations, or null without any (SPEC §1). */
const noneOf = (conversations: number): number | null => (conversations > 0 ? 0 : null);

function prospectBreakdown(r: EstimateResult): BreakdownResponse {
  // a withheld potential has no gaps either (the page and the summary leave them out)
  const gapless = r.withheld !== undefined;
  const leaves: LeafBreakdown[] = r.leaves.map((l) => ({
    taxonomyId: l.taxonomyId,
    label: l.label,
    group: l.group,
    automationClass: l.automationClass,
    conversations: l.conversations,
    monthlyConversations: gapless ? l.conversations / Math.max(r.months, 1e-9) : l.monthlyConversations,
    // withheld: of the whole export, as the volume beside it (of those read, one topic read "100%")
    share: gapless ? l.conversations / Math.max(r.conversations, 1) : l.share,
    // no AI agent: 0 of the topic's conversations involved or resolved; resolution has no denominator
    involvementRate: noneOf(l.conversations),
    resolutionRate: null,
    automationRate: noneOf(l.conversations),
    achievableInvolvement: l.achievableInvolvement,
    achievableResolution: l.achievableResolution,
    achievableAutomation: l.achievableAutomation,
    gapPoints: gapless ? 0 : l.points,
    gapConversations: gapless ? 0 : l.expectedConversations,
    cxScore: null,
    csat: null,
    peerAccounts: l.benchmark.peers,
    // greetings and small talk are always read with low confidence: not a sign of a misfit there
    ...(l.uncertain && !isNonRequest(l.taxonomyId) && { uncertain: { confidence: l.confidence } }),
  }));
  const classes: ClassBreakdown[] = AUTOMATION_CLASSES.map((cls) => {
    const c = r.classes.find((x) => x.automationClass === cls);
    return {
      automationClass: cls,
      conversations: c?.conversations ?? 0,
      share: gapless ? (c?.conversations ?? 0) / Math.max(r.conversations, 1) : (c?.share ?? 0),
      involvementRate: noneOf(c?.conversations ?? 0),
      resolutionRate: null,
      automationRate: noneOf(c?.conversations ?? 0),
      achievableAutomation: c?.achievableAutomation ?? 0,
      gapPoints: gapless ? 0 : (c?.points ?? 0),
      gapConversations: gapless ? 0 : (c?.expectedConversations ?? 0),
      cxScore: null,
    };
  });
  return { window: window(r), classes, leaves };
}

function prospectActions(r: EstimateResult): ActionsResponse {
  const actions: NextAction[] = r.actions.map((a) => ({
    rank: a.rank,
    taxonomyId: a.taxonomyId,
    label: a.label,
    automationClass: a.automationClass,
    kind: a.kind,
    title: a.title,
    rationale: a.rationale,
    // a prospect has no AI agent yet, so no fixes logged
    fixes: [],
    evidence: {
      monthlyConversations: a.monthlyConversations,
      share: a.share,
      involvementRate: noneOf(a.monthlyConversations),
      resolutionRate: null,
      achievableInvolvement: a.achievableInvolvement,
      achievableResolution: a.achievableResolution,
      // no AI agent yet: its achievable automation is the peers' two levels together
      automationRate: noneOf(a.monthlyConversations),
      achievableAutomation: a.achievableInvolvement * a.achievableResolution,
      sampleIds: a.sampleIds,
    },
    gainPoints: a.gainPoints,
    gainConversations: a.gainConversations,
    // a prospect's roadmap is the gap to its peers' level (the estimate does not use lifts)
    gainSource: 'peers' as const,
    gainLow: null,
    gainHigh: null,
    liftAccounts: null,
    headroomPoints: a.gainPoints,
    gainBasis:
      'Expected gain: the gap to the peers’ level (a prospect’s estimate does not use measured lifts).',
    cumulativeRate: a.cumulativeRate,
  }));
  return { current: r.currentAutomation, potential: r.potential, actions };
}

/** The example conversations of a topic, each with the CX reading of its own words. */
function prospectSamples(r: EstimateResult, scale: CxScale, taxonomyId: string): SamplesResponse {
  const leaf = r.leaves.find((l) => l.taxonomyId === taxonomyId);
  const samples: SampleConversation[] = (leaf?.samples ?? []).map((s) => {
    const input = { aiInvolved: false, aiResolutionState: null, reopened: false, messages: s.messages };
    const signals = cxSignals(input);
    // on the customers' scale: a prospect's 3.8 means what a customer's 3.8 means
    const score = calibratedCx(
      signals.resolution,
      signals.sentiment,
      signals.effort,
      scale.weights,
      scale.curves,
    );
    return {
      id: s.id,
      taxonomyId,
      confidence: s.confidence,
      createdAt: s.createdAt,
      channel: s.channel,
      aiInvolved: false,
      aiResolutionState: null,
      reopened: false,
      csat: null,
      cx: {
        score,
        resolution: signals.resolution,
        sentiment: signals.sentiment,
        effort: signals.effort,
        explanation: explainCx(input, signals, score),
      },
      messages: s.messages,
    };
  });
  return { taxonomyId, samples };
}

/** CX of the example conversations (the estimate keeps a few per topic, not every one). */
function prospectCx(r: EstimateResult, scale: CxScale): CxResponse {
  const scored = r.leaves.flatMap((l) =>
    prospectSamples(r, scale, l.taxonomyId).samples.map((s) => ({ l, s })),
  );
  const distribution = [1, 2, 3, 4, 5].map((score) => ({
    score,
    conversations: scored.filter(({ s }) => cxBucket(s.cx.score) === score).length,
  }));
  const mean = (f: (s: SampleConversation) => number) =>
    scored.length ? scored.reduce((a, { s }) => a + f(s), 0) / scored.length : null;
  const byLeaf = new Map<string, { label: string; sum: number; n: number }>();
  for (const { l, s } of scored) {
    const e = byLeaf.get(l.taxonomyId) ?? { label: l.label, sum: 0, n: 0 };
    e.sum += s.cx.score;
    e.n++;
    byLeaf.set(l.taxonomyId, e);
  }
  // a prospect keeps a few example conversations per topic: each topic counts, ranked as a
  // customer's are (pulled toward the examples' mean, so one bad example does not lead)
  const lowestTopics = lowestCxTopics(
    [...byLeaf.entries()].map(([taxonomyId, e]) => ({
      taxonomyId,
      label: e.label,
      conversations: e.n,
      cxSum: e.sum,
      cxScored: e.n,
    })),
    { minScored: 1 },
  );
  return {
    distribution,
    subSignals: {
      resolution: mean((s) => s.cx.resolution),
      sentiment: mean((s) => s.cx.sentiment),
      effort: mean((s) => s.cx.effort),
    },
    lowestTopics,
    calibration: null,
    // a prospect's export has no ratings to calibrate against or to disagree with
    calibrationCurve: [],
    disagreements: [],
  };
}
