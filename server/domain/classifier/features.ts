/**
 * Sparse features of a text for the taxonomy classifier, shared by training and scoring so the
 * two can never drift: stemmed word unigrams, adjacent-word bigrams and boundary-marked character
 * trigrams inside each word (typos and unseen inflections still match: "subscriptoin",
 * "cancellling"). Features are 32-bit hashes; no substrings are built.
 */

export interface FeatureOptions {
  /** Weight of a word unigram occurrence. */
  unigramWeight: number;
  /** Weight of an adjacent-word bigram occurrence. */
  bigramWeight: number;
  /** Weight of each character trigram occurrence. */
  charWeight: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { unigramWeight: 1, bigramWeight: 0.7, charWeight: 0.2 };

/** Most tokens considered per text (texts are short; this only bounds pathological input). */
export const MAX_TOKENS = 96;
/** A longer "word" is noise (a pasted hash, a key held down): it yields no feature. */
export const MAX_WORD_LENGTH = 30;
export const MAX_FEATURES = MAX_TOKENS * 24;

/** '§', the first character of a form marker token (form.ts). */
const FORM_MARK_CODE = 167;

const KIND_UNIGRAM = 0x9e3779b1;
const KIND_BIGRAM = 0x85ebca77;
const KIND_CHAR = 0xc2b2ae3d;

function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0 || 1;
}

/** The hash of a word unigram feature (also how the model tells a known word from an unknown one). */
export function unigramKey(token: string): number {
  return hashString(token, KIND_UNIGRAM);
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ KIND_BIGRAM, 0x27d4eb2d) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) | 0 || 1;
}

/** Reusable feature buffers: one extraction at a time (classification is synchronous). */
export class FeatureBuffer {
  readonly keys = new Int32Array(MAX_FEATURES);
  readonly weights = new Float32Array(MAX_FEATURES);
  /** 1 for word features (unigram, bigram), 0 for character grams, 2 for a form marker (not a word read). */
  readonly isWord = new Uint8Array(MAX_FEATURES);
  count = 0;
}

function push(buf: FeatureBuffer, key: number, weight: number, isWord: number): void {
  if (buf.count >= MAX_FEATURES || weight <= 0) return;
  buf.keys[buf.count] = key === 0 ? 1 : key;
  buf.weights[buf.count] = weight;
  buf.isWord[buf.count] = isWord;
  buf.count++;
}

/**
 * Fills `buf` with the features of already-tokenized text. Character grams are only made for
 * words outside `common` (the words the training text uses often): for those the word itself
 * says everything, and skipping their grams is most of the scoring time saved.
 */
export function extractFeatures(
  tokens: readonly string[],
  opts: FeatureOptions,
  buf: FeatureBuffer,
  common?: { has(key: number): boolean },
  /** `unigramKey` of each token when the caller already has them (the runtime memoises them). */
  keys?: Int32Array,
): void {
  buf.count = 0;
  const n = Math.min(tokens.length, MAX_TOKENS);
  let prev = 0;
  for (let t = 0; t < n; t++) {
    const tok = tokens[t]!;
    if (tok.length > MAX_WORD_LENGTH) continue;
    const h = keys === undefined ? unigramKey(tok) : keys[t]!;
    // A form marker (form.ts) pairs with the word after it, never with the one before, and has no grams.
    const marker = tok.charCodeAt(0) === FORM_MARK_CODE;
    push(buf, h, opts.unigramWeight, marker ? 2 : 1);
    if (t > 0 && !marker) push(buf, mix(prev, h), opts.bigramWeight, 1);
    prev = h;
    if (opts.charWeight > 0 && tok.length >= 3 && !marker && !common?.has(h)) {
      const len = tok.length;
      for (let i = -1; i + 2 <= len; i++) {
        const c0 = i < 0 ? 94 : tok.charCodeAt(i);
        const c1 = tok.charCodeAt(i + 1);
        const c2 = i + 2 < len ? tok.charCodeAt(i + 2) : 36;
        let g = (KIND_CHAR ^ Math.imul(c0, 0x1f1f1f1f)) | 0;
        g = Math.imul(g ^ c1, 0x01000193);
        g = Math.imul(g ^ c2, 0x01000193);
        push(buf, g ^ (g >>> 16), opts.charWeight, 0);
      }
    }
  }
}

/**
 * Open-addressing hash table: int32 key (never 0) → int32 value (−1 when absent). Keys and values
 * sit side by side, so a lookup touches one cache line (the model's tables outgrow the caches).
 */
export class IntTable {
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  has(key: number): boolean {
    return this.get(key) >= 0;
  }

  get(key: number): number {
    const slots = this.slots;
    let i = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= this.mask;
      const k = slots[i * 2]!;
      if (k === key) return slots[i * 2 + 1]!;
      if (k === 0) return -1;
      i++;
    }
  }

  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    let i = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= this.mask;
      const k = this.slots[i * 2]!;
      if (k === key) {
        this.slots[i * 2 + 1] = value;
        return;
      }
      if (k === 0) {
        this.slots[i * 2] = key;
        this.slots[i * 2 + 1] = value;
        this.size++;
        return;
      }
      i++;
    }
  }

  clear(): void {
    this.slots.fill(0);
    this.size = 0;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0) this.set(old[i]!, old[i + 1]!);
    }
  }
}

/** Word vectors by stem: int8 rows of `dims`, `scale` = the value of 1.0. */
export interface WordVectors {
  dims: number;
  scale: number;
  stems: string[];
  data: Int8Array;
}

/**
 * The mean of the vectors of the tokens that have one (in units where `scale` = 1), times
 * `weight`, into `out`; false (and `out` zeroed) when no token has a vector. A plain mean, not a
 * unit vector, so that its effect on a linear model is the mean of per-word effects: the shipped
 * model stores those per stem (four numbers) instead of the vectors.
 */
export function meanVector(
  tokens: readonly string[],
  vectors: WordVectors,
  index: ReadonlyMap<string, number>,
  weight: number,
  out: Float64Array,
): boolean {
  out.fill(0);
  const D = vectors.dims;
  let hits = 0;
  for (const tok of tokens) {
    const row = index.get(tok);
    if (row === undefined) continue;
    hits++;
    const base = row * D;
    for (let d = 0; d < D; d++) out[d]! += vectors.data[base + d]!;
  }
  if (hits === 0) return false;
  const f = weight / (hits * vectors.scale);
  for (let d = 0; d < D; d++) out[d]! *= f;
  return true;
}
