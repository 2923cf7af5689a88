/**
 * Offline taxonomy classifier (runtime): scores a text against the shipped model file, a pruned
 * multinomial logistic regression over hashed word, bigram and character-trigram features
 * (`classifier/`). Nothing is trained at start-up and nothing is downloaded: the model is
 * `data/model/classifier.bin`, rebuilt by `npm run train:classifier` (docs/classifier.md).
 *
 * The automation class is decided by summing the leaf probabilities of each class (four close
 * "refund" leaves split their mass, their class should not), then the leaf is the most probable
 * one of that class. Confidence is the leaf's probability after temperature scaling and an
 * isotonic map fitted on a calibration split (docs/classifier.md).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractFeatures, FeatureBuffer, IntTable, unigramKey } from './classifier/features.ts';
import { type ClassifierModel, deserializeModel } from './classifier/model.ts';
import { SpellingIndex } from './classifier/spelling.ts';
import { classOf, FALLBACK_LEAF_ID, isNonRequest } from './taxonomy.ts';
import { tokenize } from './text.ts';
import { AUTOMATION_CLASSES, type AutomationClass, type Classification } from './types.ts';

export interface Classifier {
  classify(text: string): Classification;
}

/** A classification with the whole distribution behind it (evaluation, calibration). */
export interface ScoredClassification extends Classification {
  /** Probability of each automation class (sums of its leaves' probabilities). */
  classProbabilities: Record<AutomationClass, number>;
  /** True when the text carried nothing the model knows (empty, greetings only, gibberish). */
  unknown: boolean;
  /** Calibrated probability that the leaf is right (`confidence` caps it for the non-request leaves). */
  probability: number;
}

/**
 * A non-request leaf (greeting, small talk) is a non-answer ("no support request the taxonomy knows"), so however sure the model
 * is that a text is small talk, the conversation never reads as a confident classification.
 */
export const OTHER_CONFIDENCE_CAP = 0.2;

/** Characters of a text that are read (conversationText already hands over at most 320). */
export const MAX_TEXT_CHARS = 2000;

