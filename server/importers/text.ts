/** Small text helpers shared by the importers: HTML → plain text, timestamps → ISO UTC. */
import { type DayOrder, parseExportTimestamp } from '../domain/time.ts';

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  times: '×',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  szlig: 'ß',
  ntilde: 'ñ',
};

const ENTITY = /&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi;

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return whole;
      return code === 0xa0 ? ' ' : String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'blockquote',
  'ul',
  'ol',
  'pre',
  'table',
]);
const DROP_TAGS = new Set(['script', 'style', 'head']);

function isTagStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 47 || c === 33; // a-z A-Z / !
}

/**
 * HTML body (Intercom parts, Zendesk html_body) → plain text: tags stripped, entities decoded, spaces
 * tidied. A `<blockquote>` (a mail client's quoted reply) comes out with its lines marked "> ", as
 * plain-text mail quotes, so the customer's own words can still be told from the quote
 * (`ownWords` in server/domain/email.ts); Gmail's quote block starts on a line of its own.
 */
export function htmlToText(html: string): string {
  if (!html) return '';
  if (!html.includes('<')) return tidy(decodeEntities(html));
  let out = '';
  let i = 0;
  const n = html.length;
  let depth = 0;
  const append = (text: string) => {
    if (depth === 0 || text === '') out += text;
    else {
      const quoted = text.replace(/\n/g, '\n> ');
      out += out === '' || out.endsWith('\n') ? `> ${quoted}` : quoted;
    }
  };
  const newline = () => {
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      append(html.slice(i));
      break;
    }
    append(html.slice(i, lt));
    if (!isTagStart(html.charCodeAt(lt + 1))) {
      append('<');
      i = lt + 1;
      continue;
    }
    const gt = html.indexOf('>', lt);
    if (gt < 0) {
      append(html.slice(lt));
      break;
    }
    let j = lt + 1;
    const closing = html.charCodeAt(j) === 47;
    if (closing) j++;
    let k = j;
    while (k < gt) {
      const c = html.charCodeAt(k);
      if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57))) break;
      k++;
    }
    const name = html.slice(j, k).toLowerCase();
    i = gt + 1;
    if (name === 'blockquote') {
      newline();
      depth = closing ? Math.max(0, depth - 1) : depth + 1;
    } else if (
      !closing &&
      name === 'div' &&
      /gmail_quote|moz-cite-prefix|divRplyFwdMsg/i.test(html.slice(lt, gt))
    )
      newline();
    if (name === 'br' || name === 'hr') out += '\n';
    else if (name === 'li' && !closing) out += out === '' || out.endsWith('\n') ? '- ' : '\n- ';
    else if (closing && BLOCK_TAGS.has(name)) {
      if (!out.endsWith('\n')) out += '\n';
    } else if (!closing && DROP_TAGS.has(name)) {
      const end = html.toLowerCase().indexOf(`</${name}`, gt);
      if (end < 0) break;
      const endGt = html.indexOf('>', end);
      i = endGt < 0 ? n : endGt + 1;
    }
  }
  return tidy(decodeEntities(out).trim());
}

/**
 * A reply's or forward's subject ("Re: Password reset", "AW: Ihre Bestellung", "Fwd: …") is the
 * thread's, often the company's own: put before the customer's words it was read as their request.
 */
const REPLY_SUBJECT = /^\s*(?:(?:re|aw|antw|sv|vs|r|rif|fw|fwd|wg|tr|rv|enc)\s*(?:\[\d+\])?\s*:\s*)+/i;

/** The first customer message with the ticket's subject before it, unless the subject is a reply's or already opens it. */
export function withSubject(subject: string, body: string): string {
  if (!subject) return body;
  if (!body) return subject.replace(REPLY_SUBJECT, '');
  if (REPLY_SUBJECT.test(subject) || body.startsWith(subject)) return body;
  return `${subject}\n${body}`;
}

const NEEDS_TIDY = /[\r\t\f\v\u00a0]| {2}| \n|\n |\n\n\n|^\s|\s$/;

/** Collapse runs of spaces, keep at most one blank line, trim. */
export function tidy(s: string): string {
  if (!NEEDS_TIDY.test(s)) return s;
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** epoch ms → `YYYY-MM-DDTHH:MM:SSZ` (milliseconds kept only when non-zero). */
export function isoFromMs(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  const rest = ms - day * 86_400_000;
  if (rest % 1000 !== 0 || day < 0) {
    const s = new Date(ms).toISOString();
    return s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s;
  }
  // Fast path (whole seconds): the date part is cached per day.
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const secs = rest / 1000;
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const sec = secs % 60;
  return `${cachedPrefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}Z`;
}
let cachedDay = Number.NaN;
let cachedPrefix = '';

/** Unix seconds (number or numeric string) → ISO UTC, or null. */
export function isoFromUnixSeconds(v: unknown): string | null {
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 32503680000) return null;
  return isoFromMs(Math.round(n * 1000));
}

/**
 * A date-time as exports write them → ISO UTC, or null. Accepts ISO 8601 (with or without zone; no zone
 * means UTC), `YYYY-MM-DD HH:MM(:SS)`, `YYYY/MM/DD`, a bare date (midnight UTC), unix seconds (9–11 digits),
 * unix milliseconds (12–14 digits) and the day/month spellings of `parseExportTimestamp` (`order`: which
 * comes first in the file's numeric dates, when known). Impossible dates (2026-02-30) are rejected.
 */
export function parseDateTime(v: unknown, order: DayOrder | null = null): string | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) return null;
    return v >= 1e11 ? isoFromMs(Math.round(v)) : isoFromUnixSeconds(v);
  }
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s.length === 0) return null;
  if (/^\d{9,11}(\.\d+)?$/.test(s)) return isoFromUnixSeconds(s);
  if (/^\d{12,14}$/.test(s)) return isoFromMs(Number(s));
  const ms = parseExportTimestamp(s, order);
  return ms === null ? null : isoFromMs(ms);
}
