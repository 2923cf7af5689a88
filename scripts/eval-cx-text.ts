/**
 * How much of the demo world's satisfaction latent its words can carry (issue 10 item 5):
 *
 *   npx tsx scripts/eval-cx-text.ts --input DIR
 *
 * Over the rated conversations of a demo bundle (npm run demo), held out by account as the
 * pipeline's calibration does (every account whose id hashes to 0 mod 5), it prints the Spearman
 * with CSAT of
 *  - the shipped CX score (sub-signals, least-squares weights and isotonic curve fitted on the
 *    other accounts: scripts/pipeline/calibrate.ts), and the resolution sub-signal alone;
 *  - a phrase-bank oracle: which of the generator's own phrase banks (scripts/demo/phrases.ts,
 *    typos undone) each customer message after the opener was drawn from, with the outcome, the
 *    reopen and whether a human joined, scored by that combination's mean rating on the other
 *    accounts. The words carry nothing about the latent beyond which bank they came from, so
 *    this estimates the most any lexicon or model could reach on this generator (adding the
 *    longest wait or the account's own mean residual moved it by < 0.005, measured);
 *  - the same oracle, and the shipped method, by fold of accounts (hash mod 5 = 0..4), for their spread.
 * Beside truth.json's csatCeiling (Spearman of the latent itself with the rating) and the bar
 * (90% of it). The oracle uses the generator's phrase lists; the product never does.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { RatedConversation } from '../server/db/build.ts';
import { calibratedCx, combineCx, cxSignals, fitCxCurves } from '../server/domain/cx.ts';
import { hash32, spearman } from '../server/domain/stats.ts';
import type { Conversation } from '../server/domain/types.ts';
import { fromCaller, parseCli } from './cli.ts';
import * as P from './demo/phrases.ts';
import { calibrateRated, fitWeights } from './pipeline/calibrate.ts';

const BANKS: Record<string, readonly string[]> = {
  thanksConfirmed: P.THANKS_CONFIRMED,
  confirmedPlain: P.CONFIRMED_PLAIN,
  okAssumed: P.OK_ASSUMED,
  assumedDoubt: P.ASSUMED_DOUBT,
  assumedWarm: P.ASSUMED_WARM,
  frustrated: P.FRUSTRATED,
  escalateCalm: P.ESCALATE_CALM,
  negative: P.NEGATIVE,
  waiting: P.WAITING,
  afterAgentBad: P.AFTER_AGENT_BAD,
  afterAgentGood: P.AFTER_AGENT_GOOD,
  partingAngry: P.PARTING_ANGRY,
  reopen: P.REOPEN,
  ...Object.fromEntries(P.MOOD_REMARK.map((b, k) => [`mood${k}`, b])),
};
const letters = (t: string) => t.toLowerCase().replace(/[^a-z]/g, '');
// a swapped pair of letters (the generator's typo) keeps the sorted letters
const sorted = (t: string) => letters(t).split('').sort().join('');
const BANK_OF = new Map<string, string>();
for (const [name, bank] of Object.entries(BANKS))
  for (const text of bank) {
    BANK_OF.set(letters(text), name);
    BANK_OF.set(sorted(text), name);
  }
const REPEAT = new RegExp(`^(${P.REPEAT_PREFIX.map((p) => p.trim().replace(/[,:]$/, '')).join('|')})`, 'i');

/** a rated conversation, as the calibration reads it, with the phrase list it came from */
type Row = RatedConversation & { key: string };

function oracleKey(c: Conversation): string {
  const said = c.messages
    .filter((m) => m.role === 'customer')
    .slice(1)
    .map(
      (m) =>
        BANK_OF.get(letters(m.text)) ??
        BANK_OF.get(sorted(m.text)) ??
        (REPEAT.test(m.text) ? 'repeat' : null),
    )
    .filter((b) => b !== null);
  const human = c.messages.some((m) => m.role === 'agent');
  return [c.aiInvolved, c.aiResolutionState, c.reopened === true, human, said.join(',')].join('|');
}

