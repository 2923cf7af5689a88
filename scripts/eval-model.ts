/**
 * Evaluation of the potential model (SPEC §7): the backtest's mean absolute error overall, by
 * vertical and by whether the account acted, for the shipped settings and a few alternatives,
 * computed from a serving database's monthly leaf aggregates.
 *
 *   npm run eval:model [-- --db data/cockpit.db] [--json]
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { modelHistory } from '../server/db/build.ts';
import {
  type BacktestPoint,
  type BacktestSettings,
  DEFAULT_BACKTEST,
  type LeafMonthCounts,
  runBacktest,
  summarizeErrors,
} from '../server/domain/backtest.ts';
import { addMonths } from '../server/domain/metrics.ts';
import { MODEL_V1 } from '../server/domain/potential.ts';
import { classOf } from '../server/domain/taxonomy.ts';
import { fromCaller, parseCli } from './cli.ts';
import { SHIPPED_BACKTEST } from './pipeline/analysis.ts';

const parsed = parseCli('usage: npm run eval:model -- [--db FILE] [--json]', {
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
const db = new Database(dbPath, { readonly: true });
const history = modelHistory(db);
const currentMonth = String(history.meta.currentMonth ?? '');
if (!/^\d{4}-\d{2}$/.test(currentMonth)) {
  console.error(`${dbPath}: no current month in its meta table (rebuild it with npm run pipeline)`);
  process.exit(1);
}
// outcomes are whole months, as in the pipeline's backtest: a month still in progress is not reached yet
const lastMonth = history.meta.monthToDate ? addMonths(currentMonth, -1) : currentMonth;
const accounts = history.customers;
const customerIds = new Set(accounts.map((a) => a.id));
const rows: LeafMonthCounts[] = history.leafMonths
  .filter((r) => customerIds.has(r.accountId))
  .map((r) => ({ ...r, automationClass: classOf(r.taxonomyId) }));
const interventionMonths = new Map<string, string[]>();
for (const i of history.interventions)
  interventionMonths.set(i.accountId, [...(interventionMonths.get(i.accountId) ?? []), i.date.slice(0, 7)]);
const backtestAccounts = accounts.map((a) => ({
  ...a,
  interventionMonths: interventionMonths.get(a.id) ?? [],
}));

const V1 = { ...DEFAULT_BACKTEST, byVertical: false, model: MODEL_V1 };
const variants: [string, BacktestSettings][] = [
  ['v1: P75 of peers, separate involvement × resolution', V1],
  ['P75, joint (peers’ automation on the leaf)', { ...V1, model: { ...MODEL_V1, joint: true } }],
  ['P75 joint, by vertical', { ...V1, byVertical: true, model: { ...MODEL_V1, joint: true } }],
  [
    'P75 joint, by vertical, shrinkage 30',
    { ...V1, byVertical: true, model: { ...MODEL_V1, joint: true, shrinkage: 30 } },
  ],
  [
    'P60 joint, by vertical, shrinkage 30',
    { ...V1, byVertical: true, model: { ...MODEL_V1, joint: true, shrinkage: 30, percentile: 0.6 } },
  ],
  ['shipped (v2)', SHIPPED_BACKTEST],
];

const pts = (v: number | null) => (v === null ? '—' : (v * 100).toFixed(1));
const results = variants.map(([name, settings]) => {
  const points = runBacktest(rows, backtestAccounts, lastMonth, settings);
  const acted = points.filter((p) => p.acted);
  const verticals = [...new Set(points.map((p) => p.vertical))].sort();
  return {
    name,
    all: { h3: summarizeErrors(points, 3), h6: summarizeErrors(points, 6) },
    acted: { h3: summarizeErrors(acted, 3), h6: summarizeErrors(acted, 6) },
    byVertical: Object.fromEntries(
      verticals.map((v) => [
        v,
        summarizeErrors(
          points.filter((p: BacktestPoint) => p.vertical === v),
          6,
        ),
      ]),
    ),
  };
});

if (values.json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  console.log(
    `potential model backtest on ${dbPath} (data to ${currentMonth}, outcomes to ${lastMonth}); errors in points of automation rate\n`,
  );
  console.log(
    '| model | MAE M+3 | MAE M+6 | bias M+6 | in range M+6 | MAE M+6, accounts that acted | n (M+3/M+6) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results)
    console.log(
      `| ${r.name} | ${pts(r.all.h3.mae)} | ${pts(r.all.h6.mae)} | ${pts(r.all.h6.bias)} | ${pts(r.all.h6.coverage)}% | ${pts(r.acted.h6.mae)} | ${r.all.h3.n}/${r.all.h6.n} |`,
    );
  const shipped = results.at(-1)!;
  console.log('\nshipped model, MAE at M+6 by vertical:');
  for (const [v, s] of Object.entries(shipped.byVertical))
    console.log(`  ${v.padEnd(10)} ${pts(s.mae)} pts (n=${s.n})`);
}
