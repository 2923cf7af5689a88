/**
 * All reads of the serving database, as prepared statements returning typed rows. The server
 * builds its responses from these and nothing else.
 */

import type Database from 'better-sqlite3';
import type { AccountDetail, AccountSummary, SampleConversation } from '../api-types.ts';
import type { PlannedAction } from '../domain/actions.ts';
import type { FixCheck } from '../domain/backtest.ts';
import type { ClassRollup } from '../domain/breakdown.ts';
import type { CxCurves } from '../domain/cx.ts';
import type { AccountForecast, ForecastTrackRecord } from '../domain/forecast.ts';
import type { OutcomeCounts } from '../domain/metrics.ts';
import type { AutomationClass, Intervention } from '../domain/types.ts';
import { storedJson } from './stored-json.ts';

export interface CxDisagreementRow {
  id: string;
  taxonomyId: string;
  label: string | null;
  createdAt: number;
  channel: string;
  aiInvolved: number;
  state: string | null;
  reopened: number;
  csat: number;
  score: number;
  resolution: number;
  sentiment: number;
  effort: number;
}

export interface Meta {
  dataAsOf: string | null;
  currentMonth: string | null;
  monthToDate: boolean;
  /** monthsCovered: the months of data the window holds, its current month in part (older builds: none) */
  window: { from: string; to: string; months: number; monthsCovered?: number } | null;
  taxonomyVersion: string;
  builtAt: string;
  /** unique per build (older databases have none) */
  buildId?: string;
  conversations: number;
  accounts: number;
  schemaVersion: number;
  cxCalibration: {
    weights: number[];
    /** the additive isotonic curves on the rating's scale (null: too few ratings to fit them) */
    curves?: CxCurves | null;
    spearman: number | null;
    heldOut: number;
    calibrated: boolean;
    method?: 'isotonic' | 'linear';
    spearmanLinear?: number | null;
    spearmanResolution?: number | null;
  } | null;
}

export interface AccountLeafRow {
  taxonomyId: string;
  label: string;
  grp: string;
  automationClass: AutomationClass;
  conversations: number;
  involved: number;
  resolved: number;
  ratings: number;
  positiveRatings: number;
  cxScored: number;
  cxSum: number;
  share: number;
  achievableInvolvement: number;
  achievableResolution: number;
  achievableAutomation: number;
  gapPoints: number;
  gapConversations: number;
  peerAccounts: number;
}

export interface ActionRow extends PlannedAction {
  label: string;
  sampleIds: string[];
}

/** Decodes a stored AccountDetail text (the pipeline and the prospects store wrote it from one). */
export const decodeAccountDetail = (json: string): AccountDetail => storedJson.accountDetail.decode(json);

function forecastTrackRecord(db: Database.Database): ForecastTrackRecord | null {
  const json = db.prepare("SELECT value FROM meta WHERE key = 'forecast'").pluck().get() as
    | string
    | undefined;
  return json === undefined ? null : storedJson.forecast.decode(json);
}

