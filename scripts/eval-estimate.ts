/**
 * How close a prospect's estimate comes to the truth, on a demo world: each customer account's own
 * export (its last N months, AI outcomes and all, as a prospect would send it) is estimated as if
 * it were a prospect's, against peers that leave that account out, and the estimate's potential is
 * compared with the account's true ceiling in DIR/truth.json (which neither the pipeline nor the
 * estimate reads). Beside it: the guesses that need no export (the mean potential of the other
 * customers, of the same vertical's: what "accounts like yours reach" would say), and the potential
 * the pipeline gives the same account as a customer, from its AI outcomes.
 *
 *   npm run eval:estimate -- --input DIR --db FILE [--months N] [--json]
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { openServingDb } from '../server/db/open.ts';
import { peerLeafRows } from '../server/db/peers.ts';
import { readBuiltFigures } from '../server/db/truth-eval.ts';
import { buildBenchmarks, type PeerLeafRow } from '../server/domain/estimate.ts';
import { VERTICALS } from '../server/domain/types.ts';
import { verticalMixes } from '../server/domain/vertical-match.ts';
import type { BenchmarkSource } from '../server/estimate/benchmarks.ts';
import { estimateProspect } from '../server/estimate/estimate.ts';
import { fromCaller } from './cli.ts';
import type { Truth } from './demo/generate.ts';

const USAGE = 'usage: npm run eval:estimate -- --input DIR --db FILE [--months N] [--json]';

/** Peers without the account being estimated: its own figures must not benchmark it. */
function peersWithout(rows: readonly PeerLeafRow[], accountId: string): BenchmarkSource {
  const others = rows.filter((r) => r.accountId !== accountId);
  return {
    forVertical: (vertical) => buildBenchmarks(others, vertical),
    verticals: () => [...new Set([...VERTICALS, ...others.map((r) => r.vertical)])].sort(),
    topicMixes: () => verticalMixes(others),
  };
}

/** Each account's canonical conversation lines whose month is one of `months`. */
async function exportsByAccount(dir: string, months: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const gz = join(dir, 'conversations.jsonl.gz');
  const source = existsSync(gz)
    ? createReadStream(gz).pipe(createGunzip())
    : createReadStream(join(dir, 'conversations.jsonl'));
  const out = new Map<string, string[]>();
  for await (const line of createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (!line) continue;
    const c = JSON.parse(line) as { accountId: string; createdAt: string };
    if (!months.has(c.createdAt.slice(0, 7))) continue;
    const lines = out.get(c.accountId) ?? [];
    lines.push(line);
    out.set(c.accountId, lines);
  }
  return out;
}

