/**
 * Text normalisation for the offline classifier: lower-casing, stripping ids / numbers / URLs /
 * punctuation, a light suffix stemmer and a small stop-word list. Pure functions, no allocation
 * beyond the returned strings.
 */
import type { Message } from './types.ts';

/**
 * Words that carry no intent. Deliberately small: question words ("how", "where", "when"), "my",
 * "not", "cant" and "dont" stay, because they separate "how do returns work" (informational) from
 * "where is my refund" (personalized). Greetings and courtesy words are dropped, so a bare "hi" or
 * "thanks" normalises to nothing and falls back to the greeting leaf.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'am',
  'was',
  'were',
  'be',
  'been',
  'being',
  'to',
  'of',
  'and',
  'or',
  'in',
  'on',
  'at',
  'for',
  'with',
  'by',
  'from',
  'as',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'i',
  'me',
  'im',
  'ive',
  'id',
  'ill',
  'we',
  'us',
  'you',
  'u',
  'ya',
  'he',
  'she',
  'they',
  'them',
  'please',
  'pls',
  'plz',
  'pleas',
  'hi',
  'hello',
  'hey',
  'hiya',
  'dear',
  'thanks',
  'thank',
  'thx',
  'ty',
  'so',
  'just',
  'do',
  'does',
  'did',
  'there',
  'also',
  'very',
  'really',
  'again',
  'some',
  'would',
  'could',
  'should',
  'shall',
  'will',
  'can',
  'may',
  'might',
  'must',
  'like',
  'ok',
  'okay',
  'um',
  'uh',
  'hmm',
  'oh',
  'yes',
  'no',
  'yeah',
  'yep',
  'sir',
  'madam',
  'team',
  'guys',
  'kindly',
  'know',
  'let',
  'tell',
  'about',
  'if',
  'then',
  'but',
  'than',
  'too',
  'all',
  'one',
  // Generic request verbs: every leaf's customers "want", "need" and ask for "help".
  'want',
  'wanna',
  'need',
  'needed',
  'wish',
  'help',
  'assist',
  'assistance',
  'support',
  'possible',
  'able',
  'way',
  'trying',
  'try',
  'get',
  'got',
  'see',
  'info',
  'information',
]);

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xe0 && c <= 0x24f && c !== 0xf7);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0xa0;
}

function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 96;
}

const TEMPLATE_VARIABLE = /\{\{[^{}]{0,80}\}\}/g;
const REDACTION_TAG =
  /\[(?:[A-Z0-9_][A-Z0-9_ .-]{1,40}|redacted[^\]]{0,40}|removed[^\]]{0,40})\]|<[A-Z_][A-Z0-9_ -]{1,40}>/gi;

/**
 * Exports are often anonymised before anyone sees them: "{{order_id}}", "[NAME]",
 * "<PERSON>", "[redacted]". Such a span stands for an id or a name, so it is dropped like one;
 * read as words ("order", "number", "person") it would pull the text towards whichever leaf
 * mentions those words most. Bracketed text in ordinary case ("[see below]") is kept.
 */
export function withoutPlaceholders(text: string): string {
  if (text.indexOf('{{') < 0 && text.indexOf('[') < 0 && text.indexOf('<') < 0) return text;
  return text.replace(TEMPLATE_VARIABLE, ' ').replace(REDACTION_TAG, (span) => {
    const inner = span.slice(1, -1);
    const upper = inner === inner.toUpperCase();
    return upper || /^(?:redacted|removed)/i.test(inner) ? ' ' : span;
  });
}

/**
 * Lower-cased words with URLs, e-mail addresses, ids, numbers and punctuation stripped. A
 * whitespace-separated chunk that contains a digit ("#A12-99", "order123", "3-5", "49.99") or looks
 * like a URL / e-mail is dropped whole; apostrophes are removed ("don't" → "dont"); any other
 * non-letter splits words ("refund??" → "refund", "check-in" → "check", "in").
 */
export function words(text: string): string[] {
  const out: string[] = [];
  scanWords(text, (word) => out.push(word));
  return out;
}

/**
 * `words(text)`, each handed to `visit` with a 32-bit hash of it (FNV-1a over its characters), so a
 * caller that looks words up needs no string hashing of its own. A single hand-written scan: no
 * regular expressions, one slice per word.
 */
