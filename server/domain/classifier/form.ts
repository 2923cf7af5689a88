/**
 * The form of a message, as two or three marker tokens beside its words. The automation class often
 * hangs on the form rather than the topic: "do you charge for cash withdrawals" (a general question:
 * informational) and "you charged me for a cash withdrawal" (an event on the customer's record:
 * personalized) share every content word once stop words are dropped and "charged" is stemmed.
 * So the words that open the message ("do you", "is there", "can i", "why was") and whether it tells
 * of something that already happened (a past form: "charged", "sent", "paid") become features of
 * their own, learnt from the training text like any word. They are tokens starting with `FORM_MARK`
 * that get no character grams, no word vector and no synonym.
 */
import { englishOf, words } from '../text.ts';

export const FORM_MARK = '§';

/** Words that open a question or a request: the opening pair is a marker ("§do_you"). */
const OPENERS: ReadonlySet<string> = new Set(
  (
    'is are am was were do does did can could will would should shall may might have has had ' +
    'how what whats when where wheres why which who any i my we our you your pls please need want'
  ).split(' '),
);
/** The second word of an opening pair, when it is one of these; otherwise `*` (a content word). */
const PAIR_SECONDS: ReadonlySet<string> = new Set(
  (
    'you u i we my our your me the a an there it this that someone anyone people they he she to not ' +
    'was were is am are have has had do did dont cant can want need would will much long many'
  ).split(' '),
);
/** Greetings and courtesy words before the message proper ("hi team, do you …"). */
const LEADING: ReadonlySet<string> = new Set(
  'hi hello hey hiya dear team sir madam ok okay so um uh hmm oh yes yeah good morning afternoon evening kindly guys folks'.split(
    ' ',
  ),
);
const PAST_IRREGULAR: ReadonlySet<string> = new Set(
  (
    'paid sent got made bought took withdrew gave came went lost sold told said left stole stolen ' +
    'saw did was were had been didnt wasnt werent hasnt havent hadnt gone taken given done ' +
    'received arrived charged deducted'
  ).split(' '),
);
/** Words in -ed that are not past forms. */
const NOT_PAST: ReadonlySet<string> = new Set(
  'need speed feed seed bed red shed embed hundred indeed proceed exceed succeed breed bleed greed weed'.split(
    ' ',
  ),
);

export function isPastForm(word: string): boolean {
  return PAST_IRREGULAR.has(word) || (word.length >= 5 && word.endsWith('ed') && !NOT_PAST.has(word));
}

/**
 * Reads a message's words one at a time and names its form markers. One instance per message
 * (`reset` between messages); the runtime feeds it the words it scans, training the same words.
 */
export class FormReader {
  private first: string | null = null;
  private second: string | null = null;
  private seen = 0;
  private afterGreeting = false;
  past = false;

  reset(): void {
    this.first = null;
    this.second = null;
    this.seen = 0;
    this.afterGreeting = false;
    this.past = false;
  }

  /** One word, as `englishOf` reads it, and whether it is a past form (the runtime memoises both). */
  add(word: string, past: boolean): void {
    if (word.length === 0) return;
    if (past) this.past = true;
    if (this.seen >= 2) return;
    if (this.seen === 0) {
      if (LEADING.has(word) || (word === 'there' && this.afterGreeting)) {
        this.afterGreeting = true;
        return;
      }
      this.first = word;
    } else {
      this.second = word;
    }
    this.seen++;
  }

  /** The opening marker: `§do_you`, `§can_*`, or `§-` when the message does not open with a question or request word. */
  opening(): string | null {
    if (this.first === null) return null;
    if (!OPENERS.has(this.first)) return `${FORM_MARK}-`;
    const second = this.second === null ? '' : PAIR_SECONDS.has(this.second) ? this.second : '*';
    return `${FORM_MARK}${this.first}_${second}`;
  }
}

export const PAST_MARK = `${FORM_MARK}past`;

/** The tokens a text is scored on: its opening marker, its word tokens, and the past marker. */
export function withForm(text: string, tokens: readonly string[]): string[] {
  if (tokens.length === 0) return [];
  const reader = new FormReader();
  for (const raw of words(text)) {
    const word = englishOf(raw);
    reader.add(word, isPastForm(word));
  }
  const opening = reader.opening();
  const out = opening === null ? [...tokens] : [opening, ...tokens];
  if (reader.past) out.push(PAST_MARK);
  return out;
}
