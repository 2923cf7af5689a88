/**
 * The customer's own new words in a message as help desks export it. An e-mail reply carries the
 * company's earlier answer below it ("On Tue, … wrote:", "> …", Outlook's "From: … Sent: …"), a
 * signature and often a legal footer, and many exports keep the HTML body. Read whole, the quoted
 * answer or the footer decides the topic ("…we have refunded the duplicate charge" under "Great,
 * thanks!"), and `&nbsp;`-joined HTML has no spaces left to read words by.
 *
 * Own code rather than a reply-parser package: `email-reply-parser` (Crisp) read the same replies
 * right but ran ~8k messages/s against the classifier's ~120k, and took 1.9 s on a 60 KB line of
 * "On On On …" (its quote-header patterns backtrack); this is one linear pass over the lines, and
 * a one-line chat message returns at once.
 */
import { decodeEntities, htmlToText } from './html.ts';

/** Text past this is not looked at (the classifier reads 320 characters of the result). */
const MAX_EMAIL_CHARS = 20_000;

/** An HTML body: a tag of the kind mail bodies use (a plain "<help@shop.com>" or "<3" is not one). */
const HTML_TAG =
  /<\/?(?:p|br|div|span|html|body|head|table|tbody|tr|td|th|a|b|i|u|strong|em|ul|ol|li|blockquote|font|img|h[1-6]|style|meta|hr|center|section)\b[^<>]{0,2000}>/i;
const HTML_ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/i;

/** "On Tue, 3 Mar 2026 at 09:14, Support <help@shop.com> wrote:" (and the common non-English forms). */
const QUOTE_HEADER_END =
  /\b(?:wrote|writes|a écrit|escribió|schrieb|ha scritto|escreveu|skrev|schreef)\s*:\s*$/i;
