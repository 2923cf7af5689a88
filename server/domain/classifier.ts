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
import { extractFeatures, FeatureBuffer, IntTable, MAX_TOKENS, unigramKey } from './classifier/features.ts';
import { FormReader, isPastForm, PAST_MARK } from './classifier/form.ts';
import { isForeignFunctionWord } from './classifier/languages.ts';
import { type ClassifierModel, deserializeModel } from './classifier/model.ts';
import { SpellingIndex } from './classifier/spelling.ts';
import { classOf, FALLBACK_LEAF_ID, isNonRequest } from './taxonomy.ts';
import { englishOf, scanWords, tokenOf } from './text.ts';
import { AUTOMATION_CLASSES, type AutomationClass, type Classification } from './types.ts';

export interface Classifier {
  classify(text: string): Classification;
}

/**
 * The classifier with its answers remembered by text: support traffic asks the same thing in the
 * same words again and again ("where is my order", "hi", "talk to agent"), and a text always gets
 * the same classification. Up to `maxEntries` texts of at most `maxChars` (longer ones, e-mails
 * whose openings rarely repeat, are classified each time); when full it starts again empty
 * (bounded memory, no bookkeeping per hit). Each answer is a copy, so no caller can change another's.
 */
export function rememberingClassifier(
  inner: Classifier,
  maxEntries = 1 << 14,
  maxChars = 160,
): Classifier & { hits: number } {
  let known = new Map<string, Classification>();
  const out = {
    hits: 0,
    classify(text: string): Classification {
      if (text.length > maxChars) return inner.classify(text);
      const seen = known.get(text);
      if (seen) {
        out.hits++;
        return { ...seen };
      }
      const c = inner.classify(text);
      if (known.size >= maxEntries) known = new Map();
      // a copy of the key: the text is often a slice of a long message, which it would keep alive
      known.set(Buffer.from(text, 'utf8').toString('utf8'), { ...c });
      return c;
    },
  };
  return out;
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

/** e^(−k·ln2/64) for k = 0 … 64·44: the softmax's exponents (≥ −30) stay inside the table. */
const EXP_STEPS = Float64Array.from({ length: 64 * 44 + 1 }, (_, k) => 2 ** (-k / 64));

/**
 * e^x for x ≤ 0, to within a few units in the last place of Math.exp: x = −k·ln2/64 + r with
 * |r| ≤ ln2/128, e^r by a degree-5 polynomial, times e^(−k·ln2/64) from a table. Plain arithmetic
 * instead of a call into the runtime: the softmax takes one per leaf, and Math.exp was half its time.
 */
export function expNonPositive(x: number): number {
  if (x < -30) return Math.exp(x);
  const k = Math.round(x * -92.33248261689366); // 64 / ln2
  // ln2/64 as a 21-bit head plus the rest, so k·head (k < 2^12) is exact
  const r = x + k * 0.010830417275428772 + k * 7.420820373486988e-9;
  const r2 = r * r;
  const p = 1 + r + r2 * (0.5 + r * (1 / 6)) + r2 * r2 * (1 / 24 + r * (1 / 120));
  return p * EXP_STEPS[k]!;
}

/** What the model makes of one word as written; a word's reading never changes, so it is memoised. */
interface WordReading {
  /** The word as written (lower case). */
  word: string;
  /** Row of the word's stem in the word-vector scores, −1 when it has none. */
  vectorRow: number;
  /** The token the word's features are built from: its stem, or the known word an unknown stem is read as. */
  token: string;
  /** `unigramKey(token)`. */
  key: number;
  /** The word as the form reader takes it (`englishOf`), and whether it is a past form. */
  english: string;
  past: boolean;
  /** A word of a language the model reads: an English stop word or common word, a word (or slip of one) of the training text, or Hindi-English. */
  readable: boolean;
}

const PAST_KEY = unigramKey(PAST_MARK);

/** Fewer words than this say too little to tell a language ("ok merci"). */
const UNREADABLE_MIN_WORDS = 3;
/** Below this share of words read, a text is in a language the model does not read. */
const UNREADABLE_SHARE = 0.5;

const LETTER = /\p{L}/u;

/** At least 4 letters, most of them outside the Latin script the tokenizer reads. */
function mostlyOtherScript(text: string): boolean {
  let latin = 0;
  let other = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)) latin++;
    else if (c > 0x24f && LETTER.test(ch)) other++;
  }
  return other >= 4 && other > latin;
}

