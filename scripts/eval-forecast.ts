/**
 * Track record of the forecast (issue 10 item 3, docs/model.md): at every origin month M, with
 * data up to M only, the forecast of the rate at M+3 and M+6 against what was reached, beside
 * "no change" and the sampling-noise floor, with 90% bootstrap intervals by account.
 *
 *   npm run eval:forecast [-- --db data/cockpit.db] [--json]
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { modelHistory } from '../server/db/build.ts';
import { groupByMonth, potentialsWithDataUpTo, runBacktest } from '../server/domain/backtest.ts';
import {
  backtestForecast,
  FEATURES,
  FORECAST_HORIZONS,
  fitOnAll,
  potentialsAt,
  summarizeForecast,
} from '../server/domain/forecast.ts';
import { addMonths } from '../server/domain/metrics.ts';
import { classOf } from '../server/domain/taxonomy.ts';
import { fromCaller, parseCli } from './cli.ts';
import { SHIPPED_BACKTEST } from './pipeline/analysis.ts';

const parsed = parseCli('usage: npm run eval:forecast -- [--db FILE] [--json]', {
  db: { type: 'string' },
  json: { type: 'boolean' },
});
if ('exitCode' in parsed) process.exit(parsed.exitCode);
const { values } = parsed;
const dbPath =
  values.db !== undefined ? fromCaller(values.db) : (process.env.COCKPIT_DB ?? 'data/cockpit.db');
if (!existsSync(dbPath)) {
  console.error(`${dbPath}: database not found (run npm start or npm run demo first)`);
  process.exit(1);
}
const history = modelHistory(new Database(dbPath, { readonly: true }));
const currentMonth = String(history.meta.currentMonth ?? '');
const lastMonth = history.meta.monthToDate ? addMonths(currentMonth, -1) : currentMonth;
const customerIds = new Set(history.customers.map((a) => a.id));
const rows = history.leafMonths
  .filter((r) => customerIds.has(r.accountId) && r.month <= lastMonth)
  .map((r) => ({ ...r, automationClass: classOf(r.taxonomyId) }));
const points = runBacktest(
  rows,
  history.customers.map((a) => ({ ...a, interventionMonths: [] })),
  lastMonth,
  SHIPPED_BACKTEST,
);
const potential = new Map(points.map((p) => [`${p.accountId} ${p.month}`, p.predicted]));
const leafPotentialsAt = potentialsWithDataUpTo(
  groupByMonth(rows),
  new Map(history.customers.map((a) => [a.id, { ...a, interventionMonths: [] }])),
  SHIPPED_BACKTEST,
);
const input = {
  rows,
  accounts: history.customers,
  interventions: history.interventions.filter((i) => customerIds.has(i.accountId)),
  potentialAt: potentialsAt(
    (accountId: string, month: string) => potential.get(`${accountId} ${month}`) ?? null,
    leafPotentialsAt,
  ),
  lastMonth,
};
const started = performance.now();
const track = backtestForecast(input);
const summaries = FORECAST_HORIZONS.map((h) => summarizeForecast(track, h));
const fit = fitOnAll(input);
const seconds = (performance.now() - started) / 1000;

if (values.json) {
  console.log(JSON.stringify({ summaries, fit }, null, 2));
} else {
  const p = (x: number) => `${(x * 100).toFixed(1)}`;
  const iv = (i: { value: number; low: number; high: number }) => `${p(i.value)} [${p(i.low)}–${p(i.high)}]`;
  console.log(`forecast backtest on ${dbPath} (data to ${lastMonth}), ${seconds.toFixed(1)} s`);
  for (const s of summaries) {
    if (!s) continue;
    const gain = 1 - s.mae.value / s.persistenceMae.value;
    console.log(
      `M+${s.horizon}: ${s.points} forecasts, ${s.accounts} accounts (effective ${s.effectiveAccounts.toFixed(1)})\n` +
        `  volume-weighted MAE, pts: forecast ${iv(s.mae)} · no change ${iv(s.persistenceMae)} · noise floor ${iv(s.noiseFloor)}\n` +
        `  ${Math.abs(gain * 100).toFixed(0)}% ${gain >= 0 ? 'below' : 'above'} no change; ${(s.mae.value / s.noiseFloor.value).toFixed(2)}× the noise floor; ` +
        `P10–P90 band covers ${iv(s.coverage)}%`,
    );
  }
  const f = fit;
  if (f)
    console.log(
      `fit on all ${f.pairs} pairs: ` +
        FEATURES.map((name, j) => `${name} ${f.coefficients[j]!.toFixed(3)}`).join(', '),
    );
}
