/**
 * Offline taxonomy classifier: multinomial naive Bayes over hashed features (stemmed word
 * unigrams, adjacent-word bigrams and character trigrams inside words for typo robustness).
 * No model weights are downloaded; the model is trained at start-up from the taxonomy's example
 * phrases (and optionally from conversations whose source topic maps onto a leaf).
 *
 * Speed: features are 32-bit hashes looked up in an open-addressing table; each feature stores
 * only the classes it was seen in (sparse postings), so scoring touches a few hundred numbers.
 * Per-call work allocates only the token strings.
 */
import { classOf, FALLBACK_LEAF_ID, taxonomy } from './taxonomy.ts';
import { tokenize } from './text.ts';
import type { AutomationClass, Classification } from './types.ts';

export interface TrainingExample {
  text: string;
  taxonomyId: string;
  /** Relative weight of this example (default 1). */
  weight?: number;
}

export interface Classifier {
  classify(text: string): Classification;
}

export interface ClassifierOptions {
  /** Additive (Laplace/Lidstone) smoothing per feature. */
  alpha: number;
  /** Weight of a word unigram occurrence. */
  unigramWeight: number;
  /** Weight of an adjacent-word bigram occurrence. */
  bigramWeight: number;
  /** Weight of each character trigram occurrence (a word yields length+0 trigrams). */
  charWeight: number;
  /** Softmax temperature applied to the per-feature-normalised log-likelihood. */
  temperature: number;
  /**
   * Exponent of the inverse-leaf-frequency weight of a feature at scoring time: 0 = plain naive
   * Bayes; 1 = a feature seen in every leaf ("account", "order") counts far less than one that
   * names a single leaf.
   */
  idfPower: number;
}

export const DEFAULT_OPTIONS: ClassifierOptions = {
  alpha: 0.1,
  unigramWeight: 1,
  bigramWeight: 0.6,
  charWeight: 0.15,
  temperature: 0.27,
  idfPower: 0.5,
};

/** Most tokens considered per text (texts are short; this only bounds pathological input). */
const MAX_TOKENS = 96;
const MAX_FEATURES = MAX_TOKENS * 24;

const KIND_UNIGRAM = 0x9e3779b1;
const KIND_BIGRAM = 0x85ebca77;
const KIND_CHAR = 0xc2b2ae3d;

function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ KIND_BIGRAM, 0x27d4eb2d) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) | 0;
}

/** Reusable feature buffers: one extraction at a time (classification is synchronous). */
class FeatureBuffer {
  readonly keys = new Int32Array(MAX_FEATURES);
  readonly weights = new Float32Array(MAX_FEATURES);
  readonly isWord = new Uint8Array(MAX_FEATURES);
  count = 0;
}

function pushFeature(buf: FeatureBuffer, key: number, weight: number, isWord: number): void {
  if (buf.count >= MAX_FEATURES || weight <= 0) return;
  const k = key === 0 ? 1 : key;
  buf.keys[buf.count] = k;
  buf.weights[buf.count] = weight;
  buf.isWord[buf.count] = isWord;
  buf.count++;
}

function extractFeatures(tokens: readonly string[], opts: ClassifierOptions, buf: FeatureBuffer): void {
  buf.count = 0;
  const n = Math.min(tokens.length, MAX_TOKENS);
  let prev = 0;
  for (let t = 0; t < n; t++) {
    const tok = tokens[t]!;
    const h = hashString(tok, KIND_UNIGRAM);
    pushFeature(buf, h, opts.unigramWeight, 1);
    if (t > 0) pushFeature(buf, mix(prev, h), opts.bigramWeight, 1);
    prev = h;
    if (opts.charWeight > 0 && tok.length >= 3) {
      // Trigrams of "^tok$": boundary-marked so prefixes and suffixes count as their own grams.
      const len = tok.length;
      for (let i = -1; i + 2 <= len; i++) {
        const c0 = i < 0 ? 94 : tok.charCodeAt(i);
        const c1 = tok.charCodeAt(i + 1);
        const c2 = i + 2 < len ? tok.charCodeAt(i + 2) : 36;
        let g = (KIND_CHAR ^ Math.imul(c0, 0x1f1f1f1f)) | 0;
        g = Math.imul(g ^ c1, 0x01000193);
        g = Math.imul(g ^ c2, 0x01000193);
        pushFeature(buf, g ^ (g >>> 16), opts.charWeight, 0);
      }
    }
  }
}

