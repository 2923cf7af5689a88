/**
 * Text normalisation for the offline classifier: lower-casing, stripping ids / numbers / URLs /
 * punctuation, a light suffix stemmer and a small stop-word list. Pure functions, no allocation
 * beyond the returned strings.
 */
import { ownWords } from './email.ts';
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

/**
 * Hindi words as Indian customers type them in Latin script ("mera order kab aayega", "paise
 * wapas kab milenge"), each read as the English word that carries the same intent, or dropped
 * (empty) when it carries none: particles, auxiliaries, forms of address, the equivalents of the
 * stop words. Code-mixed chat is common in Indian support traffic, and without this its question
 * words, negations and verbs were unknown words. Words that are also English words are left out
 * ("main", "the", "pata"). Written for Cockpit from general knowledge of the language.
 */
const CODE_MIXED: ReadonlyMap<string, string> = new Map(
  (
    [
      ['when', 'kab kb'],
      ['how', 'kaise kese kaisay kaese kasie kaisa kaisi'],
      ['why', 'kyu kyun kyon kiu kyo'],
      ['where', 'kahan kaha kidhar'],
      ['much', 'kitna kitne kitni ktna ktne'],
      ['who', 'kaun kon'],
      ['not', 'nahi nahin nhi nai nahe nahee nhin'],
      ['my', 'mera meri mere mra mri hamara hamari humara hmara'],
      ['your', 'aapka apka aapki apki aapke apke tumhara'],
      [
        'arrive',
        'aaya aayi ayi aaye aayega ayega aaega aayegi ayegi aaegi aayenge pahuncha pahunchi pohcha pahunch',
      ],
      ['receive', 'mila mili milega milegi milenge milta milna milgea'],
      ['send', 'bhejo bhej bheja bheji bhejna bhejiye bhejdo bhejne bheju'],
      ['deducted', 'kat kata kato kaat'],
      ['change', 'badalna badal badlo badalni badla badlna'],
      ['remove', 'hatao hata hatana hatado'],
      ['activate', 'chalu'],
      ['open', 'khulna khol kholna khola'],
      ['close', 'bandh'],
      ['back', 'wapas vapas wapis vapis wapsi vapsi'],
      ['money', 'paise paisa pese paisey paiso rupaye rupay rupye'],
      ['talk', 'baat'],
      ['person', 'insaan insan aadmi banda vyakti'],
      ['still', 'abhi abi abhee'],
      ['days', 'din dino dinon'],
      ['hours', 'ghante ghanta'],
      ['week', 'hafte hafta'],
      ['month', 'mahine mahina'],
      ['today', 'aaj'],
      ['wrong', 'galat glt'],
      ['damaged', 'kharab kharaab khrab'],
      ['broken', 'toota tuta tuti tooti'],
      ['new', 'naya nayi naye nya'],
      ['old', 'purana purani'],
      ['correct', 'sahi'],
      ['problem', 'dikkat pareshani samasya'],
      ['complaint', 'shikayat shikayet'],
      ['work', 'kaam chal chalta chalti'],
      ['account', 'khata'],
      ['deposit', 'jama'],
      ['withdraw', 'nikalna nikal nikalo nikasi'],
      ['medicine', 'dawai dawa dawaai davai'],
      ['item', 'saman samaan'],
      ['home', 'ghar'],
      ['start', 'shuru'],
      ['expired', 'khatam'],
      ['increase', 'badhani badhana badhao badha badhaye'],
      ['decrease', 'ghatani ghatana ghatao'],
      ['times', 'baar'],
      ['bought', 'khareeda kharida kharidi khareedi kharidna khareedna'],
      ['ordered', 'mangwaya mangaya mangwayi'],
      ['name', 'naam'],
      ['whose', 'kiska kiski kiske'],
      ['rude', 'badtameezi badtamizi badtameez'],
      ['fever', 'bukhar'],
      ['pain', 'dard'],
      ['cough', 'khansi'],
      ['tablet', 'goli'],
      ['understand', 'samajh samjha samjhao'],
      ['show', 'dikh dikha dikhao dikhai dikhta'],
      ['extra', 'zyada jyada'],
      ['stuck', 'atak atka atki atke phas fasa phasa fase'],
      ['mistake', 'galti'],
      ['stolen', 'chori'],
      ['lost', 'kho khoya khoyi'],
      ['stop', 'ruk roko rok rokna rukna'],
      ['add', 'jodna jodo jod'],
      [
        '',
        'kya gye gyi gae gai kiye kiya chahta chahti chahte bol bolo bola boliye le lo puchna turant lagaya lagaye mujhe muje mujhko mjhe hume humein hame mai aap tum hua hui hue huya ' +
          'hoga hogi honge ho hota hoti raha rahi rahe rha rhi rhe gaya gayi gaye gya gyi ' +
          'tha thi hai hain karna karni karne karo kar kare karen karein kariye krna krni ' +
          'kro kr krdo kardo kardijiye karvana karwana karwao karao chahiye chahie chaiye ' +
          'chahiya chaahiye dena dedo dijiye dijye diya diye lena liya liye lia batao ' +
          'bataye bataiye btao batayen bata lagao laga lagi lage lagta tak kal jaldi madad ' +
          'madat sahayata kripya krupya dhanyawad dhanyavad shukriya namaste namaskar ' +
          'pranam bhai bhaiya bhaiyya ji didi yaar yar ka ki ke ko se par pe aur bhi toh ye ' +
          'yeh wo woh vo ek sab sabhi koi kuch kuchh bahut bohot bht bhut phir fir ab jab ' +
          'agar lekin magar na haan han acha accha achha theek thik sakta sakte sakti hu ' +
          'hoon hun wala wali wale',
      ],
    ] as const
  ).flatMap(([english, hindi]) => hindi.split(' ').map((w) => [w, english] as const)),
);

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

