/** Customer accounts from the serving database, as the account endpoints answer them. */
import type {
  ActionsResponse,
  BreakdownResponse,
  CxResponse,
  LeafBreakdown,
  NextAction,
} from '../api-types.ts';
import type { Queries } from '../db/queries.ts';
import { actionRationale, actionTitle } from '../domain/actions.ts';
import { ratio } from '../domain/metrics.ts';
import type { AccountStore } from './accounts.ts';

/** topics need this many CX-scored conversations to be listed among the lowest */
const MIN_CX_SCORED = 10;

export function servingAccounts(q: Queries): AccountStore {
  const window = q.meta.window ?? { from: '', to: '', months: 0 };
  const months = Math.max(1, window.months);

  const leaves = (id: string): LeafBreakdown[] =>
    q.accountLeaves(id).map((r) => ({
      taxonomyId: r.taxonomyId,
      label: r.label,
      group: r.grp,
      automationClass: r.automationClass,
      conversations: r.conversations,
      monthlyConversations: r.conversations / months,
      share: r.share,
      involvementRate: ratio(r.involved, r.conversations),
      resolutionRate: ratio(r.resolved, r.involved),
      automationRate: ratio(r.resolved, r.conversations),
      achievableInvolvement: r.achievableInvolvement,
      achievableResolution: r.achievableResolution,
      achievableAutomation: r.achievableAutomation,
      gapPoints: r.gapPoints,
      gapConversations: r.gapConversations,
      cxScore: ratio(r.cxSum, r.cxScored),
      csat: ratio(r.positiveRatings, r.ratings),
      peerAccounts: r.peerAccounts,
    }));

  return {
    detailJson: (id) => q.accountDetailJson(id),

    breakdown(id): BreakdownResponse | undefined {
      if (!q.accountSummary(id)) return undefined;
      return { window, classes: q.accountClasses(id), leaves: leaves(id) };
    },

    actions(id): ActionsResponse | undefined {
      const summary = q.accountSummary(id);
      if (!summary) return undefined;
      const actions: NextAction[] = q.actions(id).map((r) => ({
        rank: r.rank,
        taxonomyId: r.taxonomyId,
        label: r.label,
        automationClass: r.automationClass,
        kind: r.kind,
        title: actionTitle(r.kind, r.label),
        rationale: actionRationale(r, r.label),
        evidence: {
          monthlyConversations: r.monthlyConversations,
          share: r.share,
          involvementRate: r.involvementRate,
          resolutionRate: r.resolutionRate,
          achievableInvolvement: r.achievableInvolvement,
          achievableResolution: r.achievableResolution,
          sampleIds: r.sampleIds,
        },
        gainPoints: r.gainPoints,
        gainConversations: r.gainConversations,
        cumulativeRate: r.cumulativeRate,
      }));
      return { current: summary.windowAutomationRate, potential: summary.automationPotential, actions };
    },

    cx(id): CxResponse | undefined {
      if (!q.accountSummary(id)) return undefined;
      const cx = q.accountCx(id);
      const lowestTopics = q
        .accountLeaves(id)
        .filter((r) => r.cxScored >= MIN_CX_SCORED)
        .map((r) => ({
          taxonomyId: r.taxonomyId,
          label: r.label,
          cxScore: r.cxSum / r.cxScored,
          conversations: r.conversations,
        }))
        .sort((a, b) => a.cxScore - b.cxScore)
        .slice(0, 5);
      const cal = q.meta.cxCalibration;
      return {
        distribution: cx?.distribution ?? [1, 2, 3, 4, 5].map((score) => ({ score, conversations: 0 })),
        subSignals: cx?.subSignals ?? { resolution: null, sentiment: null, effort: null },
        lowestTopics,
        calibration: cal ? { spearman: cal.spearman, heldOut: cal.heldOut, weights: cal.weights } : null,
      };
    },

    samples(id, taxonomyId) {
      if (!q.accountSummary(id)) return undefined;
      return { taxonomyId, samples: q.samples(id, taxonomyId) };
    },
  };
}