/** Open-addressing hash table: int32 key → int32 value (−1 when absent). */
class IntTable {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.keys = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get(key: number): number {
    const keys = this.keys;
    let i = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= this.mask;
      const k = keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === 0) return -1;
      i++;
    }
  }

  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    let i = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= this.mask;
      const k = this.keys[i]!;
      if (k === key) {
        this.values[i] = value;
        return;
      }
      if (k === 0) {
        this.keys[i] = key;
        this.values[i] = value;
        this.size++;
        return;
      }
      i++;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Int32Array(oldKeys.length * 2);
    this.values = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] !== 0) this.set(oldKeys[i]!, oldValues[i]!);
    }
  }
}

class NaiveBayesClassifier implements Classifier {
  private readonly buf = new FeatureBuffer();
  private readonly scores: Float64Array;
  private readonly fallback: Classification;

  constructor(
    private readonly opts: ClassifierOptions,
    private readonly labels: readonly string[],
    private readonly classes: readonly AutomationClass[],
    private readonly table: IntTable,
    /** Postings of feature f are postClass/postWeight[postStart[f] .. postStart[f+1]). */
    private readonly postStart: Int32Array,
    private readonly postClass: Uint16Array,
    private readonly postWeight: Float32Array,
    /** log(alpha / (N_c + alpha·V)): the log-probability of a feature never seen with class c. */
    private readonly base: Float64Array,
    /** Per-feature scoring weight from how many leaves the feature occurs in. */
    private readonly idf: Float32Array,
  ) {
    this.scores = new Float64Array(labels.length);
    this.fallback = {
      taxonomyId: FALLBACK_LEAF_ID,
      automationClass: classOf(FALLBACK_LEAF_ID),
      confidence: 0.05,
    };
  }

  classify(text: string): Classification {
    const nC = this.labels.length;
    if (nC === 0 || text.length === 0) return { ...this.fallback, confidence: 0 };
    const buf = this.buf;
    extractFeatures(tokenize(text), this.opts, buf);
    if (buf.count === 0) return { ...this.fallback, confidence: 0 };

    const scores = this.scores;
    scores.fill(0);
    let mass = 0;
    let wordMass = 0;
    let wordHits = 0;
    let charTotal = 0;
    let charHits = 0;
    const { postStart, postClass, postWeight, table } = this;
    for (let i = 0; i < buf.count; i++) {
      const isWord = buf.isWord[i] === 1;
      if (!isWord) charTotal++;
      const f = table.get(buf.keys[i]!);
      if (f < 0) continue;
      const w = buf.weights[i]! * this.idf[f]!;
      mass += w;
      if (isWord) {
        wordMass += w;
        wordHits++;
      } else charHits++;
      const end = postStart[f + 1]!;
      for (let p = postStart[f]!; p < end; p++) scores[postClass[p]!]! += w * postWeight[p]!;
    }
    // Nothing recognisable: no known word and few known character grams → gibberish.
    if (mass === 0 || (wordHits === 0 && charHits < 0.5 * charTotal)) {
      return { ...this.fallback };
    }

    const base = this.base;
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < nC; c++) {
      const s = scores[c]! + mass * base[c]!;
      scores[c] = s;
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    // Posterior of the top leaf with the log-likelihood normalised per unit of feature mass
    // (naive Bayes is wildly over-confident on correlated features) and a fixed temperature.
    const scale = 1 / (this.opts.temperature * Math.max(1, mass));
    let z = 0;
    for (let c = 0; c < nC; c++) {
      const d = (scores[c]! - bestScore) * scale;
      if (d > -20) z += Math.exp(d); // e^-20 is below the rounding of the reported confidence
    }
    let confidence = 1 / z;
    // Only character grams matched (typos, unknown words): be modest.
    if (wordHits === 0) confidence *= 0.5;
    else if (wordMass < 0.5 * mass) confidence *= 0.8;
    const id = this.labels[best]!;
    return {
      taxonomyId: id,
      automationClass: this.classes[best]!,
      confidence: Math.round(Math.min(1, Math.max(0, confidence)) * 1000) / 1000,
    };
  }
}

