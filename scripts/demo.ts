/**
 * npm run demo -- [--accounts N] [--months M] [--seed S] [--out DIR] [--force]
 * Writes a deterministic canonical export bundle of demo data (SPEC §2), then builds the database
 * (COCKPIT_DB, default data/cockpit.db) with the pipeline's gates: a smaller world than the database
 * holds is refused unless --force, as for npm run pipeline.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fromCaller } from './cli.ts';
import { DEFAULTS, generateDemoBundle, SPECIAL_IDS } from './demo/generate.ts';
import { buildRefusal, previousBuildSize } from './pipeline/gates.ts';
import { runPipeline } from './pipeline/run.ts';

const USAGE = 'usage: npm run demo -- [--accounts N] [--months M] [--seed S] [--out DIR] [--force]';

interface Args {
  accounts: number;
  months: number;
  seed: number;
  out: string;
  force: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = {
    accounts: DEFAULTS.accounts,
    months: DEFAULTS.months,
    seed: DEFAULTS.seed,
    out: 'data/demo',
    force: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--help' || raw === '-h') return 'help';
    if (raw === '--force') {
      args.force = true;
      continue;
    }
    if (!raw.startsWith('--')) return `unexpected argument "${raw}"`;
    const eq = raw.indexOf('=');
    const flag = eq >= 0 ? raw.slice(0, eq) : raw;
    if (!['--accounts', '--months', '--seed', '--out'].includes(flag)) return `unknown option ${flag}`;
    // the next argument is the value unless it is another option ("--out --force" wrote a folder
    // named --force and dropped the flag)
    const value = eq >= 0 ? raw.slice(eq + 1) : argv[i + 1]?.startsWith('--') ? undefined : argv[++i];
    if (value === undefined || value === '') return `missing value for ${flag}`;
    const int = (name: string, min: number, max: number): number | string => {
      if (!/^-?\d+$/.test(value)) return `${name} must be an integer, got "${value}"`;
      const n = Number(value);
      if (n < min || n > max) return `${name} must be between ${min} and ${max}, got ${n}`;
      return n;
    };
    let r: number | string;
    switch (flag) {
      case '--accounts':
        r = int('--accounts', 1, 100_000);
        if (typeof r === 'string') return r;
        args.accounts = r;
        break;
      case '--months':
        r = int('--months', 1, 60);
        if (typeof r === 'string') return r;
        args.months = r;
        break;
      case '--seed':
        r = int('--seed', 0, 2 ** 32 - 1);
        if (typeof r === 'string') return r;
        args.seed = r;
        break;
      case '--out':
        args.out = fromCaller(value);
        break;
      default:
        return `unknown option ${flag}`;
    }
  }
  return args;
}

async function main() {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  if (typeof parsed === 'string') {
    console.error(`demo: ${parsed}\n${USAGE}`);
    process.exit(2);
  }
  const { accounts, months, seed, out: outDir, force } = parsed;
  console.log(`demo: generating ${accounts} accounts x ${months} months (seed ${seed}) into ${outDir}/`);
  const started = performance.now();
  let lastPct = -1;
  // Written beside the bundle first: a world the database would refuse leaves the bundle as it was
  // (the bundle and the database it built stay a pair).
  mkdirSync(outDir, { recursive: true });
  const staging = join(outDir, `.new-${process.pid}`);
  const db = process.env.COCKPIT_DB ?? 'data/cockpit.db';
  // Ctrl-C while generating: the half-written bundle goes (it was left beside the real one)
  const onSignal = (signal: NodeJS.Signals, code: number) => () => {
    rmSync(staging, { recursive: true, force: true });
    console.error(`demo stopped by ${signal}; ${outDir}/ was not changed`);
    process.exit(code);
  };
  const stopped = [onSignal('SIGINT', 130), onSignal('SIGTERM', 143)] as const;
  process.once('SIGINT', stopped[0]);
  process.once('SIGTERM', stopped[1]);
  try {
    await stageAndMove();
  } finally {
    rmSync(staging, { recursive: true, force: true });
    process.off('SIGINT', stopped[0]);
    process.off('SIGTERM', stopped[1]);
  }
  console.log(`demo: building the serving database ${db}`);
  await runPipeline({ input: outDir, db, force });

  async function stageAndMove() {
    const summary = await generateDemoBundle({
      accounts,
      months,
      seed,
      outDir: staging,
      onProgress: (done, total) => {
        const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
        if (pct >= lastPct + 10 || done === total) {
          lastPct = pct;
          process.stdout.write(
            `  ${String(pct).padStart(3)}%  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} conversations\n`,
          );
        }
      },
    });
    const secs = (performance.now() - started) / 1000;
    console.log(
      `demo: wrote ${summary.accounts} accounts, ${summary.conversations.toLocaleString('en-US')} conversations, ` +
        `${summary.interventions} interventions in ${secs.toFixed(1)} s`,
    );
    const refusal = force
      ? null
      : buildRefusal(previousBuildSize(db), {
          accounts: summary.accounts,
          conversations: summary.conversations,
        });
    if (refusal) {
      throw new Error(
        `refused: ${refusal}; ${db} and ${outDir}/ were not changed (--force builds it anyway)`,
      );
    }
    for (const f of summary.files) {
      renameSync(f, join(outDir, basename(f)));
      console.log(`  ${join(outDir, basename(f))}`);
    }
    if (accounts >= 24)
      console.log(
        `  seed scenarios (latent profiles, truth in truth.json): ${SPECIAL_IDS.A} (climb), ${SPECIAL_IDS.B} (plateau), ${SPECIAL_IDS.C} (catch-up)`,
      );
  }
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