/** A word as written, with a Hindi word read as its English equivalent ('' when it carries no intent). */
export function englishOf(raw: string): string {
  return CODE_MIXED.get(raw) ?? raw;
}

/**
 * The token a word as written stands for: a Hindi word read as its English equivalent, then the
 * stem; null for a word that carries no intent (stop words, one letter, dropped Hindi particles).
 */
export function tokenOf(raw: string): string | null {
  const word = englishOf(raw);
  if (word.length < 2 || STOP_WORDS.has(word)) return null;
  return stem(word);
}

/** Normalised, stemmed tokens with stop words removed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of words(text)) {
    const token = tokenOf(raw);
    if (token !== null) out.push(token);
  }
  return out;
}

/** Maximum characters of conversation text handed to the classifier. */
export const MAX_CLASSIFY_CHARS = 320;
/** Customer messages shorter than this together ("hi", "hello?") are joined with the next one. */
const SHORT_FIRST_MESSAGE = 40;
/** At most this many short customer messages are joined ("hi" / "good morning" / the request). */
const MAX_JOINED_MESSAGES = 3;

/**
 * The text to classify for a conversation: the customer's first message, joined with the next ones
 * while together they are too short to carry a request ("hi" / "good morning" / "where is my
 * order"), capped at `maxChars`. Only the customer's words: a conversation where the customer wrote
 * nothing (the AI agent's or an agent's messages only) has no text, and so no topic.
 */
export function conversationText(messages: readonly Message[], maxChars = MAX_CLASSIFY_CHARS): string {
  return customerText(messages, 0, maxChars).text;
}

/** Characters of the customer's opening kept for reading on past the first `maxChars` (`assignLeaf`). */
const MAX_OPENING_CHARS = 3000;

/**
 * The customer's words from their `from`-th non-empty message on, as `conversationText` joins them
 * (each message's own words only: quoted history, signatures and HTML left out, `ownWords`), the
 * same uncapped up to 3,000 characters (`full`), and the index of the first message not used (so a
 * caller can read on past a greeting).
 */
export function customerText(
  messages: readonly Message[],
  from: number,
  maxChars = MAX_CLASSIFY_CHARS,
): { text: string; full: string; next: number } {
  let text = '';
  let seen = 0;
  let used = 0;
  for (const m of messages) {
    if (m.role !== 'customer') continue;
    const t = ownWords(m.text).trim();
    if (t.length === 0) continue;
    if (seen++ < from) continue;
    text = text ? `${text} ${t}` : t;
    used++;
    if (text.length >= SHORT_FIRST_MESSAGE || used >= MAX_JOINED_MESSAGES) break;
  }
  return {
    text: text.length > maxChars ? text.slice(0, maxChars) : text,
    full: text.length > MAX_OPENING_CHARS ? text.slice(0, MAX_OPENING_CHARS) : text,
    next: from + used,
  };
}

/** Sentence ends and line breaks: where a long message's parts are cut for reading one by one. */
const SENTENCE_BREAK = /(?<=[.!?\u2026])\s+|\s*\n\s*/;
/** At most this many parts of a long opening are read (each a classification). */
const MAX_PARTS = 8;

/**
 * A long opening in parts of whole sentences, each under `maxChars`, short ones joined with the next
 * ("Hi team," + the request): the request of an e-mail that opens with pleasantries is read on its
 * own. One part (or none) when the text is a single sentence.
 */
export function sentenceParts(text: string, maxChars = MAX_CLASSIFY_CHARS): string[] {
  const parts: string[] = [];
  let current = '';
  for (const piece of text.split(SENTENCE_BREAK)) {
    if (piece === '') continue;
    if (current === '') current = piece;
    else if (current.length < SHORT_FIRST_MESSAGE && current.length + piece.length < maxChars)
      current += ` ${piece}`;
    else {
      parts.push(current.slice(0, maxChars));
      if (parts.length >= MAX_PARTS) return parts;
      current = piece;
    }
  }
  if (current !== '') parts.push(current.slice(0, maxChars));
  return parts;
}