/** Trains a naive Bayes classifier on labelled texts. Deterministic for a given input order. */
export function trainClassifier(
  examples: readonly TrainingExample[],
  options: Partial<ClassifierOptions> = {},
): Classifier {
  const opts: ClassifierOptions = { ...DEFAULT_OPTIONS, ...options };
  const labelIndex = new Map<string, number>();
  const labels: string[] = [];
  for (const ex of examples) {
    if (!labelIndex.has(ex.taxonomyId)) {
      labelIndex.set(ex.taxonomyId, labels.length);
      labels.push(ex.taxonomyId);
    }
  }
  const nC = labels.length;
  const table = new IntTable(4096);
  // counts[f] = Map<class, weighted count>, built sparsely.
  const featureCounts: Map<number, number>[] = [];
  const classMass = new Float64Array(nC);
  const buf = new FeatureBuffer();
  for (const ex of examples) {
    const c = labelIndex.get(ex.taxonomyId)!;
    const exWeight = ex.weight ?? 1;
    extractFeatures(tokenize(ex.text), opts, buf);
    for (let i = 0; i < buf.count; i++) {
      const key = buf.keys[i]!;
      let f = table.get(key);
      if (f < 0) {
        f = featureCounts.length;
        table.set(key, f);
        featureCounts.push(new Map());
      }
      const w = buf.weights[i]! * exWeight;
      const m = featureCounts[f]!;
      m.set(c, (m.get(c) ?? 0) + w);
      classMass[c]! += w;
    }
  }
  const V = featureCounts.length;
  const alpha = opts.alpha;
  const base = new Float64Array(nC);
  for (let c = 0; c < nC; c++) base[c] = Math.log(alpha / (classMass[c]! + alpha * Math.max(1, V)));

  let nPost = 0;
  for (const m of featureCounts) nPost += m.size;
  const postStart = new Int32Array(V + 1);
  const postClass = new Uint16Array(nPost);
  const postWeight = new Float32Array(nPost);
  const idf = new Float32Array(V);
  const maxIdf = Math.log(1 + nC);
  let p = 0;
  for (let f = 0; f < V; f++) {
    postStart[f] = p;
    idf[f] = opts.idfPower === 0 ? 1 : (Math.log(1 + nC / featureCounts[f]!.size) / maxIdf) ** opts.idfPower;
    const entries = [...featureCounts[f]!.entries()].sort((a, b) => a[0] - b[0]);
    for (const [c, count] of entries) {
      postClass[p] = c;
      // log((n + α) / (N + αV)) − log(α / (N + αV)) = log(1 + n/α)
      postWeight[p] = Math.log1p(count / alpha);
      p++;
    }
  }
  postStart[V] = p;

  const classes = labels.map((id) => classOf(id));
  return new NaiveBayesClassifier(opts, labels, classes, table, postStart, postClass, postWeight, base, idf);
}

/**
 * Training examples from the taxonomy: every example phrase, plus the leaf label (a short,
 * clean phrasing of the request) at full weight.
 */
export function taxonomyExamples(): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const leaf of taxonomy.leaves) {
    out.push({ text: leaf.label, taxonomyId: leaf.id });
    for (const text of leaf.examples) out.push({ text, taxonomyId: leaf.id });
  }
  return out;
}

let memo: Classifier | undefined;

/** The classifier trained on the taxonomy's examples; trained once per process. */
export function defaultClassifier(): Classifier {
  memo ??= trainClassifier(taxonomyExamples());
  return memo;
}
