/**
 * Response shapes of the API (SPEC §6). The server's handlers return exactly these, so
 * `hc<AppType>` on the web side infers them; they are also importable as plain types.
 * Rates are fractions 0–1 or null (denominator 0). Months are `YYYY-MM` in UTC.
 */
import type { FixOnTopic } from './domain/actions.ts';
import type { BacktestPoint, CeilingSummary, ErrorSummary, FixCheck } from './domain/backtest.ts';
import type { ClassRollup } from './domain/breakdown.ts';
import type { KindLift, LiftEvent, MatchedLiftSettings } from './domain/lifts.ts';
import type { PeriodFigures } from './domain/metrics.ts';
import type { LeafPattern, PatternSettings, Spread } from './domain/patterns.ts';
import type { QuarterFigures } from './domain/quarters.ts';
import type {
  ActionKind,
  AutomationClass,
  Channel,
  Flag,
  FlagKind,
  InterventionKind,
  ResolutionState,
  Role,
} from './domain/types.ts';

export type { PeriodFigures } from './domain/metrics.ts';
export type { QuarterFigures } from './domain/quarters.ts';
export type { ActionKind, Flag, FlagKind } from './domain/types.ts';

export interface MonthFigures extends PeriodFigures {
  month: string;
}

export interface AccountSummary extends PeriodFigures {
  id: string;
  name: string;
  vertical: string;
  plan: string | null;
  csm: string | null;
  region: string | null;
  arr: number | null;
  status: 'customer' | 'prospect';
  aiLiveSince: string | null;
  /** the current month of the dataset */
  month: string;
  /** automation rate over the model window (last 3 months), the base the potential is measured from */
  windowAutomationRate: number | null;
  automationPotential: number | null;
  /** honest range around the potential (from how spread the peers are) */
  potentialLow: number | null;
  potentialHigh: number | null;
  /**
   * the AI agent has no fully live month in the data yet (goes live after it ends, or went live
   * too lately; metrics.ts awaitingLive): no gap, flags on automation or next actions until it has
   */
  awaitingLive?: true;
  /**
   * A prospect whose export fits the taxonomy poorly: the share of its support requests classified
   * with low confidence (≥ 20%), so its topics are nearest matches and its potential indicative
   */
  poorTopicFit?: number;
  /** potential − window automation rate, in points (fraction) */
  gapPoints: number | null;
  /** gap × average monthly conversations in the window */
  gapConversations: number | null;
  flags: Flag[];
  /** automation rate per month, last 12 months, oldest first (null where no conversations, and for the current month while it has run under a tenth of it: metrics.ts isYoungMonth) */
  trend: (number | null)[];
}

export interface AccountsResponse {
  dataAsOf: string | null;
  month: string | null;
  monthToDate: boolean;
  totals: {
    accounts: number;
    conversations: number;
    resolved: number;
    automationRate: number | null;
    unrealizedConversations: number;
  };
  accounts: AccountSummary[];
}

/**
 * One account as the triage table shows it: the columns of `GET /api/accounts?view=triage`,
 * decoded back into a row. Rates are rounded to what the table displays (see TriageResponse).
 */
export type TriageAccount = Pick<
  AccountSummary,
  | 'id'
  | 'name'
  | 'vertical'
  | 'plan'
  | 'csm'
  | 'region'
  | 'arr'
  | 'status'
  | 'conversations'
  | 'resolved'
  | 'involvementRate'
  | 'resolutionRate'
  | 'automationRate'
  | 'automationPotential'
  | 'windowAutomationRate'
  | 'gapPoints'
  | 'gapConversations'
  | 'cxScore'
  | 'flags'
  | 'trend'
  | 'awaitingLive'
  | 'poorTopicFit'
>;

