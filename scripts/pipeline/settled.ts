/**
 * The analyses that judge whole months only — the lifts of fixes, the potential's backtest, the
 * fixed-leaf check and the forecast's track record — read no row after the last month they judge
 * (`analysis.ts` hands them only those rows). A daily append adds conversations to the current,
 * unfinished month, so it leaves their input, and therefore their results, as they were: it takes
 * them from the database it extends instead of computing them again (about a third of an append's
 * own work on the demo's 72 accounts).
 *
 * Whether the input is the same is decided by a key over all of it — the months judged, every
 * account and intervention, every leaf-month row up to the last month judged — and over the code
 * and data that compute them (ANALYSIS_SOURCES), so a changed method or taxonomy, a revised rating
 * in an old month or a new intervention computes everything again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ActionLift } from '../../server/domain/actions.ts';
import type { BacktestPoint, ErrorSummary, FixCheck, LeafMonthCounts } from '../../server/domain/backtest.ts';
import type { FittedForecast, ForecastTrackRecord } from '../../server/domain/forecast.ts';
import { addMonths, isMonthToDate } from '../../server/domain/metrics.ts';
import type { Account, Intervention, InterventionKind } from '../../server/domain/types.ts';

/** The last month whose rows the lifts read, and the last one the backtest and forecast read. */
export function judgedMonths(
  currentMonth: string,
  dataAsOfMs: number | null,
): { lastComplete: string; lastReached: string } {
  const lastComplete = addMonths(currentMonth, -1);
  // what a prediction "reached" is a whole month's rate: a month still in progress is not one yet
  const lastReached = dataAsOfMs !== null && isMonthToDate(dataAsOfMs) ? lastComplete : currentMonth;
  return { lastComplete, lastReached };
}

/** What a build keeps of these analyses for the next append (meta `settledAnalyses`). */
export interface StoredSettled {
  key: string;
  actionLifts: ActionLift[];
  /** the live forecast's model, fitted on the same whole months */
  forecastFit: FittedForecast | null;
}

/** The results an append may take over, read from the database it extends. */
export interface SettledResults {
  key: string;
  actionLifts: Map<InterventionKind, ActionLift>;
  /** stored lifts JSON of each Patterns period, by `vertical\u0000period` */
  patternLifts: Map<string, string>;
  points: BacktestPoint[];
  backtest: { h3: ErrorSummary; h6: ErrorSummary };
  fixCheck: FixCheck;
  forecastTrack: ForecastTrackRecord;
  forecastFit: FittedForecast | null;
}

const REPO_ROOT = resolve(import.meta.dirname, '../..');
/**
 * What the results depend on besides their input rows: the domain code, the taxonomy (a leaf's
 * class feeds the potential model the backtest runs), the stored JSON's encoding (the lifts are
 * taken over as stored) and the pipeline code that chooses what the analyses are given.
 */
const ANALYSIS_SOURCES = [
  'server/domain',
  'server/db/stored-json.ts',
  'data/taxonomy.json',
  'scripts/pipeline/analysis.ts',
  'scripts/pipeline/model.ts',
  'scripts/pipeline/run.ts',
  'scripts/pipeline/settled.ts',
];

let codeHash: string | null = null;

/** A hash of the analysis code and data: results of another version are never taken over. */
function analysisCodeHash(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  const add = (path: string) => {
    if (statSync(path).isFile()) {
      hash.update(relative(REPO_ROOT, path));
      hash.update(readFileSync(path));
      return;
    }
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    ))
      if (entry.isDirectory() || entry.name.endsWith('.ts')) add(join(path, entry.name));
  };
  for (const source of ANALYSIS_SOURCES) add(resolve(REPO_ROOT, source));
  codeHash = hash.digest('hex');
  return codeHash;
}

/** The key of everything the settled analyses read. */
export function settledKey(
  accounts: ReadonlyMap<string, Account>,
  interventions: readonly Intervention[],
  rows: readonly LeafMonthCounts[],
  currentMonth: string,
  dataAsOfMs: number | null,
): string {
  const { lastComplete, lastReached } = judgedMonths(currentMonth, dataAsOfMs);
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ code: analysisCodeHash(), lastComplete, lastReached }));
  const byId = [...accounts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const a of byId) hash.update(JSON.stringify([a.id, a.vertical, a.aiLiveSince, a.status]));
  // in their order: the lifts measure each account, kind and leaf at its first intervention
  for (const i of interventions) hash.update(JSON.stringify([i.accountId, i.date, i.kind, i.taxonomyId]));
  const settled = rows
    .filter((r) => r.month <= lastReached)
    .map(
      (r) =>
        `${r.accountId}\u0000${r.month}\u0000${r.taxonomyId}\u0000${r.conversations}\u0000${r.involved}\u0000${r.resolved}`,
    )
    .sort();
  for (const line of settled) hash.update(line);
  return hash.digest('hex');
}

/**
 * What an append takes over from the database it extends: its stored results, when they were
 * computed from the same input (`key`) — else null, and everything is measured again.
 */
export function settledResults(
  key: string,
  meta: Record<string, unknown>,
  stored: { patternLifts: Map<string, string>; points: BacktestPoint[] },
): SettledResults | null {
  const kept = meta.settledAnalyses as StoredSettled | undefined;
  if (!kept || kept.key !== key || !meta.backtest || !meta.fixCheck || !meta.forecast) return null;
  if (kept.forecastFit === undefined) return null; // stored before the fit was kept
  return {
    key,
    actionLifts: new Map(kept.actionLifts.map((l) => [l.kind, l])),
    patternLifts: stored.patternLifts,
    points: stored.points,
    backtest: meta.backtest as SettledResults['backtest'],
    fixCheck: meta.fixCheck as FixCheck,
    forecastTrack: meta.forecast as ForecastTrackRecord,
    forecastFit: kept.forecastFit,
  };
}
