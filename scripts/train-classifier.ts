/**
 * Rebuilds the shipped classifier model, deterministically, from the data in the repository:
 *
 *   npm run train:classifier                 writes data/model/classifier.bin
 *   npm run train:classifier -- --out FILE   writes elsewhere (evaluation of variants)
 *   npm run train:classifier -- --opt epochs=8,l2=1e-5
 *
 * Data and splits: scripts/classifier/data.ts. Synonyms from word vectors:
 * scripts/classifier/synonyms.ts. Evaluation: npm run eval:classifier.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serializeModel } from '../server/domain/classifier/model.ts';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../server/domain/classifier/train.ts';
import { LinearClassifier, MODEL_PATH } from '../server/domain/classifier.ts';
import { classOf, isNonRequest } from '../server/domain/taxonomy.ts';
import { buildModel } from './classifier/build.ts';
import { DOMAIN_SETS, EVAL_SETS, readLabelledSet } from './classifier/data.ts';
import { scoreClasses } from './classifier/metrics.ts';
import { fromCaller, parseCli } from './cli.ts';

const USAGE =
  'usage: npm run train:classifier -- [--out FILE] [--opt key=value,…] [--no-synonyms] [--no-vectors] [--no-typos]';
// This overwrites the shipped model: anything it does not know (--help, a typo) stops it first.
const parsed = parseCli(USAGE, {
  out: { type: 'string' },
  opt: { type: 'string' },
  'no-synonyms': { type: 'boolean' },
  'no-vectors': { type: 'boolean' },
  'no-typos': { type: 'boolean' },
});
if ('exitCode' in parsed) process.exit(parsed.exitCode);
const { values } = parsed;

/** A setting's value in `--opt`: a plain decimal, optionally signed and with an exponent (1e-5). */
function optNumber(key: string, value: string): number {
  if (/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i.test(value.trim())) return Number(value);
  throw new Error(`--opt: ${key} must be a number, got "${value}"`);
}

export function parseTrainOptions(spec: string | undefined): Partial<TrainOptions> {
  const out: Record<string, unknown> = {};
  const features: Record<string, number> = { ...DEFAULT_TRAIN_OPTIONS.features };
  for (const pair of spec ? spec.split(',') : []) {
    const [k, v] = pair.split('=');
    if (k && v !== undefined && k in features) features[k] = optNumber(k, v);
    else if (k && v !== undefined && k in DEFAULT_TRAIN_OPTIONS && k !== 'features' && k !== 'classBlends') {
      out[k] = optNumber(k, v);
    } else throw new Error(`--opt: unknown setting ${k}`);
  }
  return { ...out, features: features as unknown as TrainOptions['features'] };
}

const out = values.out !== undefined ? fromCaller(values.out) : MODEL_PATH;
let options: Partial<TrainOptions>;
try {
  options = parseTrainOptions(values.opt);
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const t0 = performance.now();
const { model, calibration, data } = buildModel({
  options,
  synonyms: !values['no-synonyms'],
  vectors: !values['no-vectors'],
  typos: !values['no-typos'],
});
const synonyms = model.synonyms;
const bytes = serializeModel(model);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, bytes);
const secs = ((performance.now() - t0) / 1000).toFixed(1);
console.log(
  `classifier: ${data.train.length} training examples, ${model.leaves.length} leaves, ` +
    `${model.featureKeys.length} features, ${model.postLeaf.length} weights, ` +
    `${Object.keys(synonyms).length} synonyms → ${path.relative(process.cwd(), out)} ` +
    `(${(bytes.length / 1e6).toFixed(2)} MB) in ${secs} s`,
);
console.log(
  `calibration: n=${calibration.n}, temperature ${calibration.temperature}, ` +
    `NLL ${calibration.nllBefore} → ${calibration.nllAfter}, abstain below ${calibration.abstainBelow}, ` +
    `other-leaf penalty ${calibration.otherPenalty}, class blend ${calibration.classBlend}`,
);

// Development figures (the calibration split and the development sets, never the held-out sets):
// for choosing settings.
const clf = new LinearClassifier(model);
for (const [name, set] of [
  ['dev (hand-written calibration phrases)', data.poolCalibration] as const,
  ['dev (whole calibration split)', data.calibration] as const,
  ...EVAL_SETS.filter((set) => set.role === 'dev').map(
    (set) => [`dev (${set.file})`, data.evalSets[set.key]] as const,
  ),
]) {
  const support = set.filter((e) => !isNonRequest(e.taxonomyId));
  const results = support.map((e) => clf.classify(e.text));
  const scores = scoreClasses(
    support.map((e) => classOf(e.taxonomyId)),
    results.map((r) => r.automationClass),
  );
  const leaf = results.filter((r, i) => r.taxonomyId === support[i]!.taxonomyId).length / support.length;
  const other = results.filter((r) => isNonRequest(r.taxonomyId)).length / support.length;
  console.log(
    `${name}: n=${support.length} class accuracy ${scores.accuracy} macro-F1 ${scores.macroF1} ` +
      `leaf ${leaf.toFixed(3)} support→other ${other.toFixed(3)}`,
  );
}
// The development set of other domains carries its own class per line (its leaf may be null).
for (const set of DOMAIN_SETS.filter((d) => d.role === 'dev')) {
  const rows = readLabelledSet(set.file).filter((r) => !isNonRequest(r.taxonomyId));
  if (rows.length === 0) continue;
  const scores = scoreClasses(
    rows.map((r) => r.automationClass),
    rows.map((r) => clf.classify(r.text).automationClass),
  );
  console.log(
    `dev (${set.file}): n=${rows.length} class accuracy ${scores.accuracy} macro-F1 ${scores.macroF1}`,
  );
}