interface Row {
  accountId: string;
  vertical: string;
  conversations: number;
  ceiling: number;
  estimate: number | null;
  low: number | null;
  high: number | null;
  pipeline: number | null;
  othersMean: number;
  verticalMean: number | null;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const mae = (rows: readonly Row[], guess: (r: Row) => number | null) => {
  const errs = rows.flatMap((r) => {
    const g = guess(r);
    return g === null ? [] : [Math.abs(g - r.ceiling)];
  });
  return { mae: mean(errs), n: errs.length };
};
const bias = (rows: readonly Row[], guess: (r: Row) => number | null) =>
  mean(rows.flatMap((r) => (guess(r) === null ? [] : [guess(r)! - r.ceiling])));

async function main(): Promise<number> {
  let values: { input?: string; db?: string; months?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: 'string' },
        db: { type: 'string' },
        months: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`eval:estimate: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.input || !values.db) {
    console.error(USAGE);
    return 2;
  }
  const dir = fromCaller(values.input);
  const dbPath = fromCaller(values.db);
  const nMonths = Number(values.months ?? 3);
  if (!Number.isInteger(nMonths) || nMonths < 1) {
    console.error(`eval:estimate: --months must be a whole number of months\n${USAGE}`);
    return 2;
  }
  if (!existsSync(join(dir, 'truth.json'))) {
    console.error(
      `eval:estimate: ${join(dir, 'truth.json')} not found: a demo bundle (npm run demo) has one`,
    );
    return 2;
  }
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  const db = openServingDb(dbPath);
  const rows = peerLeafRows(db);
  db.close();
  const built = readBuiltFigures(dbPath);
  const months = new Set(truth.months.slice(-nMonths));
  const exports = await exportsByAccount(dir, months);

  const results: Row[] = [];
  for (const account of built.accounts) {
    const t = truth.accounts[account.id];
    const lines = exports.get(account.id);
    if (!t || !lines?.length) continue;
    const potentialOf = (a: (typeof built.accounts)[number]) => a.automationPotential;
    const others = built.accounts.filter((a) => a.id !== account.id && potentialOf(a) !== null);
    const sameVertical = others.filter((a) => a.vertical === account.vertical);
    const result = await estimateProspect(
      (async function* () {
        yield `${lines.join('\n')}\n`;
      })(),
      peersWithout(rows, account.id),
      { vertical: account.vertical, name: account.id },
    );
    results.push({
      accountId: account.id,
      vertical: account.vertical,
      conversations: lines.length,
      ceiling: t.ceiling,
      estimate: result.potential,
      low: result.potentialLow,
      high: result.potentialHigh,
      pipeline: account.automationPotential,
      othersMean: mean(others.map((a) => potentialOf(a)!)),
      verticalMean: sameVertical.length ? mean(sameVertical.map((a) => potentialOf(a)!)) : null,
    });
  }
  const ranged = results.filter((r) => r.low !== null && r.high !== null);
  const summary = {
    accounts: results.length,
    months: [...months],
    estimate: { ...mae(results, (r) => r.estimate), bias: bias(results, (r) => r.estimate) },
    rangeCovers: mean(ranged.map((r) => (r.low! <= r.ceiling && r.ceiling <= r.high! ? 1 : 0))),
    rangeWidth: mean(ranged.map((r) => r.high! - r.low!)),
    othersMean: mae(results, (r) => r.othersMean),
    verticalMean: mae(results, (r) => r.verticalMean),
    pipeline: { ...mae(results, (r) => r.pipeline), bias: bias(results, (r) => r.pipeline) },
    // what Sales says against what the CSM will see once the prospect is a customer
    estimateVsPipeline: mean(
      results.flatMap((r) => (r.estimate === null || r.pipeline === null ? [] : [r.estimate - r.pipeline])),
    ),
    byVertical: [...new Set(results.map((r) => r.vertical))].sort().map((vertical) => {
      const rs = results.filter((r) => r.vertical === vertical);
      return {
        vertical,
        accounts: rs.length,
        estimate: mae(rs, (r) => r.estimate).mae,
        verticalMean: mae(rs, (r) => r.verticalMean).mae,
      };
    }),
    worst: [...results]
      .filter((r) => r.estimate !== null)
      .sort((a, b) => Math.abs(b.estimate! - b.ceiling) - Math.abs(a.estimate! - a.ceiling))
      .slice(0, 5),
  };
  if (values.json) {
    console.log(JSON.stringify({ ...summary, results }, null, 2));
    return 0;
  }
  const pts = (x: number) => `${(x * 100).toFixed(1)} pts`;
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  console.log(
    `Estimates of ${summary.accounts} accounts' own exports (${summary.months.join(', ')}), each against peers without it, vs the true ceiling:`,
  );
  console.log(
    `  estimate                            MAE ${pts(summary.estimate.mae)} (bias ${pts(summary.estimate.bias)}, n ${summary.estimate.n}); its range holds the true ceiling for ${pct(summary.rangeCovers)} (mean width ${pts(summary.rangeWidth)})`,
  );
  console.log(
    `  other customers' mean potential     MAE ${pts(summary.othersMean.mae)} (one number for every account)`,
  );
  console.log(
    `  the vertical's mean potential       MAE ${pts(summary.verticalMean.mae)} (n ${summary.verticalMean.n})`,
  );
  console.log(
    `  pipeline potential (as a customer)  MAE ${pts(summary.pipeline.mae)} (bias ${pts(summary.pipeline.bias)}; the same accounts as customers, from their AI outcomes)`,
  );
  console.log(
    `  estimate − the same account's pipeline potential: ${pts(summary.estimateVsPipeline)} on average (what Sales says against what the account page will say)`,
  );
  console.log("  by vertical (estimate / the vertical's mean potential):");
  for (const v of summary.byVertical)
    console.log(
      `    ${v.vertical.padEnd(12)} ${String(v.accounts).padStart(3)} accounts  ${pts(v.estimate)} / ${pts(v.verticalMean)}`,
    );
  console.log('  largest misses:');
  for (const r of summary.worst)
    console.log(
      `    ${r.accountId.padEnd(24)} estimate ${pct(r.estimate)} [${pct(r.low)}–${pct(r.high)}], true ${pct(r.ceiling)}, ${r.conversations.toLocaleString('en-US')} conversations`,
    );
  return 0;
}

process.exitCode = await main();