/**
 * `GET /api/accounts?view=triage`: the triage table's data only, column by column (row i is the
 * i-th entry of every column; the accounts and `status` filter of the default shape, ordered as the
 * table first shows them: gap conversations, largest first). Numbers are integers in the unit the table displays, so the payload stays small:
 * rates, potential and gap points in per-mille (0.1234 → 123, shown as 12.3%), the CX score in
 * hundredths (3.456 → 346), gap conversations in hundredths, the trend (automation rate per
 * month, oldest first) in per-mille. null stays null. Low-cardinality text columns (vertical,
 * plan, CSM, region, status) and the flags' reasons are indexes into `dict`; flags are
 * `[kindIndex, reasonIndex]` pairs with kinds in `flagKinds`.
 */
export interface TriageResponse {
  view: 'triage';
  dataAsOf: string | null;
  month: string | null;
  monthToDate: boolean;
  totals: AccountsResponse['totals'];
  count: number;
  /** strings referenced by the dictionary-coded columns */
  dict: string[];
  flagKinds: FlagKind[];
  columns: {
    id: string[];
    name: string[];
    /** index into dict */
    vertical: number[];
    /** index into dict, -1 = null */
    plan: number[];
    csm: number[];
    region: number[];
    status: number[];
    arr: (number | null)[];
    conversations: number[];
    resolved: number[];
    /** per-mille */
    involvementRate: (number | null)[];
    resolutionRate: (number | null)[];
    automationRate: (number | null)[];
    automationPotential: (number | null)[];
    /** the last 3 months' automation the gap is measured from (per-mille) */
    windowAutomationRate: (number | null)[];
    gapPoints: (number | null)[];
    /** hundredths of a conversation */
    gapConversations: (number | null)[];
    /** hundredths */
    cxScore: (number | null)[];
    /** [flag kind index, reason as an index into dict] per flag */
    flags: [number, number][][];
    /**
     * per-mille per month, oldest first: the number of leading months without data (null) first,
     * then the other months as differences (the first value, then each minus the last non-null
     * before it; null stays null)
     */
    trend: (number | null)[][];
    /**
     * 1 where the account's AI agent has had no full month live yet (AccountSummary.awaitingLive):
     * its gap is null for that reason, not for want of data; else 0
     */
    awaitingLive: (0 | 1)[];
    /** [row, per mille] of each prospect whose export fits the taxonomy poorly (AccountSummary.poorTopicFit); rows not listed fit */
    poorTopicFit: [number, number][];
  };
}

export interface AccountDetail extends AccountSummary {
  dataAsOf: string | null;
  /**
   * the first conversation of a prospect (its export's start), or of a customer whose conversations
   * began inside the model window: its first month may be partial too
   */
  dataFrom?: string | null;
  /** a prospect's export has no dates: its one month is a stand-in for the whole file */
  undated?: boolean;
  monthToDate: boolean;
  previous: MonthFigures | null;
  /**
   * The potential's window; `monthsCovered` = the months of data it holds, its current month only
   * in part (per-month volumes divide by it); a prospect's, the span of its export. Absent from older builds.
   */
  window: { from: string; to: string; months: number; monthsCovered?: number };
  months: MonthFigures[];
  /**
   * Conversations of the window in a language the classifier does not read (neither English nor
   * Hindi-English): filed under the fallback leaf with no confidence, their topic unknown. Absent
   * from builds before schema 8.
   */
  unreadable?: number;
}

export interface LeafBreakdown {
  taxonomyId: string;
  label: string;
  group: string;
  automationClass: AutomationClass;
  conversations: number;
  monthlyConversations: number;
  share: number;
  involvementRate: number | null;
  resolutionRate: number | null;
  automationRate: number | null;
  achievableInvolvement: number;
  achievableResolution: number;
  achievableAutomation: number;
  /** points of the account's automation rate this leaf adds at its achievable level (0 for a prospect whose potential is withheld) */
  gapPoints: number;
  gapConversations: number;
  cxScore: number | null;
  csat: number | null;
  /** how many peer accounts the achievable levels come from; 0 = class-level fallback */
  peerAccounts: number;
  /**
   * A prospect's topic whose conversations were classified with a mean confidence under 0.5: more
   * likely misfiled than not, the nearest match of something the taxonomy may not have
   */
  uncertain?: { confidence: number };
}

