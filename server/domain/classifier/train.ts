/**
 * Trains the taxonomy classifier: multinomial logistic regression over the hashed sparse
 * features of `features.ts`, fitted by AdaGrad with L2 regularisation on a seeded example order
 * (so a rebuild is bit-for-bit identical), pruned to the weights that matter, then calibrated by
 * temperature scaling on a separate split. Discriminative training replaced naive Bayes because
 * it weighs a word by how well it separates leaves, not by how often it occurs (docs/classifier.md).
 */
import { LinearClassifier } from '../classifier.ts';
import { seededRandom } from '../stats.ts';
import { classOf, isNonRequest } from '../taxonomy.ts';
import { tokenize } from '../text.ts';
import { AUTOMATION_CLASSES } from '../types.ts';
import {
  DEFAULT_FEATURES,
  extractFeatures,
  FeatureBuffer,
  type FeatureOptions,
  IntTable,
  meanVector,
  unigramKey,
  type WordVectors,
} from './features.ts';
import { withForm } from './form.ts';
import type { ClassifierModel } from './model.ts';
import { spellingWords } from './spelling.ts';

const NO_VECTORS: WordVectors = { dims: 0, scale: 1, stems: [], data: new Int8Array(0) };

export interface TrainingExample {
  text: string;
  taxonomyId: string;
  /** Relative weight of this example (default 1). */
  weight?: number;
}

export interface TrainOptions {
  features: FeatureOptions;
  epochs: number;
  learningRate: number;
  l2: number;
  /** Weights with a smaller magnitude are dropped from the shipped model. */
  pruneBelow: number;
  /** At most this many leaf weights per feature (the strongest). */
  maxPostings: number;
  /** Length of the mean word vector beside the unit-length sparse features (0 = not used). */
  vectorWeight: number;
  /** A word in at least this many training texts is "common": scored without character grams. */
  commonWordMin: number;
  /**
   * Words in at least this many training texts are what an unknown word one edit away is read as
   * (spelling.ts); 0 = no spelling fallback.
   */
  spellingMinTexts: number;
  /** 0 = examples count as they come; 1 = every leaf carries the same total weight. */
  balance: number;
  /** Highest abstain threshold tried on the calibration split (0 = never abstain). */
  abstainMax: number;
  /**
   * Share of off-topic text assumed in a support inbox. The calibration split holds far more
   * small talk than real traffic does, so its rows are re-weighted to this share before the
   * other-leaf penalty and the abstain threshold are chosen.
   */
  otherShare: number;
  /** Weights of the class-level model tried on the calibration split (0 = leaf sums alone). */
  classBlends: number[];
  seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  features: DEFAULT_FEATURES,
  epochs: 6,
  learningRate: 0.5,
  l2: 1e-5,
  pruneBelow: 0.25,
  maxPostings: 48,
  commonWordMin: 3,
  spellingMinTexts: 0,
  vectorWeight: 1,
  balance: 0.7,
  abstainMax: 0.5,
  otherShare: 0.05,
  classBlends: [0, 0.5, 1, 2, 4],
  seed: 20261202,
};

interface SparseRow {
  idx: Int32Array;
  val: Float32Array;
  leaf: number;
  weight: number;
}

function vectorize(
  text: string,
  opts: FeatureOptions,
  buf: FeatureBuffer,
  index: (key: number) => number,
  common: Set<number>,
): { idx: Int32Array; val: Float32Array } {
  extractFeatures(withForm(text, tokenize(text)), opts, buf, common);
  let norm = 0;
  for (let i = 0; i < buf.count; i++) norm += buf.weights[i]! * buf.weights[i]!;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  // Repeated features add up, as they do when scoring.
  const acc = new Map<number, number>();
  for (let i = 0; i < buf.count; i++) {
    const f = index(buf.keys[i]!);
    if (f >= 0) acc.set(f, (acc.get(f) ?? 0) + buf.weights[i]! * inv);
  }
  const idx = Int32Array.from(acc.keys());
  const val = Float32Array.from(acc.values());
  return { idx, val };
}

