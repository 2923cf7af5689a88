/**
 * Next actions (SPEC §4): per leaf with a gap, the kind chosen from the diagnosis (low involvement →
 * widen the audience, otherwise by automation class), ranked by impact. A leaf held back by both
 * levers gets both actions, each credited with what its lever closes alone; what needs both goes to
 * the one ranked second (its gain is then "after the action above"), so the roadmap still reaches
 * the leaf's target and no card promises what its own lever cannot bring: widening the audience
 * does not raise the resolution rate (a review found one card claiming +8.0 points of which
 * widening could bring about 2).
 *
 * Expected gain (issue 10 item 4): where the kind of fix has a lift measured against matched
 * controls on enough treated accounts (server/domain/lifts.ts), the gain is that lift (points of
 * the leaf's automation rate, with its interval) applied to the leaf's share of the volume,
 * capped by the leaf's headroom to its achievable level; otherwise the gap to the peers' level
 * (the potential's leaf gap), as before. `gainSource` says which.
 */

import { dayLabel } from './flags.ts';
import { DEFAULT_FORECAST } from './forecast.ts';
import type { LeafPotential } from './potential.ts';
import { isNonRequest } from './taxonomy.ts';
import type { ActionKind, AutomationClass, Intervention, InterventionKind } from './types.ts';

/** The intervention kind whose measured lift stands for an action kind (routing has none). */
export const ACTION_LIFT_KIND: Readonly<Partial<Record<ActionKind, InterventionKind>>> = {
  widen_audience: 'channel_rollout',
  content: 'content',
  data_connector: 'data_connector',
  procedure: 'procedure',
  guidance: 'guidance',
};

/** A kind's lift needs this many distinct treated accounts to feed the gain (the bar). */
export const MIN_LIFT_ACCOUNTS = 5;
/** Conversations on a topic in the model window below which no action is proposed for it. */
export const MIN_ACTION_CONVERSATIONS = 5;

/** What a next action's gain rests on: a measured lift, or the gap to the peers' level. */
export type GainSource = 'lift' | 'peers';

/** A kind's measured lift, as the actions use it (points of the leaf's automation, fractions). */
export interface ActionLift {
  kind: InterventionKind;
  /** distinct treated accounts behind it */
  accounts: number;
  lift: number;
  low: number;
  high: number;
}

export interface PlannedAction {
  rank: number;
  taxonomyId: string;
  automationClass: AutomationClass;
  kind: ActionKind;
  /** expected gain, points of the account's automation rate */
  gainPoints: number;
  gainConversations: number;
  gainSource: GainSource;
  /** the lift's interval applied the same way (points); null when the gain is the peers' gap */
  gainLow: number | null;
  gainHigh: number | null;
  /** treated accounts behind the lift; null for the peers' gap */
  liftAccounts: number | null;
  /** the leaf's gap to its achievable level (points): the peers' gain, and the cap of a lift's */
  headroomPoints: number;
  monthlyConversations: number;
  share: number;
  involvementRate: number | null;
  resolutionRate: number | null;
  achievableInvolvement: number;
  achievableResolution: number;
  /** automation rate after this and every higher-ranked action */
  cumulativeRate: number;
}

const KIND_BY_CLASS: Record<AutomationClass, ActionKind> = {
  informational: 'content',
  personalized: 'data_connector',
  action: 'procedure',
  human: 'routing',
};

/**
 * SPEC §4: low involvement → widen the audience, else by class — except a human-class topic, which
 * stays out of the AI agent's scope (SPEC §3): routing it well is the action, never widening the AI
 * agent's audience for it. A greeting, an unclear one-liner or small talk is not a request at all
 * (taxonomy.ts): no help article resolves "hi"; the AI agent resolves it by asking what the
 * customer needs, which is guidance for the agent.
 */
export function actionKind(
  leaf: Pick<LeafPotential, 'limitedBy' | 'automationClass' | 'taxonomyId'>,
): ActionKind {
  if (leaf.automationClass === 'human') return 'routing';
  if (leaf.limitedBy === 'involvement') return 'widen_audience';
  return resolutionKind(leaf);
}