export function createQueries(db: Database.Database) {
  const metaRows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  const meta = Object.fromEntries(metaRows.map((r) => [r.key, JSON.parse(r.value)])) as Meta;

  const accountSummaries = db.prepare('SELECT summary_json AS json FROM accounts ORDER BY name').pluck();
  const accountSummary = db.prepare('SELECT summary_json AS json FROM accounts WHERE id = ?').pluck();
  const accountDetail = db.prepare('SELECT detail_json AS json FROM accounts WHERE id = ?').pluck();
  const accountLeaves = db.prepare(
    `SELECT l.taxonomy_id AS taxonomyId, t.label, t.grp, t.automation_class AS automationClass,
            l.conversations, l.involved, l.resolved, l.ratings, l.positive_ratings AS positiveRatings,
            l.cx_scored AS cxScored, l.cx_sum AS cxSum, l.share,
            l.achievable_involvement AS achievableInvolvement, l.achievable_resolution AS achievableResolution,
            l.achievable_automation AS achievableAutomation, l.gap_points AS gapPoints,
            l.gap_conversations AS gapConversations, l.peer_accounts AS peerAccounts
     FROM account_leaves l JOIN taxonomy t ON t.id = l.taxonomy_id
     WHERE l.account_id = ? ORDER BY l.conversations DESC, l.taxonomy_id`,
  );
  const actions = db.prepare(
    `SELECT a.rank, a.taxonomy_id AS taxonomyId, t.label, t.automation_class AS automationClass, a.kind,
            a.gain_points AS gainPoints, a.gain_conversations AS gainConversations,
            a.monthly_conversations AS monthlyConversations, a.share, a.involvement_rate AS involvementRate,
            a.resolution_rate AS resolutionRate, a.achievable_involvement AS achievableInvolvement,
            a.achievable_resolution AS achievableResolution, a.cumulative_rate AS cumulativeRate,
            a.sample_ids_json AS sampleIdsJson, a.gain_source AS gainSource, a.gain_low AS gainLow,
            a.gain_high AS gainHigh, a.lift_accounts AS liftAccounts, a.headroom_points AS headroomPoints
     FROM actions a JOIN taxonomy t ON t.id = a.taxonomy_id
     WHERE a.account_id = ? ORDER BY a.rank`,
  );
  const accountInterventions = db.prepare<
    [string],
    Pick<Intervention, 'date' | 'kind' | 'taxonomyId' | 'note'>
  >(
    `SELECT date, kind, taxonomy_id AS taxonomyId, note FROM interventions WHERE account_id = ? ORDER BY date`,
  );
  const accountMonthCounts = db.prepare<[string], { month: string } & OutcomeCounts>(
    `SELECT month, conversations, involved, resolved, resolved_confirmed AS resolvedConfirmed,
            resolved_assumed AS resolvedAssumed, reopened, reopened_resolutions AS reopenedResolutions,
            escalated, procedure_handoff AS procedureHandoff, negative_feedback AS negativeFeedback,
            abandoned, pending, ratings, positive_ratings AS positiveRatings, cx_scored AS cxScored,
            cx_sum AS cxSum
       FROM account_months WHERE account_id = ? ORDER BY month`,
  );
  const accountFirstMonth = db.prepare('SELECT min(month) FROM account_months WHERE account_id = ?').pluck();
  const accountLiveSince = db.prepare('SELECT ai_live_since FROM accounts WHERE id = ?').pluck();
  // through the account-month index: the rows of one account's one month
  const accountFirstCreated = db
    .prepare('SELECT min(created_at) FROM conversations WHERE account_id = ? AND month = ?')
    .pluck();
  const accountMonthConversations = db
    .prepare('SELECT conversations FROM account_months WHERE account_id = ? AND month = ?')
    .pluck();
  const accountClasses = db.prepare<[string], ClassRollup>(
    `SELECT automation_class AS automationClass, conversations, share, involvement_rate AS involvementRate,
            resolution_rate AS resolutionRate, automation_rate AS automationRate,
            achievable_automation AS achievableAutomation, gap_points AS gapPoints,
            gap_conversations AS gapConversations, cx_score AS cxScore
     FROM account_classes WHERE account_id = ?
     ORDER BY CASE automation_class WHEN 'informational' THEN 0 WHEN 'personalized' THEN 1 WHEN 'action' THEN 2 ELSE 3 END`,
  );
  const accountCx = db.prepare(
    'SELECT resolution, sentiment, effort, distribution_json AS distributionJson FROM account_cx WHERE account_id = ?',
  );
  const cxBuckets = db.prepare<[string], { score: number; rated: number; csatSum: number }>(
    'SELECT score, rated, csat_sum AS csatSum FROM account_cx_buckets WHERE account_id = ? ORDER BY score',
  );
  const cxBucketsAll = db.prepare<[], { score: number; rated: number; csatSum: number }>(
    'SELECT score, sum(rated) AS rated, sum(csat_sum) AS csatSum FROM account_cx_buckets GROUP BY score ORDER BY score',
  );
  let globalBuckets: { score: number; rated: number; csatSum: number }[] | undefined;
  const cxDisagreements = db.prepare<[string], CxDisagreementRow>(
    `SELECT conversation_id AS id, d.taxonomy_id AS taxonomyId, t.label AS label, created_at AS createdAt, channel,
            ai_involved AS aiInvolved, state, reopened, csat, score, resolution, sentiment, effort
     FROM cx_disagreements d LEFT JOIN taxonomy t ON t.id = d.taxonomy_id WHERE account_id = ? ORDER BY rank`,
  );
  const samples = db
    .prepare(
      'SELECT sample_json FROM samples WHERE account_id = ? AND taxonomy_id = ? ORDER BY created_at DESC',
    )
    .pluck();
  // every topic's examples of an account, newest first (the CX distribution's drill-down)
  const accountSamples = db
    .prepare('SELECT sample_json FROM samples WHERE account_id = ? ORDER BY created_at DESC, conversation_id')
    .pluck();
  const accountForecast = db
    .prepare('SELECT forecast_json FROM account_forecasts WHERE account_id = ?')
    .pluck();
  const taxonomyRows = db.prepare(
    'SELECT id, grp AS "group", label, automation_class AS automationClass, description FROM taxonomy ORDER BY id',
  );

  return {
    meta,
    accountSummaries(): AccountSummary[] {
      return (accountSummaries.all() as string[]).map(storedJson.accountSummary.decode);
    },
    accountSummary(id: string): AccountSummary | undefined {
      const json = accountSummary.get(id) as string | undefined;
      return json === undefined ? undefined : storedJson.accountSummary.decode(json);
    },
    /** the precomputed AccountDetail, as JSON text: served as is */
    accountDetailJson(id: string): string | undefined {
      return accountDetail.get(id) as string | undefined;
    },
    accountLeaves(id: string): AccountLeafRow[] {
      return accountLeaves.all(id) as AccountLeafRow[];
    },
    /** the fixes the account logged (interventions.jsonl), oldest first */
    accountInterventions(id: string) {
      return accountInterventions.all(id);
    },
    /** the account's counts per month, oldest first (months without conversations have no row) */
    accountMonthCounts(id: string) {
      return accountMonthCounts.all(id);
    },
    /** the account's conversations in one month (0 when it has none) */
    accountMonthConversations(id: string, month: string): number {
      return (accountMonthConversations.get(id, month) as number | undefined) ?? 0;
    },
    /** the account's first conversation in `month` (ms; null: none) */
    accountFirstCreated(id: string, month: string): number | null {
      return (accountFirstCreated.get(id, month) as number | null | undefined) ?? null;
    },
    /** the date the AI agent went live on the account (null: not given) */
    accountLiveSince(id: string): string | null {
      return (accountLiveSince.get(id) as string | null | undefined) ?? null;
    },
    /** the first month the account has conversations in (null: none) */
    accountFirstMonth(id: string): string | null {
      return (accountFirstMonth.get(id) as string | null | undefined) ?? null;
    },
    /** the account's roll-up by automation class, precomputed by the pipeline */
    accountClasses(id: string): ClassRollup[] {
      return accountClasses.all(id);
    },
    actions(id: string): ActionRow[] {
      return (actions.all(id) as (Omit<ActionRow, 'sampleIds'> & { sampleIdsJson: string })[]).map(
        ({ sampleIdsJson, ...r }) => ({ ...r, sampleIds: storedJson.sampleIds.decode(sampleIdsJson) }),
      );
    },
    /** rated conversations and summed CSAT per rounded CX score, for one account */
    cxBuckets(id: string) {
      return cxBuckets.all(id);
    },
    /** the same over every account (read once) */
    cxBucketsAll() {
      globalBuckets ??= cxBucketsAll.all();
      return globalBuckets;
    },
    cxDisagreements(id: string): CxDisagreementRow[] {
      return cxDisagreements.all(id);
    },
    accountCx(id: string) {
      const row = accountCx.get(id) as
        | {
            resolution: number | null;
            sentiment: number | null;
            effort: number | null;
            distributionJson: string;
          }
        | undefined;
      if (!row) return undefined;
      return {
        subSignals: { resolution: row.resolution, sentiment: row.sentiment, effort: row.effort },
        distribution: storedJson.cxDistribution.decode(row.distributionJson),
      };
    },
    samples(accountId: string, taxonomyId: string): SampleConversation[] {
      return (samples.all(accountId, taxonomyId) as string[]).map(storedJson.sample.decode);
    },
    /** every stored example conversation of an account, newest first */
    accountSamples(accountId: string): SampleConversation[] {
      return (accountSamples.all(accountId) as string[]).map(storedJson.sample.decode);
    },
    /** an account's live forecast, when the pipeline could make one */
    accountForecast(id: string): AccountForecast | null {
      const json = accountForecast.get(id) as string | undefined;
      return json === undefined ? null : storedJson.accountForecast.decode(json);
    },
    forecastTrackRecord: () => forecastTrackRecord(db),
    taxonomy() {
      return taxonomyRows.all() as {
        id: string;
        group: string;
        label: string;
        automationClass: AutomationClass;
        description: string;
      }[];
    },
  };
}