/** Each stem's contribution to the class logits: its vector (scaled as meanVector does) · W. */
function stemScores(vectors: WordVectors, W: Float32Array, weight: number): Float32Array {
  const D = vectors.dims;
  const out = new Float32Array(vectors.stems.length * 4);
  for (let r = 0; r < vectors.stems.length; r++) {
    for (let k = 0; k < 4; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += vectors.data[r * D + d]! * W[d * 4 + k]!;
      out[r * 4 + k] = (s * weight) / vectors.scale;
    }
  }
  return out;
}

/** Weighted multinomial logistic regression by AdaGrad over a seeded example order. */
function fitSoftmax(rows: readonly SparseRow[], V: number, C: number, opts: TrainOptions) {
  const W = new Float32Array(V * C);
  const G = new Float32Array(V * C);
  const b = new Float64Array(C);
  const Gb = new Float64Array(C);
  const logits = new Float64Array(C);
  const grad = new Float64Array(C);
  const rand = seededRandom(opts.seed);
  const order = rows.map((_, i) => i);
  const { learningRate: lr, l2 } = opts;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const r of order) {
      const row = rows[r]!;
      if (row.idx.length === 0) continue;
      logits.set(b);
      for (let k = 0; k < row.idx.length; k++) {
        const base = row.idx[k]! * C;
        const x = row.val[k]!;
        for (let c = 0; c < C; c++) logits[c]! += x * W[base + c]!;
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < C; c++) if (logits[c]! > max) max = logits[c]!;
      let z = 0;
      for (let c = 0; c < C; c++) {
        logits[c] = Math.exp(logits[c]! - max);
        z += logits[c]!;
      }
      for (let c = 0; c < C; c++) grad[c] = (logits[c]! / z - (c === row.leaf ? 1 : 0)) * row.weight;
      for (let c = 0; c < C; c++) {
        const g = grad[c]!;
        Gb[c]! += g * g;
        b[c]! -= (lr * g) / Math.sqrt(Gb[c]! + 1e-8);
      }
      for (let k = 0; k < row.idx.length; k++) {
        const base = row.idx[k]! * C;
        const x = row.val[k]!;
        for (let c = 0; c < C; c++) {
          const w = W[base + c]!;
          const g = grad[c]! * x + l2 * w;
          if (g === 0) continue;
          const acc = G[base + c]! + g * g;
          G[base + c] = acc;
          W[base + c] = w - (lr * g) / Math.sqrt(acc + 1e-8);
        }
      }
    }
  }
  return { W, b };
}

/** Leaf order of the model: first appearance in the training examples. */
function leafOrder(examples: readonly TrainingExample[]): string[] {
  const seen = new Set<string>();
  for (const ex of examples) seen.add(ex.taxonomyId);
  return [...seen];
}

export interface TrainResult {
  model: ClassifierModel;
  /** Negative log-likelihood on the calibration split before / after temperature scaling. */
  calibration: ReturnType<typeof calibrate>;
}

/**
 * Trains, prunes and calibrates. `calibration` examples are never trained on; without them the
 * temperature stays 1 and nothing abstains.
 */