export function scanWords(text: string, visit: (word: string, hash: number) => void): void {
  const s = withoutPlaceholders(text).toLowerCase();
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const chunkStart = i;
    let bad = false;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) break;
      if (isDigit(c) || c === 64 /* @ */) bad = true;
      i++;
    }
    if (bad) continue;
    const chunkEnd = i;
    if (chunkEnd - chunkStart > 4 && (s.startsWith('http', chunkStart) || s.startsWith('www.', chunkStart)))
      continue;
    let j = chunkStart;
    while (j < chunkEnd) {
      while (j < chunkEnd && !isLetter(s.charCodeAt(j))) j++;
      if (j >= chunkEnd) break;
      const wStart = j;
      let hasApostrophe = false;
      let hash = 0x811c9dc5;
      while (j < chunkEnd) {
        const c = s.charCodeAt(j);
        if (isLetter(c)) {
          hash = Math.imul(hash ^ c, 0x01000193);
          j++;
        } else if (isApostrophe(c) && j + 1 < chunkEnd && isLetter(s.charCodeAt(j + 1))) {
          hasApostrophe = true;
          j++;
        } else break;
      }
      const w = s.slice(wStart, j);
      visit(hasApostrophe ? w.replace(/['\u2019`]/g, '') : w, hash | 0);
    }
  }
}

/** `words(text)` joined by single spaces. */
export function normalise(text: string): string {
  return words(text).join(' ');
}

function isVowel(c: string | undefined): boolean {
  return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';
}

function undouble(w: string): string {
  const n = w.length;
  const last = w[n - 1];
  if (n >= 3 && last === w[n - 2] && !isVowel(last) && last !== 's' && last !== 'l') {
    return w.slice(0, -1);
  }
  // "cancell" → "cancel", "travell" → "travel"; but "bill", "install", "sell" stay.
  if (n >= 6 && w.endsWith('ell')) return w.slice(0, -1);
  return w;
}

/** Irregular forms common in support requests, mapped onto one stem. */
const IRREGULAR: ReadonlyMap<string, string> = new Map([
  ['forgotten', 'forgot'],
  ['forget', 'forgot'],
  ['forgetting', 'forgot'],
  ['bought', 'buy'],
  ['buying', 'buy'],
  ['paid', 'pay'],
  ['sent', 'send'],
  ['gotten', 'got'],
  ['came', 'come'],
  ['went', 'go'],
  ['gone', 'go'],
  ['taken', 'take'],
  ['took', 'take'],
  ['chose', 'choos'],
  ['chosen', 'choos'],
  ['broke', 'broken'],
  ['stole', 'stolen'],
  ['wrote', 'writ'],
  ['written', 'writ'],
]);

/**
 * A light suffix stemmer (a small subset of Porter step 1 plus a few derivational suffixes):
 * "cancelled", "cancelling", "cancellation" → "cancel"; "charges", "charged" → "charg";
 * "deliveries" → "delivery". Short words are left alone.
 */
export function stem(word: string): string {
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return irregular;
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is') && w.length > 3) {
    w = w.slice(0, -1);
  }
  if (w.endsWith('ation')) {
    if (w.length > 7) w = undouble(w.slice(0, -5));
  } else if (w.endsWith('ing') && w.length > 5) {
    w = undouble(w.slice(0, -3));
  } else if (w.endsWith('ied') && w.length > 4) {
    w = `${w.slice(0, -3)}y`;
  } else if (w.endsWith('ed') && w.length > 4) {
    w = undouble(w.slice(0, -2));
  } else if (w.endsWith('ly') && w.length > 5) {
    w = w.slice(0, -2);
  } else if (w.endsWith('ment') && w.length > 7) {
    w = w.slice(0, -4);
  }
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Normalised, stemmed tokens with stop words removed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of words(text)) {
    if (raw.length < 2 || STOP_WORDS.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

/** Maximum characters of conversation text handed to the classifier. */
export const MAX_CLASSIFY_CHARS = 320;
/** A first customer message shorter than this ("hi", "hello?") is joined with the second one. */
const SHORT_FIRST_MESSAGE = 40;

/**
 * The text to classify for a conversation: the first customer message, plus the second one when
 * the first is too short to carry the request ("hi there" → "hi there. where is my order"),
 * capped at `maxChars`. Falls back to the first message of any role when the customer never spoke.
 */
export function conversationText(messages: readonly Message[], maxChars = MAX_CLASSIFY_CHARS): string {
  let first: string | undefined;
  let text = '';
  for (const m of messages) {
    if (m.role !== 'customer') continue;
    const t = m.text.trim();
    if (t.length === 0) continue;
    if (first === undefined) {
      first = t;
      text = t;
      if (t.length >= SHORT_FIRST_MESSAGE) break;
    } else {
      text = `${first} ${t}`;
      break;
    }
  }
  if (first === undefined) {
    const any = messages.find((m) => m.text.trim().length > 0);
    text = any ? any.text.trim() : '';
  }
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}
