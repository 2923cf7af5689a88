/**
 * The shipped classifier model: a pruned multinomial logistic regression over hashed sparse
 * features, stored as a small binary file (`data/model/classifier.bin`) that `npm run
 * train:classifier` rebuilds deterministically. Layout: 8-byte magic, uint32 header length, a JSON
 * header, then the typed arrays back to back (4-byte arrays first, so every array is aligned).
 */
import type { FeatureOptions } from './features.ts';

export interface ClassifierModel {
  features: FeatureOptions;
  /** Leaf ids; a leaf's index is its column in the weights. */
  leaves: string[];
  /** Hash key of each feature; the index is the feature id. */
  featureKeys: Int32Array;
  /** Unigram keys of the words scored without character grams (sorted). */
  commonWords: Int32Array;
  /** Postings of feature f are postLeaf/postWeight[postStart[f] .. postStart[f + 1]). */
  postStart: Int32Array;
  postLeaf: Uint16Array;
  /** Leaf weights, each a multiple of `weightStep` (stored as int16). */
  postWeight: Float32Array;
  weightStep: number;
  bias: Float32Array;
  /** Class-level model: 4 weights per feature (AUTOMATION_CLASSES order) and 4 biases. */
  classWeights: Float32Array;
  classBias: Float32Array;
  /**
   * What each stem's word vector adds to the class-level logits (4 per stem, in `vectorStems`
   * order): the class model reads the mean word vector of a text linearly, so the mean of these
   * per-stem scores is exactly its contribution, and the vectors need not ship.
   */
  vectorStems: string[];
  stemClassScores: Float32Array;
  /** Weight of the class-level model's log-probability beside the summed leaf probabilities. */
  classBlend: number;
  /** Logits are divided by this before the softmax (fitted on a calibration split). */
  temperature: number;
  /** Isotonic map from the temperature-scaled probability to the calibrated one (knots). */
  calibrationMap: { x: number[]; y: number[] };
  /** How often the fallback leaf is right for text with nothing the model knows (calibrated). */
  unknownProbability: number;
  /** When the winning leaf's calibrated probability is below this, the text is "unclear". */
  abstainBelow: number;
  /** Words the training data never used → the nearest word it did use (from word vectors). */
  synonyms: Record<string, string>;
  /** Words an unknown word one edit away is read as, most frequent first (spelling.ts). */
  spellingWords: string[];
  /** How it was trained: data sizes, settings, calibration figures. */
  info: Record<string, unknown>;
}

const MAGIC = 'CKPCLF08';

type Header = Omit<
  ClassifierModel,
  | 'featureKeys'
  | 'commonWords'
  | 'postStart'
  | 'postLeaf'
  | 'postWeight'
  | 'bias'
  | 'classWeights'
  | 'classBias'
  | 'stemClassScores'
> & {
  counts: { features: number; commonWords: number; postings: number; leaves: number };
};

export function serializeModel(m: ClassifierModel): Buffer {
  const header: Header = {
    features: m.features,
    leaves: m.leaves,
    classBlend: m.classBlend,
    vectorStems: m.vectorStems,
    temperature: m.temperature,
    abstainBelow: m.abstainBelow,
    weightStep: m.weightStep,
    calibrationMap: m.calibrationMap,
    unknownProbability: m.unknownProbability,
    synonyms: m.synonyms,
    spellingWords: m.spellingWords,
    info: m.info,
    counts: {
      features: m.featureKeys.length,
      commonWords: m.commonWords.length,
      postings: m.postLeaf.length,
      leaves: m.leaves.length,
    },
  };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + json.length) % 4)) % 4;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const arrays = [
    m.featureKeys,
    m.commonWords,
    m.postStart,
    m.bias,
    m.classWeights,
    m.classBias,
    m.stemClassScores,
    m.postLeaf,
    Int16Array.from(m.postWeight, (w) => Math.round(w / m.weightStep)),
  ];
  return Buffer.concat([
    Buffer.from(MAGIC, 'latin1'),
    len,
    json,
    ...arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
  ]);
}

export function deserializeModel(buf: Uint8Array): ClassifierModel {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('latin1', 0, 8) !== MAGIC) {
    throw new Error('not a Cockpit classifier model file (run `npm run train:classifier`)');
  }
  const headerLength = b.readUInt32LE(8);
  const header = JSON.parse(b.toString('utf8', 12, 12 + headerLength)) as Header;
  const { features, commonWords: nCommon, postings, leaves } = header.counts;
  let offset = 12 + headerLength;
  // Copy into fresh buffers so every view is aligned whatever the source buffer's offset.
  const take = (bytes: number): ArrayBuffer => {
    if (offset + bytes > b.length) throw new Error('classifier model file is truncated');
    const out = new ArrayBuffer(bytes);
    new Uint8Array(out).set(b.subarray(offset, offset + bytes));
    offset += bytes;
    return out;
  };
  const featureKeys = new Int32Array(take(features * 4));
  const commonWords = new Int32Array(take(nCommon * 4));
  const postStart = new Int32Array(take((features + 1) * 4));
  const bias = new Float32Array(take(leaves * 4));
  const classWeights = new Float32Array(take(features * 4 * 4));
  const classBias = new Float32Array(take(4 * 4));
  const stemClassScores = new Float32Array(take(header.vectorStems.length * 4 * 4));
  const postLeaf = new Uint16Array(take(postings * 2));
  const quantised = new Int16Array(take(postings * 2));
  const postWeight = new Float32Array(postings);
  for (let i = 0; i < postings; i++) postWeight[i] = quantised[i]! * header.weightStep;
  const { counts: _counts, ...rest } = header;
  return {
    ...rest,
    stemClassScores,
    featureKeys,
    commonWords,
    postStart,
    postWeight,
    bias,
    classWeights,
    classBias,
    postLeaf,
  };
}
