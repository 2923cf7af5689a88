/**
 * HTML bodies as plain text, for the importers (Intercom parts, Zendesk html_body, CSV cells) and
 * for reading a message's own words (`ownWords`): tags stripped, entities decoded, spaces tidied.
 */
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

/** What `\s` matches: spaces (Unicode's too), tabs, line breaks, form feed, the byte-order mark. */
function isSpaceCode(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Where `</name` (any case) starts at or after `from`, or -1. Read from `from` on only: lower-casing
 * the whole text for every `<style>` made 12,000 of them take 15 s (and a lower-cased copy's
 * indices can drift from the text's: "İ" lower-cases to two code units).
 */
function closingTag(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at >= 0; at = html.indexOf('</', at + 2))
    if (html.slice(at + 2, at + 2 + name.length).toLowerCase() === name) return at;
  return -1;
}

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
  // The last character written is kept aside, never read off the text: reading the end of a
  // string built by `+=` makes V8 flatten it every time, and 180,000 table cells took minutes.
  let out = '';
  let last = -1; // the last character's code, -1 while nothing is written
  const write = (text: string) => {
    if (text === '') return;
    out += text;
    last = text.charCodeAt(text.length - 1);
  };
  let i = 0;
  const n = html.length;
  let depth = 0;
  const append = (text: string) => {
    if (depth === 0 || text === '') write(text);
    else {
      const quoted = text.replace(/\n/g, '\n> ');
      write(last === -1 || last === 10 ? `> ${quoted}` : quoted);
    }
  };
  const newline = () => {
    if (last !== -1 && last !== 10) write('\n');
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      append(html.slice(i));
      break;
    }
    append(html.slice(i, lt));
    // a comment ends at "-->", not at the first ">" (it may hold tags: `<!-- old <p>text</p> -->`)
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
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
    if (name === 'br' || name === 'hr') write('\n');
    else if (!closing && (name === 'td' || name === 'th')) {
      // cells of a row are apart (rows end with their line break: `tr` is a block)
      if (last !== -1 && !isSpaceCode(last)) write(' ');
    } else if (!closing && name === 'tr') newline();
    else if (name === 'li' && !closing) {
      newline();
      append('- ');
    } else if (closing && BLOCK_TAGS.has(name)) {
      if (last !== 10) write('\n');
    } else if (!closing && DROP_TAGS.has(name)) {
      const end = closingTag(html, name, gt);
      if (end < 0) break;
      const endGt = html.indexOf('>', end);
      i = endGt < 0 ? n : endGt + 1;
    }
  }
  return tidy(decodeEntities(out).trim());
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