export function trainModel(
  examples: readonly TrainingExample[],
  calibration: readonly TrainingExample[] = [],
  options: Partial<TrainOptions> = {},
  synonyms: Record<string, string> = {},
  vectors: WordVectors = NO_VECTORS,
): TrainResult {
  const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const leaves = leafOrder(examples);
  const leafIndex = new Map(leaves.map((id, i) => [id, i]));
  const C = leaves.length;
  const buf = new FeatureBuffer();

  // Feature index over the training text.
  const table = new IntTable(1 << 16);
  const keys: number[] = [];
  const indexOrAdd = (key: number): number => {
    let f = table.get(key);
    if (f < 0) {
      f = keys.length;
      table.set(key, f);
      keys.push(key);
    }
    return f;
  };
  const leafMass = new Float64Array(C);
  for (const ex of examples) leafMass[leafIndex.get(ex.taxonomyId)!]! += ex.weight ?? 1;
  const meanMass = leafMass.reduce((a, b) => a + b, 0) / C;
  // Words seen in at least `commonWordMin` training texts go without character grams.
  const wordCounts = new Map<number, number>();
  const tokenLists = examples.map((ex) => withForm(ex.text, tokenize(ex.text)));
  for (const tokens of tokenLists) {
    for (const tok of new Set(tokens)) {
      const key = unigramKey(tok);
      wordCounts.set(key, (wordCounts.get(key) ?? 0) + 1);
    }
  }
  const common = new Set<number>();
  for (const [key, n] of wordCounts) if (n >= opts.commonWordMin) common.add(key);
  const rows: SparseRow[] = examples.map((ex) => {
    const leaf = leafIndex.get(ex.taxonomyId)!;
    const { idx, val } = vectorize(ex.text, opts.features, buf, indexOrAdd, common);
    return { idx, val, leaf, weight: (ex.weight ?? 1) * (meanMass / leafMass[leaf]!) ** opts.balance };
  });
  const V = keys.length;

  const { W, b } = fitSoftmax(rows, V, C, opts);
  // The class-level model: the same rows, with the same weights, labelled with their leaf's
  // automation class. It learns what makes a request an action or a lookup across leaves and
  // domains ("cancel", "my … status"), which no single leaf sees enough of.
  const leafClass = leaves.map((id) => AUTOMATION_CLASSES.indexOf(classOf(id)));
  // The class model also reads the text's mean word vector, as features V .. V + dims − 1.
  const dims = vectors.dims;
  const vectorIndex = new Map(vectors.stems.map((st, i) => [st, i]));
  const mean = new Float64Array(dims);
  const classRows = rows.map((row, i) => {
    const label = leafClass[row.leaf]!;
    if (opts.vectorWeight <= 0 || dims === 0) return { ...row, leaf: label };
    if (!meanVector(tokenize(examples[i]!.text), vectors, vectorIndex, opts.vectorWeight, mean)) {
      return { ...row, leaf: label };
    }
    const idx = new Int32Array(row.idx.length + dims);
    const val = new Float32Array(row.val.length + dims);
    idx.set(row.idx);
    val.set(row.val);
    for (let d = 0; d < dims; d++) {
      idx[row.idx.length + d] = V + d;
      val[row.val.length + d] = mean[d]!;
    }
    return { idx, val, leaf: label, weight: row.weight };
  });
  const classFit = fitSoftmax(classRows, V + dims, 4, { ...opts, seed: opts.seed + 1 });

  // Prune. A softmax does not change when one feature's weights all move by the same amount, so
  // each feature is first centred on its median weight: the many near-equal "not this leaf"
  // weights become ~0 and only the weights that separate leaves survive the threshold.
  const featureKeys: number[] = [];
  const postStart: number[] = [];
  const postLeaf: number[] = [];
  const postWeight: number[] = [];
  const classWeights: number[] = [];
  const column = new Float64Array(C);
  for (let f = 0; f < V; f++) {
    for (let c = 0; c < C; c++) column[c] = W[f * C + c]!;
    column.sort();
    const median = C % 2 ? column[(C - 1) / 2]! : (column[C / 2 - 1]! + column[C / 2]!) / 2;
    const start = postLeaf.length;
    // The strongest `maxPostings` weights above the threshold, in leaf order: a bound on the work
    // one feature costs at scoring time.
    const kept: number[] = [];
    for (let c = 0; c < C; c++) if (Math.abs(W[f * C + c]! - median) >= opts.pruneBelow) kept.push(c);
    if (kept.length > opts.maxPostings) {
      kept.sort((a, b) => Math.abs(W[f * C + b]! - median) - Math.abs(W[f * C + a]! - median) || a - b);
      kept.length = opts.maxPostings;
      kept.sort((a, b) => a - b);
    }
    for (const c of kept) {
      postLeaf.push(c);
      postWeight.push(W[f * C + c]! - median);
    }
    if (postLeaf.length > start) {
      featureKeys.push(keys[f]!);
      postStart.push(start);
      for (let k = 0; k < 4; k++) classWeights.push(classFit.W[f * 4 + k]!);
    }
  }
  postStart.push(postLeaf.length);
  // Weights are kept on an int16 grid (the file stores them so), before calibration sees them.
  let maxWeight = 0;
  for (const w of postWeight) maxWeight = Math.max(maxWeight, Math.abs(w));
  const weightStep = maxWeight > 0 ? maxWeight / 32767 : 1;

  const model: ClassifierModel = {
    features: opts.features,
    leaves,
    featureKeys: Int32Array.from(featureKeys),
    commonWords: Int32Array.from([...common].sort((a, b) => a - b)),
    postStart: Int32Array.from(postStart),
    postLeaf: Uint16Array.from(postLeaf),
    postWeight: Float32Array.from(postWeight, (w) => Math.round(w / weightStep) * weightStep),
    weightStep,
    bias: Float32Array.from(b),
    classWeights: Float32Array.from(classWeights),
    classBias: Float32Array.from(classFit.b),
    vectorStems: opts.vectorWeight > 0 ? vectors.stems : [],
    stemClassScores:
      opts.vectorWeight > 0
        ? stemScores(vectors, classFit.W.subarray(V * 4), opts.vectorWeight)
        : new Float32Array(0),
    classBlend: 0,
    temperature: 1,
    abstainBelow: 0,
    calibrationMap: { x: [], y: [] },
    unknownProbability: 0,
    synonyms,
    spellingWords: opts.spellingMinTexts > 0 ? spellingWords(tokenLists, opts.spellingMinTexts) : [],
    info: {
      trainingExamples: examples.length,
      leaves: C,
      featuresSeen: V,
      featuresKept: featureKeys.length,
      postings: postLeaf.length,
      options: { ...opts, features: undefined },
    },
  };
  const calib = calibrate(model, calibration, opts);
  model.temperature = calib.temperature;
  model.abstainBelow = calib.abstainBelow;
  model.classBlend = calib.classBlend ?? 0;
  for (let c = 0; c < C; c++) if (isOther(leaves[c]!)) model.bias[c]! -= calib.otherPenalty;
  const isotonic = fitIsotonic(model, calibration);
  model.calibrationMap = isotonic.map;
  model.unknownProbability = isotonic.unknownProbability;
  model.info.calibration = calib;
  return { model, calibration: calib };
}