/** Piecewise-linear, monotone map from a temperature-scaled probability to a calibrated one. */
export function applyCalibration(map: { x: number[]; y: number[] }, p: number): number {
  const { x, y } = map;
  const n = x.length;
  if (n === 0) return p;
  if (p <= x[0]!) return y[0]!;
  if (p >= x[n - 1]!) return y[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const t = (p - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}

export const MODEL_PATH = fileURLToPath(new URL('../../data/model/classifier.bin', import.meta.url));

const EMPTY_CLASS_PROBS: Record<AutomationClass, number> = {
  informational: 1,
  personalized: 0,
  action: 0,
  human: 0,
};

export class LinearClassifier implements Classifier {
  private readonly table: IntTable;
  private readonly buf = new FeatureBuffer();
  private readonly work: Float64Array;
  private readonly classLogits = new Float64Array(4);
  private readonly vecScores = new Float64Array(4);
  private readonly leafClass: Uint8Array;
  /** The leaf biases as float64: copying between typed arrays of one kind is a memcpy. */
  private readonly bias: Float64Array;
  private readonly synonyms: Map<string, string>;
  private readonly spelling: SpellingIndex;
  private readonly common: IntTable;
  private readonly vectorIndex: Map<string, number>;

  constructor(readonly model: ClassifierModel) {
    this.table = new IntTable(model.featureKeys.length);
    for (let f = 0; f < model.featureKeys.length; f++) this.table.set(model.featureKeys[f]!, f);
    this.work = new Float64Array(model.leaves.length);
    this.leafClass = Uint8Array.from(model.leaves, (id) => AUTOMATION_CLASSES.indexOf(classOf(id)));
    this.bias = Float64Array.from(model.bias);
    this.synonyms = new Map(Object.entries(model.synonyms));
    this.spelling = new SpellingIndex(model.spellingWords, [
      ...model.vectorStems,
      ...Object.keys(model.synonyms),
    ]);
    this.common = new IntTable(model.commonWords.length);
    for (const key of model.commonWords) this.common.set(key, 1);
    this.vectorIndex = new Map(model.vectorStems.map((st, i) => [st, i]));
  }

  classify(text: string): Classification {
    const r = this.score(text);
    return { taxonomyId: r.taxonomyId, automationClass: r.automationClass, confidence: r.confidence };
  }

  /** Raw logits (before temperature and softmax); null when the text carries nothing known. */
  logits(text: string): Float64Array | null {
    return this.computeLogits(text) === 'ok' ? this.work.slice() : null;
  }

  /** Fills `this.work` with the logits; says why not when the text is empty or unreadable. */
  private computeLogits(text: string): 'empty' | 'gibberish' | 'ok' {
    // A request is stated in its first lines; the cap bounds the work on pasted walls of text.
    const head = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
    const tokens = head.length === 0 ? [] : tokenize(head);
    if (tokens.length === 0) return 'empty';
    const { table, synonyms, buf, model } = this;
    // The class model's reading of the words' meaning: the mean of their stems' scores.
    const vecScores = this.vecScores;
    vecScores.fill(0);
    let vecHits = 0;
    if (this.vectorIndex.size > 0) {
      const stemScores = model.stemClassScores;
      for (const tok of tokens) {
        const row = this.vectorIndex.get(tok);
        if (row === undefined) continue;
        vecHits++;
        for (let k = 0; k < 4; k++) vecScores[k]! += stemScores[row * 4 + k]!;
      }
    }
    // A word the training data never used is read as its nearest known word, when there is one,
    // else as the common word it is one slip away from.
    if (synonyms.size > 0 || this.spelling.size > 0) {
      for (let t = 0; t < tokens.length; t++) {
        const tok = tokens[t]!;
        if (table.get(unigramKey(tok)) < 0) {
          const near = synonyms.get(tok) ?? this.spelling.correct(tok);
          if (near !== undefined) tokens[t] = near;
        }
      }
    }
    extractFeatures(tokens, model.features, buf, this.common);

    let norm = 0;
    for (let i = 0; i < buf.count; i++) norm += buf.weights[i]! * buf.weights[i]!;
    const inv = 1 / Math.sqrt(norm);
    const logits = this.work;
    logits.set(this.bias);
    const cls = this.classLogits;
    for (let k = 0; k < 4; k++) cls[k] = model.classBias[k]!;
    const classWeights = model.classWeights;
    if (vecHits > 0) for (let k = 0; k < 4; k++) cls[k]! += vecScores[k]! / vecHits;
    let wordHits = 0;
    let charHits = 0;
    let charTotal = 0;
    const { postStart, postLeaf, postWeight } = model;
    for (let i = 0; i < buf.count; i++) {
      const word = buf.isWord[i] === 1;
      if (!word) charTotal++;
      const f = table.get(buf.keys[i]!);
      if (f < 0) continue;
      if (word) wordHits++;
      else charHits++;
      const x = buf.weights[i]! * inv;
      const cw = f * 4;
      for (let k = 0; k < 4; k++) cls[k]! += x * classWeights[cw + k]!;
      const end = postStart[f + 1]!;
      for (let p = postStart[f]!; p < end; p++) logits[postLeaf[p]!]! += x * postWeight[p]!;
    }
    // No known word and few known character grams: gibberish.
    return wordHits === 0 && (charTotal === 0 || charHits < 0.5 * charTotal) ? 'gibberish' : 'ok';
  }

  score(text: string): ScoredClassification {
    // Nothing to read: the fallback leaf, reported with (almost) no confidence, although the
    // calibrated probability that "nothing here" is right can be high.
    const fallback = (confidence: number): ScoredClassification => ({
      taxonomyId: FALLBACK_LEAF_ID,
      automationClass: classOf(FALLBACK_LEAF_ID),
      confidence,
      classProbabilities: EMPTY_CLASS_PROBS,
      unknown: true,
      probability: this.model.unknownProbability,
    });
    if (this.model.leaves.length === 0) return fallback(0);
    const status = this.computeLogits(text);
    if (status === 'empty') return fallback(0);
    if (status === 'gibberish') return fallback(0.05);
    const { model } = this;
    const logits = this.work;
    const nLeaves = logits.length;
    const invT = 1 / model.temperature;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < nLeaves; c++) if (logits[c]! > max) max = logits[c]!;
    let z = 0;
    for (let c = 0; c < nLeaves; c++) {
      const d = (logits[c]! - max) * invT;
      // e^-30 is far below the rounding of any reported probability: skip the exp.
      const e = d < -30 ? 0 : Math.exp(d);
      logits[c] = e;
      z += e;
    }
    const classMass = [0, 0, 0, 0];
    for (let c = 0; c < nLeaves; c++) {
      logits[c]! /= z;
      classMass[this.leafClass[c]!]! += logits[c]!;
    }
    // Class: summed leaf probabilities, optionally blended with the class-level model.
    const blend = model.classBlend;
    const decision = [0, 0, 0, 0];
    if (blend > 0) {
      const cls = this.classLogits;
      let cmax = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < 4; k++) if (cls[k]! > cmax) cmax = cls[k]!;
      let cz = 0;
      for (let k = 0; k < 4; k++) cz += Math.exp(cls[k]! - cmax);
      const logZ = cmax + Math.log(cz);
      for (let k = 0; k < 4; k++) decision[k] = Math.log(classMass[k]! + 1e-12) + blend * (cls[k]! - logZ);
    } else {
      for (let k = 0; k < 4; k++) decision[k] = classMass[k]!;
    }
    let bestClass = 0;
    for (let k = 1; k < 4; k++) if (decision[k]! > decision[bestClass]!) bestClass = k;
    let best = -1;
    for (let c = 0; c < nLeaves; c++) {
      if (this.leafClass[c] === bestClass && (best < 0 || logits[c]! > logits[best]!)) best = c;
    }
    const p = logits[best]!;
    const classProbabilities = {
      informational: classMass[0]!,
      personalized: classMass[1]!,
      action: classMass[2]!,
      human: classMass[3]!,
    };
    const probability = Math.round(applyCalibration(model.calibrationMap, p) * 1000) / 1000;
    const abstain = p < model.abstainBelow;
    const id = abstain ? FALLBACK_LEAF_ID : model.leaves[best]!;
    return {
      taxonomyId: id,
      automationClass: abstain ? classOf(FALLBACK_LEAF_ID) : AUTOMATION_CLASSES[bestClass]!,
      confidence: isNonRequest(id) ? Math.min(probability, OTHER_CONFIDENCE_CAP) : probability,
      classProbabilities,
      unknown: false,
      probability,
    };
  }
}

/** A short fingerprint of a model file: which classifier labelled a database's conversations. */
export function modelFileId(file = MODEL_PATH): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
}

export function loadModel(file = MODEL_PATH): ClassifierModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(`classifier model ${file} is missing (${reason}); run \`npm run train:classifier\``);
  }
  return deserializeModel(bytes);
}

let memo: LinearClassifier | undefined;

/** The shipped classifier, loaded from `data/model/classifier.bin` once per process. */
export function defaultClassifier(): LinearClassifier {
  memo ??= new LinearClassifier(loadModel());
  return memo;
}