/** Each key's mean rating on the training rows (shrunk towards the mean by 5 ratings), applied to the test rows. */
function oracleSpearman(train: readonly Row[], test: readonly Row[]): number | null {
  const mean = train.reduce((a, r) => a + r.csat, 0) / train.length;
  const sums = new Map<string, [number, number]>();
  for (const r of train) {
    const v = sums.get(r.key) ?? [0, 0];
    v[0] += r.csat;
    v[1]++;
    sums.set(r.key, v);
  }
  const predicted = test.map((r) => {
    const v = sums.get(r.key);
    return v ? (v[0] + 5 * mean) / (v[1] + 5) : mean;
  });
  return spearman(
    predicted,
    test.map((r) => r.csat),
  );
}

async function main(): Promise<number> {
  const parsed = parseCli(
    'usage: npx tsx scripts/eval-cx-text.ts --input DIR (a bundle written by npm run demo)',
    { input: { type: 'string' } },
    ['input'],
  );
  if ('exitCode' in parsed) return parsed.exitCode;
  const input = fromCaller(parsed.values.input!);
  const gz = join(input, 'conversations.jsonl.gz');
  const file = existsSync(gz) ? gz : join(input, 'conversations.jsonl');
  const stream = file.endsWith('.gz') ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  const rows: Row[] = [];
  for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (!line.includes('"csat"')) continue;
    const c = JSON.parse(line) as Conversation;
    if (c.csat == null) continue;
    const s = cxSignals(c);
    rows.push({
      id: c.id,
      accountId: c.accountId,
      csat: c.csat,
      r: s.resolution,
      s: s.sentiment,
      e: s.effort,
      key: oracleKey(c),
    });
  }
  const truthFile = join(input, 'truth.json');
  const ceiling = existsSync(truthFile)
    ? ((JSON.parse(readFileSync(truthFile, 'utf8')) as { csatCeiling?: number | null }).csatCeiling ?? null)
    : null;
  const fold = (k: number) => ({
    train: rows.filter((r) => hash32(r.accountId) % 5 !== k),
    test: rows.filter((r) => hash32(r.accountId) % 5 === k),
  });
  const { train, test } = fold(0);
  const cal = calibrateRated(rows);
  const shipped = spearman(
    test.map((r) => calibratedCx(r.r, r.s, r.e, cal.weights, cal.curves)),
    test.map((r) => r.csat),
  );
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  const share = (v: number | null) =>
    v === null || !ceiling ? '' : ` (${((v / ceiling) * 100).toFixed(1)}% of the ceiling)`;
  console.log(`rated conversations: ${rows.length}, held out (accounts hashing to 0 mod 5): ${test.length}`);
  console.log(
    `csatCeiling (latent vs rating): ${f(ceiling)}; bar (90%): ${ceiling ? (0.9 * ceiling).toFixed(3) : '—'}`,
  );
  console.log(
    `resolution sub-signal alone:     ${f(cal.spearmanResolution)}${share(cal.spearmanResolution)}`,
  );
  console.log(`shipped CX score:                ${f(shipped)}${share(shipped)}`);
  const oracle = oracleSpearman(train, test);
  console.log(`phrase-bank oracle (upper bound): ${f(oracle)}${share(oracle)}`);
  const folds = [0, 1, 2, 3, 4].map((k) => {
    const s = fold(k);
    return `${k}: ${f(oracleSpearman(s.train, s.test))} (n=${s.test.length})`;
  });
  console.log(`oracle by fold of accounts:      ${folds.join(', ')}`);
  // the shipped method fitted on the other folds, by fold
  const shippedFolds = [0, 1, 2, 3, 4].map((k) => {
    const s = fold(k);
    const w = fitWeights(s.train);
    const curves = fitCxCurves(s.train);
    if (!w || !curves) return `${k}: —`;
    const sp = (score: (r: Row) => number) =>
      f(
        spearman(
          s.test.map(score),
          s.test.map((r) => r.csat),
        ),
      );
    return `${k}: ${sp((r) => calibratedCx(r.r, r.s, r.e, w, curves))} (linear ${sp((r) => combineCx(r.r, r.s, r.e, w))})`;
  });
  console.log(`shipped CX score by fold:        ${shippedFolds.join(', ')}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`eval-cx-text: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