/** A stop word or a one-letter word: no token at all. */
const NO_TOKEN_KEY = 0;
/** Distinct words remembered; past this the memo starts again (a bound for hostile input). */
const READING_MEMO_LIMIT = 100_000;

export class LinearClassifier implements Classifier {
  private readonly table: IntTable;
  /** Memo of word readings: the word's hash (`scanWords`) → its index in `readingList`. */
  private readonly readingIndex = new IntTable(1024);
  private readingList: WordReading[] = [];
  private readonly onWord = (word: string, hash: number): void => this.addWord(word, hash);
  private readonly tokens: string[] = [];
  private readonly form = new FormReader();
  /** words of two letters or more in the text being scored, and those of a language the model reads */
  private wordsSeen = 0;
  private wordsRead = 0;
  /** `unigramKey` of the opening markers met so far (a few hundred in practice). */
  private readonly openingKeys = new Map<string, number>();
  private readonly keys = new Int32Array(MAX_TOKENS);
  private readonly buf = new FeatureBuffer();
  private readonly work: Float64Array;
  private readonly classLogits = new Float64Array(4);
  private readonly classMass = new Float64Array(4);
  private readonly classBest = new Int32Array(4);
  private readonly decision = new Float64Array(4);
  private readonly vecScores = new Float64Array(4);
  private vecHits = 0;
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
    // A text in a language the model does not read gets no topic: whatever leaf its few known
    // words pointed to is a guess, so it goes to the fallback leaf with no confidence, marked.
    if (this.lastTextUnreadable(text))
      return {
        taxonomyId: FALLBACK_LEAF_ID,
        automationClass: classOf(FALLBACK_LEAF_ID),
        confidence: 0,
        unreadable: true,
      };
    return { taxonomyId: r.taxonomyId, automationClass: r.automationClass, confidence: r.confidence };
  }

  /**
   * Whether the text last scored (`text`) was mostly words of no language the model reads: at
   * least UNREADABLE_MIN_WORDS words and fewer than UNREADABLE_SHARE of them read (`readable`), or
   * written mostly in another script (Cyrillic, Arabic, Devanagari, CJK…), whose words the scan
   * does not see at all.
   */
  private lastTextUnreadable(text: string): boolean {
    if (this.wordsSeen >= UNREADABLE_MIN_WORDS) return this.wordsRead < UNREADABLE_SHARE * this.wordsSeen;
    return mostlyOtherScript(text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text);
  }

  /** Raw logits (before temperature and softmax); null when the text carries nothing known. */
  logits(text: string): Float64Array | null {
    return this.computeLogits(text) === 'ok' ? this.work.slice() : null;
  }

  /** Fills `this.work` with the logits; says why not when the text is empty or unreadable. */
  private computeLogits(text: string): 'empty' | 'gibberish' | 'ok' {
    // A request is stated in its first lines; the cap bounds the work on pasted walls of text.
    const head = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
    const { buf, model, tokens, table } = this;
    // slot 0 is kept for the opening marker, known once the first words are read
    tokens.length = 0;
    tokens.push('');
    this.vecScores.fill(0);
    this.vecHits = 0;
    this.form.reset();
    this.wordsSeen = 0;
    this.wordsRead = 0;
    if (head.length > 0) scanWords(head, this.onWord);
    if (tokens.length === 1) return 'empty';
    this.addFormMarkers();
    extractFeatures(tokens, model.features, buf, this.common, this.keys);

    let norm = 0;
    for (let i = 0; i < buf.count; i++) norm += buf.weights[i]! * buf.weights[i]!;
    const inv = 1 / Math.sqrt(norm);
    const logits = this.work;
    logits.set(this.bias);
    const cls = this.classLogits;
    for (let k = 0; k < 4; k++) cls[k] = model.classBias[k]!;
    const classWeights = model.classWeights;
    const { vecScores, vecHits } = this;
    if (vecHits > 0) for (let k = 0; k < 4; k++) cls[k]! += vecScores[k]! / vecHits;
    let wordHits = 0;
    let charHits = 0;
    let charTotal = 0;
    const { postStart, postLeaf, postWeight } = model;
    for (let i = 0; i < buf.count; i++) {
      const kind = buf.isWord[i]!;
      if (kind === 0) charTotal++;
      const f = table.get(buf.keys[i]!);
      if (f < 0) continue;
      if (kind === 1) wordHits++;
      else if (kind === 0) charHits++;
      const x = buf.weights[i]! * inv;
      const cw = f * 4;
      for (let k = 0; k < 4; k++) cls[k]! += x * classWeights[cw + k]!;
      const end = postStart[f + 1]!;
      for (let p = postStart[f]!; p < end; p++) logits[postLeaf[p]!]! += x * postWeight[p]!;
    }
    // No known word and few known character grams: gibberish.
    return wordHits === 0 && (charTotal === 0 || charHits < 0.5 * charTotal) ? 'gibberish' : 'ok';
  }

  /** The form markers around the tokens, as `withForm` puts them in training. */
  private addFormMarkers(): void {
    const { tokens, keys } = this;
    const opening = this.form.opening();
    if (opening !== null) {
      tokens[0] = opening;
      let key = this.openingKeys.get(opening);
      if (key === undefined) {
        key = unigramKey(opening);
        if (this.openingKeys.size < READING_MEMO_LIMIT) this.openingKeys.set(opening, key);
      }
      keys[0] = key;
    } else {
      // only greetings before the words ("good morning, …"): no opening marker
      tokens.shift();
      keys.copyWithin(0, 1);
    }
    if (this.form.past) {
      // past the token cap it is not read, as in training (extractFeatures stops at MAX_TOKENS)
      if (tokens.length < MAX_TOKENS) keys[tokens.length] = PAST_KEY;
      tokens.push(PAST_MARK);
    }
  }

  /** Adds one word of the text being scored: its token, key and word-vector scores. */
  private addWord(word: string, hash: number): void {
    const known = this.readingList[this.readingIndex.get(hash || 1)];
    const reading = known !== undefined && known.word === word ? known : this.read(word, hash);
    this.form.add(reading.english, reading.past);
    if (word.length >= 2) {
      this.wordsSeen++;
      if (reading.readable) this.wordsRead++;
    }
    if (reading.key === NO_TOKEN_KEY) return;
    const { tokens } = this;
    if (reading.vectorRow >= 0) {
      // The class model's reading of the words' meaning: the mean of their stems' scores.
      this.vecHits++;
      const row = reading.vectorRow * 4;
      const { stemClassScores } = this.model;
      for (let k = 0; k < 4; k++) this.vecScores[k]! += stemClassScores[row + k]!;
    }
    if (tokens.length < MAX_TOKENS) this.keys[tokens.length] = reading.key;
    tokens.push(reading.token);
  }

  /**
   * What a word as written is read as: nothing (a stop word, key NO_TOKEN_KEY), else its stem, the
   * stem's word-vector row, and — when the training data never used the stem — the nearest word it
   * did use, or the common word it is one slip away from. Remembered by the word's hash.
   */
  private read(word: string, hash: number): WordReading {
    const english = englishOf(word);
    const past = isPastForm(english);
    // a stop word (or a dropped Hindi particle) is a word of a language the model reads
    let reading: WordReading = {
      word,
      vectorRow: -1,
      token: '',
      key: NO_TOKEN_KEY,
      english,
      past,
      readable: true,
    };
    const stemmed = tokenOf(word);
    if (stemmed !== null) {
      let token = stemmed;
      if (this.table.get(unigramKey(stemmed)) < 0) {
        token = this.synonyms.get(stemmed) ?? this.spelling.correct(stemmed) ?? stemmed;
      }
      const vectorRow = this.vectorIndex.get(stemmed) ?? -1;
      const key = unigramKey(token);
      reading = {
        word,
        vectorRow,
        token,
        key,
        english,
        past,
        readable: (english !== word || this.table.get(key) >= 0) && !isForeignFunctionWord(word),
      };
    } else if (isForeignFunctionWord(word)) reading = { ...reading, readable: false };
    // Hostile input can bring any number of distinct words: the memo starts again past its bound.
    if (this.readingList.length >= READING_MEMO_LIMIT) {
      this.readingList = [];
      this.readingIndex.clear();
    }
    // Two words with one hash: the later one takes the slot (the other is read again when met).
    this.readingIndex.set(hash || 1, this.readingList.length);
    this.readingList.push(reading);
    return reading;
  }

  /** Text with nothing to read: the fallback leaf, reported with (almost) no confidence. */
  private fallback(confidence: number): ScoredClassification {
    // The calibrated probability that "nothing here" is right can be high all the same.
    return {
      taxonomyId: FALLBACK_LEAF_ID,
      automationClass: classOf(FALLBACK_LEAF_ID),
      confidence,
      classProbabilities: EMPTY_CLASS_PROBS,
      unknown: true,
      probability: this.model.unknownProbability,
    };
  }

  score(text: string): ScoredClassification {
    if (this.model.leaves.length === 0) return this.fallback(0);
    const status = this.computeLogits(text);
    if (status === 'empty') return this.fallback(0);
    if (status === 'gibberish') return this.fallback(0.05);
    const { model, leafClass } = this;
    const logits = this.work;
    const nLeaves = logits.length;
    const invT = 1 / model.temperature;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < nLeaves; c++) if (logits[c]! > max) max = logits[c]!;
    // One pass: the softmax's numerators, each class's mass and each class's most probable leaf.
    const classMass = this.classMass;
    const classBest = this.classBest;
    classMass.fill(0);
    classBest.fill(-1);
    let z = 0;
    for (let c = 0; c < nLeaves; c++) {
      const d = (logits[c]! - max) * invT;
      // e^-30 is far below the rounding of any reported probability: skip the exp.
      const e = d < -30 ? 0 : expNonPositive(d);
      const k = leafClass[c]!;
      const top = classBest[k]!;
      if (top < 0 || logits[c]! > logits[top]!) classBest[k] = c;
      classMass[k]! += e;
      z += e;
    }
    for (let k = 0; k < 4; k++) classMass[k]! /= z;
    // Class: summed leaf probabilities, optionally blended with the class-level model.
    const blend = model.classBlend;
    const decision = this.decision;
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
    const best = classBest[bestClass]!;
    const d = (logits[best]! - max) * invT;
    const p = (d < -30 ? 0 : expNonPositive(d)) / z;
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

/**
 * How conversations are read before the model sees them (`assignLeaf`, `customerText`): part of the
 * fingerprint, so a change there relabels the demo database like a new model file does.
 * 2: e-mail replies read as the customer's own words, long openings read sentence by sentence.
 * 3: a help desk's topic alias decides only the group; stricter e-mail reading.
 * 4: exact topics include path aliases and ids; Patterns split the unrealized volume by lever.
 * 5: function words of German, Dutch, Spanish, French, Italian and Portuguese are not read words.
 */
const TEXT_READING_VERSION = 5;

/** A short fingerprint of a model file and of the text reading: which classifier labelled a database's conversations. */
export function modelFileId(file = MODEL_PATH): string {
  return createHash('sha256')
    .update(readFileSync(file))
    .update(`reading ${TEXT_READING_VERSION}`)
    .digest('hex')
    .slice(0, 12);
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