/** The action that raises a leaf's resolution: by class, guidance for a non-request. */
function resolutionKind(leaf: Pick<LeafPotential, 'automationClass' | 'taxonomyId'>): ActionKind {
  return isNonRequest(leaf.taxonomyId) ? 'guidance' : KIND_BY_CLASS[leaf.automationClass];
}

/**
 * The actions on one leaf and the part of its gap each works on alone: both levers when each closes
 * at least `minPoints` alone (a human topic is only ever routed), else the diagnosis's one action
 * with the whole gap. `shared` is what only both together close.
 */
export function leafLevers(
  leaf: Pick<
    LeafPotential,
    'limitedBy' | 'automationClass' | 'taxonomyId' | 'gapPoints' | 'involvementPart' | 'resolutionPart'
  >,
  minPoints: number,
): { levers: { kind: ActionKind; points: number }[]; shared: number } {
  const whole = { levers: [{ kind: actionKind(leaf), points: leaf.gapPoints }], shared: 0 };
  if (leaf.automationClass === 'human') return whole;
  if (leaf.involvementPart < minPoints || leaf.resolutionPart < minPoints) return whole;
  return {
    levers: [
      { kind: 'widen_audience', points: leaf.involvementPart },
      { kind: resolutionKind(leaf), points: leaf.resolutionPart },
    ],
    shared: Math.max(0, leaf.gapPoints - leaf.involvementPart - leaf.resolutionPart),
  };
}

const KIND_VERB: Record<ActionKind, string> = {
  widen_audience: 'Widen the AI agent’s audience for',
  content: 'Write or fix help content for',
  data_connector: 'Connect a data source so the AI agent can look up',
  procedure: 'Build a procedure so the AI agent can handle',
  // a human-class topic stays a person's to decide, but peers' AI agents resolve part of it (what a
  // charge is, where a dispute stands) and hand the rest over with its context: that part is the gain
  routing: 'Route well — the AI agent answers what it can, a person takes the rest with its context:',
  guidance: 'Guide the AI agent to ask what the customer needs in',
};

/** The same action when the account already made that kind of fix on the topic: look at it again. */
const KIND_VERB_AGAIN: Record<ActionKind, string> = {
  widen_audience: 'Widen the AI agent’s audience further for',
  content: 'Review the help content already written for',
  data_connector: 'Check what the data source already connected gives the AI agent on',
  procedure: 'Review the procedure already built for',
  routing: 'Review the routing of',
  guidance: 'Review the AI agent’s guidance for',
};

/** Whether the account already made (not only planned) the fix an action of `kind` would be. */
export function alreadyMade(kind: ActionKind, fixes: readonly FixOnTopic[]): boolean {
  return fixes.some((f) => !f.planned && f.kind === ACTION_LIFT_KIND[kind]);
}

export function actionTitle(kind: ActionKind, leafLabel: string, fixes: readonly FixOnTopic[] = []): string {
  return `${(alreadyMade(kind, fixes) ? KIND_VERB_AGAIN : KIND_VERB)[kind]} “${leafLabel}”`;
}

/** A fix the account logged (interventions) that bears on an action's topic. */
export interface FixOnTopic {
  kind: InterventionKind;
  /** YYYY-MM-DD */
  date: string;
  note: string | null;
  /** logged for the whole account (every topic), not for this topic alone */
  accountWide: boolean;
  /** dated after the data ends: planned, not yet in the figures */
  planned: boolean;
}

/**
 * The account's logged fixes that bear on an action, newest first: every fix on the topic itself,
 * and a fix logged for the whole account (no topic) of the kind the action would be — without them
 * a card proposes, as new, the procedure the customer built on that topic last winter.
 * `dataAsOf` is the data's last timestamp; a fix dated after its day is planned.
 */