/** The automation-class roll-up of an account's leaves (`rollUpClasses`). */
export type ClassBreakdown = ClassRollup;

export interface BreakdownResponse {
  /** `monthsCovered`: the months of data in the window (its current month only in part); a prospect's, the span of its export */
  window: { from: string; to: string; months: number; monthsCovered?: number };
  classes: ClassBreakdown[];
  leaves: LeafBreakdown[];
}

export interface NextAction {
  rank: number;
  taxonomyId: string;
  label: string;
  automationClass: AutomationClass;
  kind: ActionKind;
  title: string;
  /** why this action, in one or two sentences with the numbers (and the last fix on the topic) */
  rationale: string;
  /** fixes the account logged on this topic (or account-wide of this kind), newest first */
  fixes: FixOnTopic[];
  evidence: {
    monthlyConversations: number;
    share: number;
    involvementRate: number | null;
    resolutionRate: number | null;
    /**
     * where this action takes the topic's involvement and resolution: the peers' levels, except for
     * the first of a topic's two actions (one per lever), which leaves the other lever where it is
     */
    achievableInvolvement: number;
    achievableResolution: number;
    /**
     * the topic's automation now and where this action takes it — as the breakdown states them (the
     * gain is computed from these; the involvement and resolution above are the peers' levels,
     * whose product can differ where a small topic's own rates were shrunk toward them). The second
     * of a topic's two actions starts where the first leaves it: its involvement, resolution and
     * automation "now" are then the first's targets (`afterRank`)
     */
    automationRate: number | null;
    achievableAutomation: number;
    sampleIds: string[];
    /** the rank of the action on the same topic this one comes after (its rates start there) */
    afterRank?: number;
  };
  /** expected gain, points of the account's automation rate */
  gainPoints: number;
  /** conversations a month the action is expected to automate (hours: × minutes ÷ 60, in the browser) */
  gainConversations: number;
  /**
   * what the gain rests on: `lift` — the lift measured for this kind of fix against matched
   * controls (on at least 5 treated accounts), × the topic's share, capped by its headroom;
   * `peers` — the gap to the peers' achievable level (no lift measured on enough accounts)
   */
  gainSource: 'lift' | 'peers';
  /** the lift's 95% interval applied the same way (points); null for `peers` */
  gainLow: number | null;
  gainHigh: number | null;
  /** treated accounts behind the lift; null for `peers` */
  liftAccounts: number | null;
  /** the topic's gap to its achievable level (points): the cap of a lift-based gain */
  headroomPoints: number;
  /** where the gain comes from, in one sentence */
  gainBasis: string;
  /** automation rate after this and all higher-ranked actions */
  cumulativeRate: number;
}

export interface ActionsResponse {
  current: number | null;
  potential: number | null;
  actions: NextAction[];
}

/** Where the account is expected to be 3 and 6 months on (issue 10): a forecast, not the ceiling. */
export interface ForecastResponse {
  forecast: import('./domain/forecast.ts').AccountForecast | null;
  /** why there is no forecast, when there is none */
  reason: string | null;
  /**
   * the same model's backtest over customers at each horizon (volume-weighted), to judge it by;
   * `clearGain`: the 90% interval of its gain over "no change" lies above 0
   */
  trackRecord: {
    horizon: 3 | 6;
    mae: number;
    persistenceMae: number;
    coverage: number;
    clearGain: boolean;
  }[];
  /** the same over this account's vertical alone (few accounts: wide), where it has one */
  verticalTrackRecord: {
    vertical: string;
    horizon: 3 | 6;
    mae: number;
    persistenceMae: number;
    accounts: number;
  }[];
}

/** GET /api/accounts/:id/history: what a quarterly review compares — quarters and the fixes logged. */
export interface HistoryResponse {
  /** calendar quarters with data, oldest first (each with the SPEC §1 figures of its summed counts) */
  quarters: QuarterFigures[];
  /** every fix the account logged, newest first, planned ones (dated after the data) included */
  fixes: LoggedFix[];
}

