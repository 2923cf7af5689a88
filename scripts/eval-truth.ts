/**
 * Recovery of a demo world's hidden truth (issue 10): reads DIR/truth.json (written by
 * `npm run demo`, never read by the pipeline) and the database built from DIR, and reports the
 * potential against the true ceilings, how often the predicted ceiling was passed, the flags'
 * precision and recall per planted state and the CX score against the CSAT ceiling.
 *
 *   npm run eval:truth -- --input DIR --db FILE [--json] [--recompute-flags]
 *
 * --lifts prints the intervention lifts instead (scripts/lifts-eval.ts): per kind the matched-controls
 * lift with its interval and n against the planted effects, the placebos, and the old difference
 * in differences as a baseline.
 *
 * --recompute-flags scores the flags the current server/domain/flags.ts raises on the database's
 * monthly figures beside the ones stored at build time (the baseline), without rebuilding.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readBuiltFigures } from '../server/db/truth-eval.ts';
import { fromCaller } from './cli.ts';
import type { Truth } from './demo/generate.ts';
import { evaluateRecovery, formatRecovery, recomputeFlags } from './demo/recovery.ts';
import { evaluateLifts, formatLifts, readLiftInputs } from './lifts-eval.ts';

/** --lifts: the lifts against the planted effects (issue 10 item 4). */
function printLifts(truth: Truth, db: string, json: boolean | undefined): number {
  const result = evaluateLifts(truth, readLiftInputs(db));
  console.log(json ? JSON.stringify(result, null, 2) : formatLifts(result));
  return 0;
}

const USAGE = 'usage: npm run eval:truth -- --input DIR --db FILE [--json] [--recompute-flags | --lifts]';

function main(): number {
  let values: {
    input?: string;
    db?: string;
    json?: boolean;
    help?: boolean;
    'recompute-flags'?: boolean;
    lifts?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: 'string' },
        db: { type: 'string' },
        json: { type: 'boolean' },
        'recompute-flags': { type: 'boolean' },
        lifts: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`eval:truth: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.input || !values.db) {
    console.error(`eval:truth: --input and --db are required\n${USAGE}`);
    return 2;
  }
  // relative paths are the caller's folder's, as for every other command (npm runs scripts from the project's)
  values.input = fromCaller(values.input);
  values.db = fromCaller(values.db);
  const truthFile = join(values.input, 'truth.json');
  if (!existsSync(truthFile)) {
    console.error(`eval:truth: ${truthFile} not found (only npm run demo writes one)`);
    return 1;
  }
  if (!existsSync(values.db)) {
    console.error(`eval:truth: ${values.db}: database not found (npm run pipeline -- --input DIR --db FILE)`);
    return 1;
  }
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
  if (values.lifts && values['recompute-flags']) {
    console.error(
      `eval:truth: --lifts and --recompute-flags are two different reports: run one at a time\n${USAGE}`,
    );
    return 2;
  }
  const built = readBuiltFigures(values.db);
  // a truth scores only the database built from its own bundle
  const inTruth = new Set(Object.keys(truth.accounts));
  const built_ = new Set(built.accounts.map((a) => a.id));
  const strangers = [...built_].filter((id) => !inTruth.has(id)).length;
  const missing = [...inTruth].filter((id) => !built_.has(id)).length;
  if (strangers > 0 || missing > 0) {
    console.error(
      `eval:truth: ${truthFile} and ${values.db} are not the same world: the database has ${built_.size} customer accounts (${strangers} not in the truth), the truth ${inTruth.size} (${missing} not in the database); build the database from this bundle (npm run pipeline -- --input ${values.input} --db FILE)`,
    );
    return 1;
  }
  if (values.lifts) return printLifts(truth, values.db, values.json);
  const recovery = evaluateRecovery(truth, built);
  if (!values['recompute-flags']) {
    console.log(values.json ? JSON.stringify(recovery, null, 2) : formatRecovery(recovery));
    return 0;
  }
  const flags = recomputeFlags(built);
  const current = evaluateRecovery(truth, built, (id) => flags.get(id));
  if (values.json) console.log(JSON.stringify({ stored: recovery, recomputed: current }, null, 2));
  else
    console.log(
      `${formatRecovery(recovery)}\n\nflags recomputed with the current server/domain/flags.ts:\n${formatRecovery(
        current,
      )
        .split('\n')
        .filter((l) => /precision|near the edges/.test(l))
        .join('\n')}`,
    );
  return 0;
}

process.exitCode = main();