export type Queries = ReturnType<typeof createQueries>;

export function createAnalysisQueries(db: Database.Database) {
  const pattern = db.prepare(
    'SELECT from_month AS "from", to_month AS "to", leaves_json AS leavesJson, lifts_json AS liftsJson FROM patterns WHERE vertical = ? AND period = ?',
  );
  const verticals = db.prepare('SELECT DISTINCT vertical FROM patterns ORDER BY vertical').pluck();
  const periods = db.prepare('SELECT DISTINCT period FROM patterns ORDER BY period').pluck();
  const accountNames = db.prepare('SELECT id, name FROM accounts');
  const customersIn = db
    .prepare("SELECT count(*) FROM accounts WHERE status = 'customer' AND (? = 'all' OR vertical = ?)")
    .pluck();
  const backtest = db.prepare(
    `SELECT b.account_id AS accountId, a.name, b.vertical, b.month, b.predicted, b.predicted_low AS predictedLow,
            b.predicted_high AS predictedHigh, b.current_rate AS currentRate, b.actual3, b.actual6, b.peak6, b.peak3of6, b.acted
     FROM backtest b JOIN accounts a ON a.id = b.account_id ORDER BY b.month, b.account_id`,
  );
  return {
    pattern(vertical: string, period: number) {
      return pattern.get(vertical, period) as
        | { from: string; to: string; leavesJson: string; liftsJson: string }
        | undefined;
    },
    verticals: () => verticals.all() as string[],
    accountNames: () =>
      new Map((accountNames.all() as { id: string; name: string }[]).map((r) => [r.id, r.name])),
    customersIn: (vertical: string) => customersIn.get(vertical, vertical) as number,
    periods: () => periods.all() as number[],
    /** the fixed-leaf check the pipeline stored in meta (null for databases built before it) */
    fixCheck(): FixCheck | null {
      const json = db.prepare("SELECT value FROM meta WHERE key = 'fixCheck'").pluck().get() as
        | string
        | undefined;
      return json === undefined ? null : storedJson.fixCheck.decode(json);
    },
    /** the forecast's track record the pipeline stored in meta (null for databases built before it) */
    forecast: () => forecastTrackRecord(db),
    backtest() {
      return (
        backtest.all() as (Omit<import('../api-types.ts').BacktestPointRow, 'acted'> & { acted: number })[]
      ).map((r) => ({ ...r, acted: r.acted === 1 }));
    },
  };
}