const QUOTE_HEADER_START = /^(?:on|le|el|am|il|em|den|op)\s/i;
const ORIGINAL_MESSAGE =
  /^-{2,}\s*(?:original message|forwarded message|original|weitergeleitete nachricht|message d'origine)\s*-{2,}$/i;
const FORWARD_MARKERS = /^(?:-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:?)$/i;
/** Outlook's line above a quoted header block (only counted when a From / Sent block follows). */
const RULE_LINE = /^_{10,}$/;
const HEADER_FIELD =
  /^\*?(?:from|sent|date|to|cc|subject|reply-to|von|gesendet|datum|an|betreff|de|envoyé|date|à|objet|enviado|para|asunto|van|verzonden|aan|onderwerp)\*?\s*:/i;
const HEADER_FROM = /^\*?(?:from|von|de|van)\*?\s*:/i;
const HEADER_DATED = /^\*?(?:sent|date|gesendet|datum|envoyé|enviado|verzonden)\*?\s*:/i;
const SIGNATURE_START =
  /^(?:--\s*|sent from my (?:iphone|ipad|android|samsung|galaxy|huawei|pixel|blackberry|mobile|phone|smartphone|tablet)\b[\w .-]{0,30}|sent from (?:outlook|mail|yahoo mail|gmail)(?: for \w+)?|get outlook for (?:ios|android))$/i;
/**
 * Legal footers as companies append them: a notice heading in capitals, or the standard sentences
 * (confidential / privileged / intended recipient). "This email is urgent" or "Caution: the glass
 * was broken" are the customer's words and stay.
 */
const DISCLAIMER_HEADING =
  /^\**\s*(?:CONFIDENTIAL(?:ITY)?(?: NOTICE)?|DISCLAIMER|LEGAL NOTICE|PRIVACY NOTICE|FRAUD WARNING)\b/;
const DISCLAIMER_SENTENCE =
  /^(?:this (?:e-?mail|message|communication)\b[^.]{0,80}\b(?:confidential|privileged|intended (?:solely |only )?for)\b|the information (?:contained )?in this (?:e-?mail|message|communication)\b[^.]{0,60}\b(?:confidential|privileged)|if you are not the intended recipient)/i;
const isDisclaimer = (line: string) => DISCLAIMER_HEADING.test(line) || DISCLAIMER_SENTENCE.test(line);
const SIGN_OFF =
  /^(?:(?:with )?(?:kind|best|warm|warmest|many|all the)?\s*(?:regards|wishes|thanks|thank you|cheers|sincerely|yours(?: sincerely| faithfully| truly)?|respectfully|best)|thanks|thank you|cheers|best|regards|ta|thx)[\s,.!]*$/i;

/** Mail clients' quote headers carry the date or the sender's address; "On Monday my colleague wrote:" does not. */
const datedOrAddressed = (text: string) => /\d/.test(text) || text.includes('@');

/** "Am Do., 23. Juni 2026 um 17:08 Uhr schrieb Anna <a@b.de>:", "Op 2 mrt. 2026 schreef …:": the name after the verb. */
const QUOTE_HEADER_VERB_FIRST = /\b(?:schrieb|schreef|skrev|kirjoitti|napisał)\b.{0,160}:\s*$/i;

function isQuoteHeader(line: string, next: string | undefined): number {
  if (QUOTE_HEADER_START.test(line) && QUOTE_HEADER_VERB_FIRST.test(line) && datedOrAddressed(line)) return 1;
  if (
    QUOTE_HEADER_END.test(line) &&
    datedOrAddressed(line) &&
    (QUOTE_HEADER_START.test(line) || line.includes('@'))
  )
    return 1;
  // Gmail wraps a long header: "On Tue, 3 Mar 2026 at 09:14, Bright Buy Support <" / "help@…> wrote:"
  if (
    next !== undefined &&
    QUOTE_HEADER_START.test(line) &&
    QUOTE_HEADER_END.test(next) &&
    datedOrAddressed(line + next) &&
    line.length + next.length < 300
  )
    return 2;
  return 0;
}

/** An Outlook-style header block ("From: …" then "Sent:" / "Date:" / "To:" / "Subject:" within a few lines). */
function headerBlockLength(lines: readonly string[], at: number): number {
  if (!HEADER_FROM.test(lines[at]!.trim())) return 0;
  let k = at + 1;
  let fields = 1;
  let dated = false;
  while (k < lines.length && k < at + 8) {
    const l = lines[k]!.trim();
    if (HEADER_FIELD.test(l)) {
      fields++;
      if (HEADER_DATED.test(l)) dated = true;
    } else if (l !== '' || fields < 2) break;
    k++;
  }
  // "From: 12 Oak Street / To: 4 Elm Road" in an address change is no header: a mail's has a date
  return fields >= 2 && dated ? k - at : 0;
}

/** After a sign-off, only a name, a title, a company or contact lines: a few short lines, or a footer. */
function isSignatureTail(lines: readonly string[], from: number): boolean {
  let count = 0;
  for (let k = from; k < lines.length; k++) {
    const l = lines[k]!.trim();
    if (l === '') continue;
    if (
      isDisclaimer(l) ||
      SIGNATURE_START.test(l) ||
      l.startsWith('>') ||
      isQuoteHeader(l, lines[k + 1]?.trim()) > 0
    )
      return true;
    if (headerBlockLength(lines, k) > 0 || ORIGINAL_MESSAGE.test(l) || FORWARD_MARKERS.test(l)) return true;
    // a name, a title, a company, a phone number: short, few words, no question
    if (l.length > 60 || l.split(/\s+/).length > 6 || l.includes('?') || ++count > 5) return false;
  }
  return true;
}

/**
 * "> " lines are quoted text when the message quotes: two or more of them, or one that ends the
 * message (a one-paragraph quote below the reply); a single one with the customer's words after it
 * is an arrow ("> Settings").
 */
function quotesAtAll(lines: readonly string[]): boolean {
  let quoted = 0;
  let trailing = false;
  for (const raw of lines) {
    const l = raw.trim();
    if (l === '') continue;
    trailing = l.startsWith('>');
    if (trailing && ++quoted > 1) return true;
  }
  return trailing;
}

function nextNonEmpty(lines: readonly string[], from: number): number {
  let k = from;
  while (k < lines.length - 1 && lines[k]!.trim() === '') k++;
  return Math.min(k, lines.length - 1);
}

/**
 * The customer's own words of one message: HTML read as text, then the lines above the first
 * quoted history, forwarded header, signature or legal footer, without `>` lines. A message that
 * is only a forward (or that answers below the quote) keeps the forwarded or unquoted text, which
 * is the customer's. Plain one-line chat comes back unchanged.
 */
export function ownWords(message: string): string {
  let text = message.length > MAX_EMAIL_CHARS ? message.slice(0, MAX_EMAIL_CHARS) : message;
  const html = text.indexOf('<') >= 0 && HTML_TAG.test(text);
  // (a <blockquote> comes out as "> " lines: quoted, as in a plain-text reply)
  if (html) text = htmlToText(text);
  else if (text.indexOf('&') >= 0 && HTML_ENTITY.test(text)) text = decodeEntities(text);
  if (!html && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return text;

  const lines = text.split(/\r?\n|\r/);
  let quoting = quotesAtAll(lines);
  const kept: string[] = [];
  let own = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!.trim();
    if (quoting && line.startsWith('>')) {
      i++;
      continue;
    }
    const quote = isQuoteHeader(line, lines[i + 1]?.trim());
    const header = headerBlockLength(lines, i);
    const rule = RULE_LINE.test(line) && headerBlockLength(lines, nextNonEmpty(lines, i + 1)) > 0;
    if (quote > 0 || header > 0 || rule || ORIGINAL_MESSAGE.test(line) || FORWARD_MARKERS.test(line)) {
      if (own) break;
      // nothing of the customer's yet: a bare forward or a reply written below the quote
      if (quote > 0) quoting = true;
      i += Math.max(quote, header, 1);
      continue;
    }
    if (own && (SIGNATURE_START.test(line) || isDisclaimer(line))) break;
    if (own && SIGN_OFF.test(line) && isSignatureTail(lines, i + 1)) break;
    if (line !== '') {
      kept.push(line);
      if (!own && /\p{L}{2}/u.test(line)) own = true;
    }
    i++;
  }
  const result = kept.join('\n').trim();
  return result === '' ? text.trim() : result;
}

/**
 * Messages as a reader should see them: a customer message that holds more than the customer's own
 * words (a quoted reply, a signature, a footer, HTML) also carries those as `ownText`, the words
 * the classifier and the CX score read; the whole message stays in `text`.
 */
export function withOwnText<M extends { role: string; text: string }>(
  messages: readonly M[],
): (M & { ownText?: string })[] {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  return messages.map((m) => {
    if (m.role !== 'customer') return m;
    const own = ownWords(m.text);
    return own.trim() !== '' && flat(own) !== flat(m.text) ? { ...m, ownText: own } : m;
  });
}