const isOther = isNonRequest;

/**
 * Temperature scaling (one parameter, fitted by minimising the calibration split's negative
 * log-likelihood of the gold leaf), then the abstain threshold that maximises leaf accuracy with
 * the two non-request leaves counted as one answer.
 */
function calibrate(model: ClassifierModel, calibration: readonly TrainingExample[], opts: TrainOptions) {
  const usable = calibration.filter((ex) => model.leaves.includes(ex.taxonomyId));
  if (usable.length === 0) {
    return {
      n: 0,
      temperature: 1,
      nllBefore: Number.NaN,
      nllAfter: Number.NaN,
      abstainBelow: 0,
      otherPenalty: 0,
      weightedAccuracy: Number.NaN,
    };
  }
  const raw = new LinearClassifier({ ...model, temperature: 1, abstainBelow: 0 });
  const leafIndex = new Map(model.leaves.map((id, i) => [id, i]));
  const items = usable
    .map((ex) => ({
      logits: raw.logits(ex.text),
      gold: leafIndex.get(ex.taxonomyId)!,
      weight: ex.weight ?? 1,
    }))
    .filter((it): it is { logits: Float64Array; gold: number; weight: number } => it.logits !== null);
  const totalWeight = items.reduce((a, it) => a + it.weight, 0);
  const nll = (T: number): number => {
    let s = 0;
    for (const { logits, gold, weight } of items) {
      let max = Number.NEGATIVE_INFINITY;
      for (const l of logits) if (l > max) max = l;
      let z = 0;
      for (const l of logits) z += Math.exp((l - max) / T);
      s -= weight * ((logits[gold]! - max) / T - Math.log(z));
    }
    return s / totalWeight;
  };
  // Golden-section search on log T in [log 0.1, log 10].
  let lo = Math.log(0.1);
  let hi = Math.log(10);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const a = hi - phi * (hi - lo);
    const c = lo + phi * (hi - lo);
    if (nll(Math.exp(a)) < nll(Math.exp(c))) hi = c;
    else lo = a;
  }
  const temperature = Math.round(Math.exp((lo + hi) / 2) * 1e4) / 1e4;

  // Class blend, other-leaf penalty and abstain threshold: the combination that maximises
  // accuracy (the right class for a support request, "other" for off-topic text) on the
  // calibration split re-weighted to `otherShare` off-topic.
  let massOther = 0;
  let massSupport = 0;
  for (const ex of usable) {
    if (isOther(ex.taxonomyId)) massOther += ex.weight ?? 1;
    else massSupport += ex.weight ?? 1;
  }
  const rowWeight = (ex: TrainingExample) =>
    (ex.weight ?? 1) *
    (isOther(ex.taxonomyId)
      ? massOther
        ? opts.otherShare / massOther
        : 0
      : massSupport
        ? (1 - opts.otherShare) / massSupport
        : 0);
  // Weighted accuracy of every combination; penalties step by 0.25 from 0 to 3, thresholds by 0.05.
  const PENALTY_STEPS = 13;
  const thresholds: number[] = [];
  for (let k = 0; k * 0.05 <= opts.abstainMax + 1e-9; k++) thresholds.push(Math.round(k * 5) / 100);
  const grid = opts.classBlends.map(() =>
    Array.from({ length: PENALTY_STEPS }, () => new Float64Array(thresholds.length)),
  );
  opts.classBlends.forEach((blend, bi) => {
    for (let step = 0; step < PENALTY_STEPS; step++) {
      const penalty = step * 0.25;
      const bias = Float32Array.from(model.bias, (b, c) => (isOther(model.leaves[c]!) ? b - penalty : b));
      const calibrated = new LinearClassifier({
        ...model,
        bias,
        temperature,
        abstainBelow: 0,
        classBlend: blend,
      });
      const scored = usable.map((ex) => ({
        r: calibrated.score(ex.text),
        gold: ex.taxonomyId,
        w: rowWeight(ex),
      }));
      thresholds.forEach((theta, k) => {
        let accuracy = 0;
        for (const { r, gold, w } of scored) {
          const predicted = r.probability < theta ? 'other.greeting' : r.taxonomyId;
          // What the numbers downstream need: off-topic recognised as such, and a support request
          // given its automation class.
          const right = isOther(gold)
            ? isOther(predicted)
            : !isOther(predicted) && classOf(predicted) === classOf(gold);
          if (right) accuracy += w;
        }
        grid[bi]![step]![k] = accuracy;
      });
    }
  });
  // The objective is flat in the penalty (within a few tenths of a point over a wide range), so
  // its single best step moved with small changes of data. Each step is judged with its neighbours
  // (the mean over penalty ± 0.25): the choice lands in the middle of a good range, not on a spike.
  let abstainBelow = 0;
  let otherPenalty = 0;
  let classBlend = 0;
  let bestAccuracy = -1;
  let bestSmoothed = -1;
  opts.classBlends.forEach((blend, bi) => {
    for (let step = 0; step < PENALTY_STEPS; step++)
      thresholds.forEach((theta, k) => {
        let sum = 0;
        let n = 0;
        for (let d = -1; d <= 1; d++) {
          const row = grid[bi]![step + d];
          if (row === undefined) continue;
          sum += row[k]!;
          n++;
        }
        const smoothed = sum / n;
        // Strictly better only: ties keep the smaller penalty and threshold.
        if (smoothed > bestSmoothed + 1e-9) {
          bestSmoothed = smoothed;
          bestAccuracy = grid[bi]![step]![k]!;
          abstainBelow = theta;
          otherPenalty = step * 0.25;
          classBlend = blend;
        }
      });
  });
  return {
    n: items.length,
    temperature,
    nllBefore: Math.round(nll(1) * 1e4) / 1e4,
    nllAfter: Math.round(nll(temperature) * 1e4) / 1e4,
    abstainBelow,
    otherPenalty,
    classBlend,
    weightedAccuracy: Math.round(bestAccuracy * 1e4) / 1e4,
  };
}