export function fixesOnTopic(
  taxonomyId: string,
  kind: ActionKind,
  interventions: readonly Pick<Intervention, 'date' | 'kind' | 'taxonomyId' | 'note'>[],
  dataAsOf: string | null,
): FixOnTopic[] {
  const lastDay = dataAsOf?.slice(0, 10) ?? null;
  return interventions
    .filter((i) => (i.taxonomyId === null ? i.kind === ACTION_LIFT_KIND[kind] : i.taxonomyId === taxonomyId))
    .map((i) => ({
      kind: i.kind,
      date: i.date.slice(0, 10),
      note: i.note,
      accountWide: i.taxonomyId === null,
      planned: lastDay !== null && i.date.slice(0, 10) > lastDay,
    }))
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

const FIX_NOUN: Record<InterventionKind, string> = {
  content: 'help content',
  data_connector: 'a data connector',
  procedure: 'a procedure',
  guidance: 'guidance for the AI agent',
  channel_rollout: 'a channel roll-out',
};

/** Days a fix needs before its effect is in the figures: the forecast's ramp. */
const SETTLE_DAYS = DEFAULT_FORECAST.rampMonths * 30;

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/**
 * The fixes behind an action that went live too recently to be in the figures (within the settle
 * time before the data ends): their effect is still to come on top of the rates shown.
 */
export function settlingFixes(fixes: readonly FixOnTopic[], dataAsOf: string | null): FixOnTopic[] {
  if (dataAsOf === null) return [];
  return fixes.filter((f) => !f.planned && daysBetween(f.date, dataAsOf) < SETTLE_DAYS);
}

/** One sentence on the latest fix behind an action, for its rationale; '' when there is none. */
export function fixHistorySentence(fixes: readonly FixOnTopic[], dataAsOf: string | null): string {
  const done = fixes.filter((f) => !f.planned);
  const planned = fixes.filter((f) => f.planned);
  const parts: string[] = [];
  const last = done[0];
  if (last) {
    const where = last.accountWide ? 'for the whole account' : 'on this topic';
    const more = done.length > 1 ? ` (${done.length} fixes logged)` : '';
    const recent = dataAsOf !== null && daysBetween(last.date, dataAsOf) < SETTLE_DAYS;
    parts.push(
      recent
        ? `${cap(FIX_NOUN[last.kind])} went live ${where} on ${dayLabel(last.date)}${more}, less than two months before the data ends: its effect is not in these figures yet, so what it is expected to bring is taken off the topic’s gap first.`
        : `${cap(FIX_NOUN[last.kind])} went live ${where} on ${dayLabel(last.date)}${more}; the topic is still below the peers’ level since.`,
    );
  }
  if (planned.length > 0) {
    const next = planned[planned.length - 1]!;
    parts.push(
      `${cap(FIX_NOUN[next.kind])} is planned ${next.accountWide ? 'for the whole account' : 'on this topic'} for ${dayLabel(next.date)}.`,
    );
  }
  return parts.join(' ');
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);

const pts = (v: number) => `${(v * 100).toFixed(1)} pts`;

/** Where the expected gain comes from, in one sentence. */
export function gainBasis(
  a: Pick<
    PlannedAction,
    'kind' | 'gainSource' | 'gainPoints' | 'gainLow' | 'gainHigh' | 'liftAccounts' | 'headroomPoints'
  >,
  /** a fix on the topic is still settling: its expected effect was taken off the gap first */
  settling = false,
  /** 0: the topic's level is its automation class's, not what peer accounts reach on it */
  peerAccounts?: number,
  /** the action ranked above it on the same topic, whose lever it completes */
  after?: { rank: number; kind: ActionKind },
  /** the account already made this kind of fix on the topic: the action reviews it */
  review = false,
): string {
  // lifts are measured on fixes made where there was none of their kind (lifts.ts): a second look at
  // one already built has no measure of its own
  const basis =
    review && a.gainSource === 'lift'
      ? `${gainBasisOwn(a, settling, peerAccounts)} That lift is measured on first fixes of the kind; reviewing one already made may bring less.`
      : gainBasisOwn(a, settling, peerAccounts);
  if (!after) return basis;
  const lever = after.kind === 'widen_audience' ? 'the wider audience' : 'the better resolution';
  return `${basis} Counted after action ${after.rank} on this topic: it includes what only the two together bring (${lever} resolving more of the conversations it adds).`;
}

function gainBasisOwn(
  a: Pick<
    PlannedAction,
    'kind' | 'gainSource' | 'gainPoints' | 'gainLow' | 'gainHigh' | 'liftAccounts' | 'headroomPoints'
  >,
  settling: boolean,
  peerAccounts: number | undefined,
): string {
  const net = settling ? ' left once the fix still settling has had its expected effect' : '';
  const level = peerAccounts === 0 ? 'the level for topics of its class' : 'the peers’ level';
  if (a.gainSource === 'peers')
    return `Expected gain: the gap to ${level}${net} (${pts(a.gainPoints)}); no lift measured on enough accounts for this kind of fix.`;
  const capped =
    a.gainHigh !== null && a.gainHigh >= a.headroomPoints - 1e-9
      ? `, capped by the topic’s gap to ${level}${net} (${pts(a.headroomPoints)})`
      : '';
  const lift = `Expected gain: the lift measured for ${ACTION_LIFT_KIND[a.kind]?.replace('_', ' ')} fixes on ${a.liftAccounts} accounts against matched controls, on this topic’s share of volume`;
  // Both ends cut at the gap: "interval 0.3–0.3 pts" would read as certainty, not as a cap.
  if (capped && a.gainLow !== null && Math.abs(a.gainHigh! - a.gainLow) < 1e-9)
    return `${lift}, capped by the topic’s gap to ${level}${net}: ${pts(a.gainPoints)} (the lift’s whole 95% interval lies above that gap).`;
  return `${lift}: ${pts(a.gainPoints)} (95% interval ${pts(a.gainLow ?? 0)}–${pts(a.gainHigh ?? 0)})${capped}.`;
}

/** "904 conversations/month"; small volumes keep a decimal: "0 conversations/month" would hide that there are some. */
export function perMonthLabel(n: number): string {
  return `${Math.round(n * 10) < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} conversations/month`;
}

export function actionRationale(a: PlannedAction, leafLabel: string, peerAccounts?: number): string {
  const volume = `${perMonthLabel(a.monthlyConversations)} (${pct(a.share)} of volume)`;
  // 0 peers: the level is its automation class's (or, with no data to learn it, a built-in one), not
  // what peer accounts reach on this topic
  const reach = peerAccounts === 0 ? 'the level for topics of its class is' : 'peers reach';
  if (a.kind === 'widen_audience')
    return `“${leafLabel}”: ${volume}; the AI agent takes part in ${pct(a.involvementRate)} of them where ${reach} ${pct(a.achievableInvolvement)}.`;
  return `“${leafLabel}”: ${volume}; the AI agent resolves ${pct(a.resolutionRate)} of those it handles where ${reach} ${pct(a.achievableResolution)} (involvement ${pct(a.involvementRate)} vs ${pct(a.achievableInvolvement)}).`;
}

/**
 * The expected gain of acting on `leaf` with an action of `kind`: with a lift for the kind on at
 * least `minAccounts` treated accounts, share × lift (and its interval), each within
 * [0, the leaf's gap] — a fix is not counted on to lower the rate, nor to pass the leaf's
 * achievable level; otherwise the gap itself (the peers' level).
 */
export function expectedGain(
  leaf: Pick<LeafPotential, 'share' | 'gapPoints'>,
  kind: ActionKind,
  lifts: ReadonlyMap<InterventionKind, ActionLift>,
  minAccounts = MIN_LIFT_ACCOUNTS,
): { points: number; low: number | null; high: number | null; source: GainSource; accounts: number | null } {
  const liftKind = ACTION_LIFT_KIND[kind];
  const lift = liftKind ? lifts.get(liftKind) : undefined;
  if (!lift || lift.accounts < minAccounts)
    return { points: leaf.gapPoints, low: null, high: null, source: 'peers', accounts: null };
  const capped = (points: number) => Math.min(leaf.gapPoints, Math.max(0, leaf.share * points));
  return {
    points: capped(lift.lift),
    low: capped(lift.low),
    high: capped(lift.high),
    source: 'lift',
    accounts: lift.accounts,
  };
}

/**
 * Ranks actions by conversations gained per month; `currentRate` is the window automation rate.
 * `lifts` are the measured lifts per intervention kind (none: every gain is the peers' gap, and
 * the cumulative rate of the last action is the potential).
 */
export function planActions(
  leaves: readonly LeafPotential[],
  currentRate: number,
  months: number,
  lifts: ReadonlyMap<InterventionKind, ActionLift> = new Map(),
  minGainPoints = 0.0005,
  /**
   * The kinds of fix on a topic that went live too recently to be in its rates (settlingFixes):
   * what each is expected to bring (its measured lift on the topic's share, else the whole gap) is
   * taken off the topic's gap before this action's gain, or a fix made last month is promised again.
   */
  settling: (taxonomyId: string, kind: ActionKind) => readonly InterventionKind[] = () => [],
): PlannedAction[] {
  // a settling fix counts against an action that works the same lever (a channel roll-out raises
  // involvement, the other fixes resolution), once per kind however often it was logged
  const sameLever = (fix: InterventionKind, action: ActionKind) =>
    (fix === 'channel_rollout') === (action === 'widen_audience');
  const pendingPoints = (l: LeafPotential, kind: ActionKind, kinds: readonly InterventionKind[]) =>
    [...new Set(kinds)]
      .filter((k) => sameLever(k, kind))
      .reduce((sum, k) => {
        const lift = lifts.get(k);
        const expected =
          lift && lift.accounts >= MIN_LIFT_ACCOUNTS ? Math.max(0, l.share * lift.lift) : l.gapPoints;
        return Math.min(l.gapPoints, sum + expected);
      }, 0);
  // conversations/month of the account per point of a leaf's gap
  const perPoint = (l: LeafPotential) => (l.gapPoints > 0 ? l.gapConversations / l.gapPoints : 0);
  const plan = (l: LeafPotential, kind: ActionKind, points: number) => {
    const pending = pendingPoints({ ...l, gapPoints: points }, kind, settling(l.taxonomyId, kind));
    const left = { share: l.share, gapPoints: points - pending };
    const gain = expectedGain(left, kind, lifts);
    return { l, kind, points, gain, headroom: left.gapPoints, gainConversations: gain.points * perPoint(l) };
  };
  const shared = new Map<string, number>();
  const candidates = leaves
    // a topic seen a handful of times in the window is no evidence for an action ("hey :)" as the one
    // conversation behind "widen the audience for purchases not received"): its gap stays in the rest
    .filter((l) => l.gapPoints >= minGainPoints && l.conversations >= MIN_ACTION_CONVERSATIONS)
    .flatMap((l) => {
      const split = leafLevers(l, minGainPoints);
      if (split.shared > 0) shared.set(l.taxonomyId, split.shared);
      return split.levers.map((lever) => plan(l, lever.kind, lever.points));
    })
    // a measured lift on a small topic can promise less than the gap did: "+0.0 pts" is no action
    .filter((c) => c.gain.points >= minGainPoints)
    .sort(
      (a, b) =>
        b.gainConversations - a.gainConversations ||
        a.l.taxonomyId.localeCompare(b.l.taxonomyId, 'en') ||
        a.kind.localeCompare(b.kind, 'en'),
    );
  // the second action on a leaf comes after the first: what both levers close together is its.
  // That can lift it above actions it was ranked under, never above its first (ranked by the
  // smaller of the two gains; the sort is stable, so a tie keeps the first on top)
  const firstGain = new Map<string, number>();
  const ordered = candidates
    .map((c) => {
      const first = firstGain.get(c.l.taxonomyId);
      if (first === undefined) {
        firstGain.set(c.l.taxonomyId, c.gainConversations);
        return { ...c, rankBy: c.gainConversations };
      }
      const both = shared.get(c.l.taxonomyId) ?? 0;
      const after = both > 0 ? plan(c.l, c.kind, c.points + both) : c;
      return { ...after, rankBy: Math.min(first, after.gainConversations) };
    })
    .sort((a, b) => b.rankBy - a.rankBy);
  let cumulative = currentRate;
  return ordered.map(({ l, kind, gain, headroom, gainConversations }, i) => {
    cumulative += gain.points;
    return {
      rank: i + 1,
      taxonomyId: l.taxonomyId,
      automationClass: l.automationClass,
      kind,
      gainPoints: gain.points,
      gainConversations,
      gainSource: gain.source,
      gainLow: gain.low,
      gainHigh: gain.high,
      liftAccounts: gain.accounts,
      headroomPoints: headroom,
      monthlyConversations: l.conversations / months,
      share: l.share,
      involvementRate: l.involvementRate,
      resolutionRate: l.resolutionRate,
      achievableInvolvement: l.achievable.involvement,
      achievableResolution: l.achievable.resolution,
      cumulativeRate: cumulative,
    };
  });
}