export interface LoggedFix {
  /** YYYY-MM-DD */
  date: string;
  kind: InterventionKind;
  /** the topic it was for; null: the whole account */
  taxonomyId: string | null;
  label: string | null;
  note: string | null;
  /** dated after the data ends: planned, not yet in the figures */
  planned: boolean;
}

export interface CxResponse {
  /** conversations per rounded CX score 1..5 in the model window */
  distribution: { score: number; conversations: number }[];
  subSignals: { resolution: number | null; sentiment: number | null; effort: number | null };
  lowestTopics: { taxonomyId: string; label: string; cxScore: number; conversations: number }[];
  calibration: {
    spearman: number | null;
    heldOut: number;
    weights: number[];
    /** 'isotonic': the mean rating plus a non-decreasing curve per sub-signal; 'linear': weights */
    method: 'isotonic' | 'linear';
    /** the same agreement for the linear index alone and for the resolution sub-signal alone */
    spearmanLinear: number | null;
    spearmanResolution: number | null;
  } | null;
  /**
   * Mean CSAT per rounded CX score 1–5 over the account's rated conversations (all months), beside
   * the same over every account; empty for a prospect (no ratings).
   */
  calibrationCurve: CxCurvePoint[];
  /** rated conversations in the model window whose score and rating differ most, largest first */
  disagreements: CxDisagreement[];
}

export interface CxCurvePoint {
  score: number;
  /** this account's rated conversations with this rounded score, and their mean rating */
  rated: number;
  meanCsat: number | null;
  /** the same over every account */
  globalRated: number;
  globalMeanCsat: number | null;
}

export interface CxDisagreement {
  id: string;
  taxonomyId: string;
  label: string;
  createdAt: string;
  channel: Channel;
  aiInvolved: boolean;
  aiResolutionState: ResolutionState | null;
  reopened: boolean;
  csat: number;
  score: number;
  /** score − rating */
  gap: number;
  resolution: number;
  sentiment: number;
  effort: number;
}

export interface SampleConversation {
  id: string;
  taxonomyId: string;
  confidence: number;
  createdAt: string;
  channel: Channel;
  aiInvolved: boolean;
  aiResolutionState: ResolutionState | null;
  reopened: boolean;
  csat: number | null;
  cx: { score: number; resolution: number; sentiment: number; effort: number; explanation: string };
  /**
   * `ownText`: the customer's own words when the message also holds a quoted reply, a signature, a
   * footer or HTML (what the classifier and the CX score read); `text` is the whole message
   */
  messages: { role: Role; text: string; at?: string; ownText?: string }[];
}

export interface SamplesResponse {
  taxonomyId: string;
  samples: SampleConversation[];
}

