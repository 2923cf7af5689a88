/**
 * Spelling fallback: a word the model does not know, one edit away (a letter added, dropped or
 * changed, or two neighbours swapped) from a word the training text uses often, is read as that
 * word ("refnud" → refund, "protien" → protein, "subscrption" → subscription). The character grams
 * already give a misspelled rare word partial credit; this gives a misspelled common word its
 * whole weight. Candidates are found through their one-letter deletions (as SymSpell does): two
 * words within one edit share a deletion, or one is a deletion of the other.
 */

/** Words (stems) shorter than this are neither corrected nor corrections: too many neighbours. */
export const MIN_SPELLING_LENGTH = 4;
const MEMO_LIMIT = 50_000;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** True when a and b differ by one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export class SpellingIndex {
  /** a word or one of its deletions → the index of the most frequent word that has it */
  private readonly byKey = new Map<string, number>();
  private readonly memo = new Map<string, string | null>();
  private readonly dictionary: Set<string>;

  private readonly words: readonly string[];

  /**
   * `trainingWords`: the training text's words, most frequent first. `realWords`: words known to be
   * spelled right (the word-vector vocabulary). A real word is never read as another one ("powder"
   * is not a slip of "power"), and a slip is only read as a real word: the training text has its
   * own slips ("wprk"), which gibberish must not be read as.
   */
  constructor(trainingWords: readonly string[], realWords: Iterable<string> = []) {
    this.dictionary = new Set(realWords);
    this.words = this.dictionary.size ? trainingWords.filter((w) => this.dictionary.has(w)) : trainingWords;
    for (const w of trainingWords) this.dictionary.add(w);
    const words = this.words;
    // from the least frequent up, so the most frequent word owns a shared key
    for (let i = words.length - 1; i >= 0; i--) {
      const w = words[i]!;
      if (w.length < MIN_SPELLING_LENGTH) continue;
      this.byKey.set(w, i);
      for (const d of deletions(w)) this.byKey.set(d, i);
    }
  }

  get size(): number {
    return this.words.length;
  }

  /** The word `token` is a slip of, or undefined. */
  correct(token: string): string | undefined {
    if (token.length < MIN_SPELLING_LENGTH || this.byKey.size === 0 || this.dictionary.has(token))
      return undefined;
    const seen = this.memo.get(token);
    if (seen !== undefined) return seen ?? undefined;
    let best = this.byKey.get(token) ?? Number.POSITIVE_INFINITY;
    for (const d of deletions(token)) {
      const i = this.byKey.get(d);
      if (i !== undefined && i < best) best = i;
    }
    const word = best === Number.POSITIVE_INFINITY ? undefined : this.words[best];
    const found = word !== undefined && word !== token && withinOneEdit(word, token) ? word : null;
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(token, found);
    return found ?? undefined;
  }
}

/**
 * The words a model may correct to: stems of at least MIN_SPELLING_LENGTH letters found in at
 * least `minTexts` training texts (a slip in one training copy is not a word), most frequent
 * first, ties in alphabetical order so a rebuild is identical.
 */
export function spellingWords(tokenLists: Iterable<readonly string[]>, minTexts = 3): string[] {
  const df = new Map<string, number>();
  for (const tokens of tokenLists)
    for (const t of new Set(tokens)) if (t.length >= MIN_SPELLING_LENGTH) df.set(t, (df.get(t) ?? 0) + 1);
  return [...df]
    .filter(([, n]) => n >= minTexts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w]) => w);
}
