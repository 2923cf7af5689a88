/** Customer accounts from the serving database, as the account endpoints answer them. */

import { LRUCache } from 'lru-cache';
import type {
  ActionsResponse,
  BreakdownResponse,
  CxCurvePoint,
  CxResponse,
  ForecastResponse,
  HistoryResponse,
  LeafBreakdown,
  NextAction,
} from '../api-types.ts';
import type { Queries } from '../db/queries.ts';
import {
  actionRationale,
  actionTitle,
  alreadyMade,
  fixesOnTopic,
  fixHistorySentence,
  gainBasis,
  settlingFixes,
} from '../domain/actions.ts';
import { lowestCxTopics, samplesInCxBucket } from '../domain/cx.ts';
import { noForecastReason } from '../domain/forecast.ts';
import { accountWindow, addMonths, liveWindow, ratio } from '../domain/metrics.ts';
import { byQuarter } from '../domain/quarters.ts';
import { leafById } from '../domain/taxonomy.ts';
import type { Channel, ResolutionState } from '../domain/types.ts';
import type { AccountStore } from './accounts.ts';

/**
 * How much precomputed account JSON (characters) a database generation keeps in memory: all of
 * 10,000 accounts (~4.7 KB each, 47 MB) fit; beyond, the least recently opened are read again.
 */
export const DETAIL_CACHE_CHARS = 64 * 1024 * 1024;