/** Example conversations of an account whose CX score rounds to `score` (the distribution's drill-down). */
export interface CxSamplesResponse {
  score: number;
  samples: SampleConversation[];
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export type { Spread };

export interface LeafPatternRow extends LeafPattern {
  label: string;
  group: string;
}

export interface LiftEventRow extends LiftEvent {
  /** the account's name */
  name: string;
  /** the leaf's label */
  label: string;
}

/** One kind of fix: its matched-controls lift with interval and n, the placebos, its fixes. */
export interface InterventionLiftRow
  extends Omit<KindLift, 'events' | 'lift' | 'low' | 'high' | 'p10' | 'p90'> {
  /** mean lift and its interval, points of the leaf (fraction); null when no fix of the kind was measured (n = 0, SPEC §1) */
  lift: number | null;
  low: number | null;
  high: number | null;
  p10: number | null;
  p90: number | null;
  events: LiftEventRow[];
}

export interface PatternsResponse {
  vertical: string;
  period: number;
  /** customer accounts in the vertical (all verticals for 'all') */
  accountsInScope: number;
  /** thresholds behind the common / consistent / proven / large-gap / generalizes flags */
  settings: PatternSettings;
  from: string;
  to: string;
  verticals: string[];
  periods: number[];
  leaves: LeafPatternRow[];
  lifts: InterventionLiftRow[];
  /** how lifts are measured, in words built from `liftSettings` */
  liftMethod: string;
  liftSettings: MatchedLiftSettings;
}

export type { CeilingSummary, ErrorSummary };

export interface BacktestPointRow extends BacktestPoint {
  name: string;
}

export interface ModelResponse {
  method: string;
  /** the potential judged as a ceiling (the headline); `overall` keeps the distance to what was reached */
  ceiling: CeilingSummary;
  /** leaves that received a fix: their rate over the 3 months after vs the level predicted before */
  fixedLeaves: FixCheck | null;
  overall: { h3: ErrorSummary; h6: ErrorSummary };
  byVertical: { vertical: string; ceiling: CeilingSummary; h3: ErrorSummary; h6: ErrorSummary }[];
  byActed: { acted: boolean; ceiling: CeilingSummary; h3: ErrorSummary; h6: ErrorSummary }[];
  largestMisses: (BacktestPointRow & { error: number; horizon: 3 | 6 })[];
  points: BacktestPointRow[];
  /** the forecast's track record (a different question: where the account will be), null before it was built */
  forecast: import('./domain/forecast.ts').ForecastTrackRecord | null;
}

// ---- Estimate (prospect upload, docs/estimate.md) — appended by the estimate work ----------------

export type {
  BenchmarkSource,
  EstimateAction,
  EstimateClass,
  EstimateLeaf,
  EstimateSample,
  Levels,
} from './domain/estimate.ts';
export type { ImportFormat, ImportIssue, ImportReport } from './importers/types.ts';

/** `GET /api/estimate/limits`: what the upload accepts, to state it up front. */
export interface EstimateLimits {
  /** largest accepted upload in bytes (the file as sent, compressed or not) */
  maxBytes: number;
  /** e.g. "200 MB" */
  maxBytesLabel: string;
  /** bytes of the body `POST /api/estimate/preview` reads */
  previewBytes: number;
  /** longest accepted record (line / CSV row / JSON element) in bytes */
  maxLineBytes: number;
  /** share of rejected records over which a prospect cannot be saved (the pipeline's rule) */
  saveMaxRejectRate: number;
  formats: { id: import('./importers/types.ts').ImportFormat; label: string; extensions: string[] }[];
  /** verticals a prospect can be compared with (`vertical` query parameter) */
  verticals: string[];
  defaultVertical: string;
}

/** `POST /api/estimate/preview`: the detected format and, for CSV, the column mapping. */
export interface EstimatePreview {
  fileName: string | null;
  format: import('./importers/types.ts').ImportFormat;
  reason: string;
  /** CSV: source header → canonical field */
  mapping: Record<string, string> | null;
  /** CSV: columns that will be ignored, the first PREVIEW_IGNORED_SHOWN of them */
  ignored: string[];
  /** CSV: ignored columns beyond those listed (a header of 60,000 columns made a 197 KB answer) */
  ignoredMore?: number;
  delimiter: string | null;
  gzip: boolean;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  notes: string[];
  /** bytes of the body that were read */
  headBytes: number;
}

export interface EstimateMonth {
  month: string;
  conversations: number;
  ratings: number;
  positiveRatings: number;
  /** conversations the export marks reopened; absent in estimates saved before 2026-12-06 (read as 0) */
  reopened?: number;
}

/** The estimate of one prospect (`{"type":"result",…}` line, and `GET /api/estimate/prospects/:id`). */
export interface EstimateResult {
  /** prospect id: derived from the file's decoded text and the vertical (same export + vertical → same id, gzipped or not) */
  id: string;
  name: string;
  vertical: string;
  /**
   * Another vertical whose customers' topic mix is clearly more alike than the peers compared with
   * (cosine of topic shares; server/domain/vertical-match.ts); absent when none is, and on estimates
   * made before 2026-12-07
   */
  verticalSuggestion?: { vertical: string; similarity: number; chosenSimilarity: number };
  fileName: string | null;
  sha256: string;
  /** bytes of the file as uploaded */
  bytes: number;
  /** first and last createdAt of the imported conversations (ISO) */
  from: string | null;
  to: string | null;
  months: number;
  byMonth: EstimateMonth[];
  conversations: number;
  /**
   * Conversations in a language the classifier does not read (neither English nor Hindi-English):
   * their leaf says nothing about the request. Absent in estimates saved before it was counted.
   */
  unreadable?: number;
  /**
   * Why the potential and roadmap are withheld, when they are: `unreadable` = a quarter or more of
   * the conversations in a language the classifier does not read; `no_text` = half or more without
   * a customer word (server/estimate/estimate.ts).
   */
  withheld?: 'unreadable' | 'no_text';
  /**
   * Conversations without a customer word (no message, or only emoji and punctuation), counted
   * under "Greeting or unclear request". Absent in estimates saved before it was counted.
   */
  noText?: number;
  /**
   * The separate periods the export's dates fall in, when there are several (sampled weeks months
   * apart): its volume a month is read over the time they cover (server/estimate/coverage.ts).
   */
  periods?: { from: string; to: string; conversations: number }[];
  /** conversations dated far from the rest (a typo, a test record), left out of the period and months */
  strayDates?: number;
  /**
   * Conversations in which the export shows an AI agent already taking part (its flag or its
   * messages), and those that agent resolved by the export's own outcomes (SPEC §1). Not used: a
   * prospect's estimate starts from no automation. Absent in estimates saved before it was counted.
   */
  aiInvolved?: number;
  aiResolved?: number;
  monthlyConversations: number;
  currentAutomation: number;
  potential: number | null;
  potentialLow: number | null;
  potentialHigh: number | null;
  confidence: number | null;
  /** share of the support requests classified with low confidence (EstimateModel); absent in estimates saved before 2026-12-07 */
  lowConfidenceRequests?: number | null;
  expectedConversations: number;
  classes: import('./domain/estimate.ts').EstimateClass[];
  leaves: import('./domain/estimate.ts').EstimateLeaf[];
  actions: import('./domain/estimate.ts').EstimateAction[];
  benchmark: {
    vertical: string;
    verticalAccounts: number;
    allAccounts: number;
    /** how many of the prospect's leaves use each source of peer levels */
    sources: Partial<Record<import('./domain/estimate.ts').BenchmarkSource, number>>;
  };
  /** "how is this calculated" */
  method: string;
  report: import('./importers/types.ts').ImportReport;
  saved: boolean;
  /** ISO time the estimate was computed */
  createdAt: string;
  elapsedMs: number;
}

/** One line of the `POST /api/estimate` NDJSON stream. */
export type EstimateStreamLine =
  | {
      type: 'progress';
      /** bytes of the upload read so far */
      bytes: number;
      /** Content-Length when the client sent one */
      totalBytes: number | null;
      /** records read (imported + skipped + rejected) */
      records: number;
    }
  | ({
      type: 'result';
      /**
       * An unsaved estimate of an export that is already saved under another name: that name. The
       * prospect's page shows the saved one; the name typed for this run was not applied.
       */
      savedAs?: string;
    } & EstimateResult)
  | {
      type: 'error';
      /** the HTTP status this would have had (413 too large, 422 unusable file, 499 cancelled, 500) */
      status: number;
      error: { code: string; message: string };
      /** 1-based line of the problem, when known */
      line?: number;
    };

export interface ProspectListItem {
  id: string;
  name: string;
  vertical: string;
  fileName: string | null;
  format: import('./importers/types.ts').ImportFormat;
  conversations: number;
  potential: number | null;
  potentialLow: number | null;
  potentialHigh: number | null;
  savedAt: string;
  /** the same share as in AccountDetail.poorTopicFit: the estimate is indicative (null when its topics fit) */
  poorTopicFit: number | null;
}

/** `GET /api/estimate/prospects` */
export interface ProspectsResponse {
  prospects: ProspectListItem[];
}