const MIN_BLOCKS = 25;

/**
 * Isotonic regression (pool-adjacent-violators, weighted) of "the leaf is right" on the
 * temperature-scaled probability, over the calibration split with the final settings. Returned
 * as knots for linear interpolation; monotone, so it never reorders confidences.
 */
function fitIsotonic(
  model: ClassifierModel,
  calibration: readonly TrainingExample[],
): { map: { x: number[]; y: number[] }; unknownProbability: number } {
  const clf = new LinearClassifier({ ...model, calibrationMap: { x: [], y: [] } });
  const points: { p: number; y: number; w: number }[] = [];
  // Texts with nothing the model knows go to the fallback leaf: how often that is right.
  let unknownMass = 0;
  let unknownRight = 0;
  for (const ex of calibration) {
    const r = clf.score(ex.text);
    if (r.unknown) {
      unknownMass += ex.weight ?? 1;
      if (isOther(ex.taxonomyId)) unknownRight += ex.weight ?? 1;
      continue;
    }
    const right = r.taxonomyId === ex.taxonomyId || (isOther(r.taxonomyId) && isOther(ex.taxonomyId));
    points.push({ p: r.probability, y: right ? 1 : 0, w: ex.weight ?? 1 });
  }
  const unknownProbability = unknownMass > 0 ? Math.round((unknownRight / unknownMass) * 1000) / 1000 : 0;
  if (points.length === 0) return { map: { x: [], y: [] }, unknownProbability };
  points.sort((a, b) => a.p - b.p || a.y - b.y);
  const blocks: { p: number; y: number; w: number }[] = [];
  for (const pt of points) {
    blocks.push({ p: pt.p * pt.w, y: pt.y * pt.w, w: pt.w });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const prev = blocks[blocks.length - 2]!;
      if (prev.y / prev.w < last.y / last.w) break;
      blocks.pop();
      prev.p += last.p;
      prev.y += last.y;
      prev.w += last.w;
    }
  }
  // Small blocks are noise: merge each with its neighbour until every knot stands for at least
  // 1/MIN_BLOCKS of the mass (merging neighbours keeps the map monotone).
  const total = blocks.reduce((a, b) => a + b.w, 0);
  const merged: typeof blocks = [];
  for (const b of blocks) {
    const last = merged[merged.length - 1];
    if (last && last.w < total / MIN_BLOCKS) {
      last.p += b.p;
      last.y += b.y;
      last.w += b.w;
    } else merged.push({ ...b });
  }
  const tail = merged[merged.length - 1];
  if (merged.length > 1 && tail && tail.w < total / MIN_BLOCKS) {
    const prev = merged[merged.length - 2]!;
    prev.p += tail.p;
    prev.y += tail.y;
    prev.w += tail.w;
    merged.pop();
  }
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  return {
    map: { x: merged.map((b) => r4(b.p / b.w)), y: merged.map((b) => r4(b.y / b.w)) },
    unknownProbability,
  };
}

/** Trains a classifier in memory (tests, cross-validation); the shipped one is loaded from file. */
export function trainClassifier(
  examples: readonly TrainingExample[],
  options: Partial<TrainOptions> = {},
  calibration: readonly TrainingExample[] = [],
): LinearClassifier {
  return new LinearClassifier(trainModel(examples, calibration, options).model);
}