export function servingAccounts(q: Queries): AccountStore {
  const window = q.meta.window ?? { from: '', to: '', months: 0 };
  const dataAsOfMs = q.meta.dataAsOf === null ? null : Date.parse(q.meta.dataAsOf);
  // An account's window: the dataset's, from its first fully live month when it went live inside it
  // and from its own first month when it began inside it (as the pipeline measured its gaps);
  // per-month volumes divide by the months of data it holds.
  const windowOf = (id: string): BreakdownResponse['window'] => {
    if (!window.from) return window;
    const live = liveWindow(window, q.accountLiveSince(id), dataAsOfMs);
    const month = q.accountFirstMonth(id);
    // its first conversation's time matters only where it began inside the window
    const first =
      month === null ? null : { month, atMs: month >= live.from ? q.accountFirstCreated(id, month) : null };
    return accountWindow(live, first, dataAsOfMs);
  };

  // (a window of no months, from a database without data, divides by 1)
  const monthsOf = (w: BreakdownResponse['window']) => w.monthsCovered || w.months || 1;

  const leaves = (id: string, months = monthsOf(windowOf(id))): LeafBreakdown[] =>
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

  const track = q.forecastTrackRecord();
  const trackRecord: ForecastResponse['trackRecord'] = (
    [
      [3, track?.h3],
      [6, track?.h6],
    ] as const
  ).flatMap(([horizon, s]) =>
    s
      ? [
          {
            horizon,
            mae: s.mae.value,
            persistenceMae: s.persistenceMae.value,
            coverage: s.coverage.value,
            clearGain: s.gain.low > 0,
          },
        ]
      : [],
  );
  // the pooled record is carried by the largest accounts: a CSM of a fintech account sees fintech's too
  const VERTICAL_RECORD_MIN_ACCOUNTS = 3;
  const verticalTrackRecord = (vertical: string): ForecastResponse['verticalTrackRecord'] => {
    const v = track?.byVertical.find((x) => x.vertical === vertical);
    return (
      [
        [3, v?.h3],
        [6, v?.h6],
      ] as const
    ).flatMap(([horizon, s]) =>
      // one or two accounts' record (maybe this account's own) is not a vertical's
      s && s.accounts >= VERTICAL_RECORD_MIN_ACCOUNTS
        ? [
            {
              vertical,
              horizon,
              mae: s.mae.value,
              persistenceMae: s.persistenceMae.value,
              accounts: s.accounts,
            },
          ]
        : [],
    );
  };

  // Each statement on the file is a read transaction of its own: locks taken and released, a look
  // for a hot journal, the header read again (nine system calls; ~35 µs of a ~95 µs request under
  // load, bench:api). The rows never change within a generation (a rebuilt or appended file is a
  // new generation, server/serve.ts), so each is read once. Unknown ids are not kept: a client
  // cannot fill the memory with misses.
  const details = new LRUCache<string, string>({
    maxSize: DETAIL_CACHE_CHARS,
    sizeCalculation: (json) => json.length,
  });

  return {
    detailJson(id) {
      const kept = details.get(id);
      if (kept !== undefined) return kept;
      const json = q.accountDetailJson(id);
      // an answer larger than the whole budget is simply not kept (lru-cache skips it)
      if (json !== undefined) details.set(id, json);
      return json;
    },

    breakdown(id): BreakdownResponse | undefined {
      if (!q.accountSummary(id)) return undefined;
      const own = windowOf(id);
      return { window: own, classes: q.accountClasses(id), leaves: leaves(id, monthsOf(own)) };
    },

    actions(id): ActionsResponse | undefined {
      const summary = q.accountSummary(id);
      if (!summary) return undefined;
      const leafOf = new Map(leaves(id).map((l) => [l.taxonomyId, l]));
      const interventions = q.accountInterventions(id);
      const rows = q.actions(id);
      // The first of a topic's two actions (one per lever, server/domain/actions.ts leafLevers) moves
      // its own lever only; the second starts where the first leaves the topic, so each card's
      // "now → then" is the step its gain is for, and the two add up to the topic's target.
      const firstStep = (r: (typeof rows)[number]) => {
        const automation = leafOf.get(r.taxonomyId)?.automationRate ?? null;
        const widen = r.kind === 'widen_audience';
        const involvement = widen ? r.achievableInvolvement : (r.involvementRate ?? 0);
        const resolution = widen ? (r.resolutionRate ?? 0) : r.achievableResolution;
        return { involvement, resolution, automation: Math.max(automation ?? 0, involvement * resolution) };
      };
      const actions: NextAction[] = rows.map((r) => {
        const before = rows.find((x) => x.taxonomyId === r.taxonomyId && x.rank < r.rank);
        const onlyItsLever = !before && rows.some((x) => x.taxonomyId === r.taxonomyId && x.rank > r.rank);
        const leaf = leafOf.get(r.taxonomyId);
        const step = onlyItsLever ? firstStep(r) : null;
        const from = before ? firstStep(before) : null;
        const fixes = fixesOnTopic(r.taxonomyId, r.kind, interventions, q.meta.dataAsOf);
        const history = fixHistorySentence(fixes, q.meta.dataAsOf);
        return {
          rank: r.rank,
          taxonomyId: r.taxonomyId,
          label: r.label,
          automationClass: r.automationClass,
          kind: r.kind,
          title: actionTitle(r.kind, r.label, fixes),
          rationale: `${actionRationale(r, r.label, leafOf.get(r.taxonomyId)?.peerAccounts)}${history ? ` ${history}` : ''}`,
          fixes,
          evidence: {
            monthlyConversations: r.monthlyConversations,
            share: r.share,
            involvementRate: from ? from.involvement : r.involvementRate,
            resolutionRate: from ? from.resolution : r.resolutionRate,
            achievableInvolvement: step ? step.involvement : r.achievableInvolvement,
            achievableResolution: step ? step.resolution : r.achievableResolution,
            automationRate: from ? from.automation : (leaf?.automationRate ?? null),
            achievableAutomation: step
              ? step.automation
              : (leaf?.achievableAutomation ?? r.achievableInvolvement * r.achievableResolution),
            sampleIds: r.sampleIds,
            ...(before && { afterRank: before.rank }),
          },
          gainPoints: r.gainPoints,
          gainConversations: r.gainConversations,
          gainSource: r.gainSource,
          gainLow: r.gainLow,
          gainHigh: r.gainHigh,
          liftAccounts: r.liftAccounts,
          headroomPoints: r.headroomPoints,
          gainBasis: gainBasis(
            r,
            settlingFixes(fixes, q.meta.dataAsOf).length > 0,
            leafOf.get(r.taxonomyId)?.peerAccounts,
            before && { rank: before.rank, kind: before.kind },
            alreadyMade(r.kind, fixes),
          ),
          cumulativeRate: r.cumulativeRate,
        };
      });
      return { current: summary.windowAutomationRate, potential: summary.automationPotential, actions };
    },

    forecast(id): ForecastResponse | undefined {
      const summary = q.accountSummary(id);
      if (!summary) return undefined;
      const forecast = q.accountForecast(id);
      const { currentMonth, monthToDate } = q.meta;
      const lastCompleteMonth = currentMonth && (monthToDate ? addMonths(currentMonth, -1) : currentMonth);
      return {
        forecast,
        reason: forecast
          ? null
          : noForecastReason(
              { pairs: track?.pairs ?? 0 },
              {
                aiLiveSince: summary.aiLiveSince,
                lastCompleteMonth,
                conversationsThen: lastCompleteMonth ? q.accountMonthConversations(id, lastCompleteMonth) : 0,
              },
            ),
        trackRecord,
        verticalTrackRecord: verticalTrackRecord(summary.vertical),
      };
    },

    history(id): HistoryResponse | undefined {
      if (!q.accountSummary(id)) return undefined;
      const lastDay = q.meta.dataAsOf?.slice(0, 10) ?? null;
      return {
        quarters: byQuarter(q.accountMonthCounts(id), q.meta.currentMonth),
        fixes: q
          .accountInterventions(id)
          .map((i) => ({
            date: i.date.slice(0, 10),
            kind: i.kind,
            taxonomyId: i.taxonomyId,
            label: i.taxonomyId === null ? null : (leafById(i.taxonomyId)?.label ?? i.taxonomyId),
            note: i.note,
            planned: lastDay !== null && i.date.slice(0, 10) > lastDay,
          }))
          .reverse(),
      };
    },

    cx(id): CxResponse | undefined {
      if (!q.accountSummary(id)) return undefined;
      const cx = q.accountCx(id);
      const lowestTopics = lowestCxTopics(q.accountLeaves(id));
      const cal = q.meta.cxCalibration;
      return {
        distribution: cx?.distribution ?? [1, 2, 3, 4, 5].map((score) => ({ score, conversations: 0 })),
        subSignals: cx?.subSignals ?? { resolution: null, sentiment: null, effort: null },
        lowestTopics,
        calibration: cal
          ? {
              spearman: cal.spearman,
              heldOut: cal.heldOut,
              weights: cal.weights,
              method: cal.method ?? 'linear',
              spearmanLinear: cal.spearmanLinear ?? null,
              spearmanResolution: cal.spearmanResolution ?? null,
            }
          : null,
        calibrationCurve: cxCurve(q.cxBuckets(id), q.cxBucketsAll()),
        disagreements: q.cxDisagreements(id).map((d) => ({
          id: d.id,
          taxonomyId: d.taxonomyId,
          label: d.label ?? d.taxonomyId,
          createdAt: new Date(d.createdAt).toISOString(),
          channel: d.channel as Channel,
          aiInvolved: d.aiInvolved === 1,
          aiResolutionState: d.state as ResolutionState | null,
          reopened: d.reopened === 1,
          csat: d.csat,
          score: d.score,
          gap: d.score - d.csat,
          resolution: d.resolution,
          sentiment: d.sentiment,
          effort: d.effort,
        })),
      };
    },

    samples(id, taxonomyId) {
      if (!q.accountSummary(id)) return undefined;
      return { taxonomyId, samples: q.samples(id, taxonomyId) };
    },

    cxSamples(id, score) {
      if (!q.accountSummary(id)) return undefined;
      // the distribution counts the window's conversations: its examples come from the same months
      // (a topic's kept examples reach back further when it was quiet lately)
      const inWindow = q.accountSamples(id).filter((s) => s.createdAt.slice(0, 7) >= window.from);
      return { score, samples: samplesInCxBucket(inWindow, score) };
    },
  };
}

type Bucket = { score: number; rated: number; csatSum: number };

/** Mean CSAT per rounded CX score 1–5, the account's beside every account's (null where none is rated). */
export function cxCurve(account: readonly Bucket[], all: readonly Bucket[]): CxCurvePoint[] {
  const mine = new Map(account.map((b) => [b.score, b]));
  const global = new Map(all.map((b) => [b.score, b]));
  if (account.length === 0) return [];
  return [1, 2, 3, 4, 5].map((score) => {
    const a = mine.get(score);
    const g = global.get(score);
    return {
      score,
      rated: a?.rated ?? 0,
      meanCsat: a && a.rated > 0 ? a.csatSum / a.rated : null,
      globalRated: g?.rated ?? 0,
      globalMeanCsat: g && g.rated > 0 ? g.csatSum / g.rated : null,
    };
  });
}
