/** Small text helpers shared by the importers: HTML → plain text, timestamps → ISO UTC. */

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
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
      return code === 0xa0 ? ' ' : String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const DROP_BLOCKS = /<(script|style|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const BREAKS = /<\s*(br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/blockquote|hr)\b[^>]*>/gi;
const LIST_ITEM = /<\s*li\b[^>]*>/gi;
const TAG = /<\/?[a-z!][^>]*>/gi;

/** HTML body (Intercom parts, Zendesk html_body) → plain text: tags stripped, entities decoded, spaces tidied. */
export function htmlToText(html: string): string {
  if (!html) return '';
  let s = html;
  if (s.includes('<')) {
    s = s.replace(DROP_BLOCKS, ' ').replace(BREAKS, '\n').replace(LIST_ITEM, '\n- ').replace(TAG, '');
  }
  s = decodeEntities(s);
  return tidy(s);
}

/** Collapse runs of spaces, keep at most one blank line, trim. */
export function tidy(s: string): string {
  if (!/[\t\r ]{2}|\n\s*\n\s*\n|^\s|\s$|\r|\t| \n|\n /.test(s)) return s;
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** epoch ms → `YYYY-MM-DDTHH:MM:SSZ` (milliseconds kept only when non-zero). */
export function isoFromMs(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s;
}

/** Unix seconds (number or numeric string) → ISO UTC, or null. */
export function isoFromUnixSeconds(v: unknown): string | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || n > 32503680000) return null;
  return isoFromMs(Math.round(n * 1000));
}

const DATE_ONLY = /^(\d{4})[-/](\d{2})[-/](\d{2})$/;
const DATE_TIME = /^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * A date-time as exports write them → ISO UTC, or null. Accepts ISO 8601 (with or without zone; no zone
 * means UTC), `YYYY-MM-DD HH:MM(:SS)`, `YYYY/MM/DD`, a bare date (midnight UTC), unix seconds (9–11 digits)
 * and unix milliseconds (12–14 digits). Impossible dates (2026-02-30) are rejected.
 */
export function parseDateTime(v: unknown): string | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) return null;
    return v >= 1e11 ? isoFromMs(Math.round(v)) : isoFromUnixSeconds(v);
  }
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s.length === 0) return null;
  if (/^\d{9,11}(\.\d+)?$/.test(s)) return isoFromUnixSeconds(s);
  if (/^\d{12,14}$/.test(s)) return isoFromMs(Number(s));
  let m = DATE_ONLY.exec(s);
  if (m) return checked(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, '', '');
  m = DATE_TIME.exec(s);
  if (m) {
    return checked(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6] ?? 0),
      m[7] ?? '',
      m[8] ?? '',
    );
  }
  return null;
}

function checked(y: number, mo: number, d: number, h: number, mi: number, sec: number, frac: string, zone: string) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return null;
  let ms = Date.UTC(y, mo - 1, d, h, mi, sec, frac ? Math.round(Number(`0${frac}`) * 1000) : 0);
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  if (zone && zone.toUpperCase() !== 'Z' && zone.toUpperCase() !== 'UTC') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return isoFromMs(ms);
}
