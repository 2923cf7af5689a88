/**
 * The one date-time reader of the house. Canonical exports (SPEC §2) must write ISO 8601
 * (`YYYY-MM-DD`, optional `T`/space time, optional zone; no zone means UTC); importers of other
 * systems' exports also accept `/` separators, a `UTC` suffix and a space before the zone. Both
 * go through the same component check, so an impossible date (2026-02-30, 25:00) is refused in
 * every input path, and neither depends on the machine's time zone or on Date.parse's leniency.
 */

// A zone is Z or an offset `+hh`, `+hhmm` or `+hh:mm` (ISO 8601; PostgreSQL writes `+02`); RFC 3339
// also allows a lower-case `t` and `z`.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

function toEpochMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  sec: number,
  frac: string,
  zone: string,
): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return null;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  // truncated, not rounded: 23:59:59.9999 on the 31st is still that day and month (the month is also
  // read off the text, and the two must agree)
  let ms = Date.UTC(y, mo - 1, d, h, mi, sec, frac ? Number(frac.slice(1).padEnd(3, '0').slice(0, 3)) : 0);
  const z = zone.toUpperCase();
  if (z && z !== 'Z' && z !== 'UTC') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    const offH = Number(digits.slice(0, 2));
    const offM = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (offH > 23 || offM > 59) return null;
    ms -= sign * (offH * 60 + offM) * 60_000;
  }
  return ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const NOT_A_DIGIT = -1e6;
const digitAt = (s: string, i: number) => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NOT_A_DIGIT;
};
const twoDigits = (s: string, i: number) => digitAt(s, i) * 10 + digitAt(s, i + 1);

/**
 * The shape nearly every export writes, `YYYY-MM-DDTHH:MM:SSZ` or with `.sss`, read digit by digit:
 * the pipeline reads one per conversation, and the regex and the probe Date were ~8% of its
 * per-conversation work. The same checks as `toEpochMs`; `undefined` for any other shape (the
 * general reader decides, and says the same for years before 100, which Date.UTC reads as 19xx).
 */
function commonUtc(v: string): number | null | undefined {
  const n = v.length;
  if (n !== 20 && n !== 24) return undefined;
  if (v[4] !== '-' || v[7] !== '-' || v[10] !== 'T' || v[13] !== ':' || v[16] !== ':' || v[n - 1] !== 'Z')
    return undefined;
  if (n === 24 && v[19] !== '.') return undefined;
  const y = twoDigits(v, 0) * 100 + twoDigits(v, 2);
  const mo = twoDigits(v, 5);
  const d = twoDigits(v, 8);
  const h = twoDigits(v, 11);
  const mi = twoDigits(v, 14);
  const sec = twoDigits(v, 17);
  const ms = n === 24 ? digitAt(v, 20) * 100 + twoDigits(v, 21) : 0;
  if (y < 100 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || ms < 0) return undefined;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return null;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** Epoch ms of a canonical ISO-8601 date or date-time, or null when it is not a valid one. */
export function parseIsoTimestamp(value: unknown): number | null {
  if (typeof value !== 'string' || value.length < 10) return null;
  const common = commonUtc(value);
  if (common !== undefined) return common;
  const m = ISO.exec(value);
  if (!m) return null;
  return toEpochMs(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7] ?? '', m[8] ?? '');
}

/** Which comes first in a numeric date like 03/04/2026: the day (most of the world) or the month (US). */
export type DayOrder = 'dmy' | 'mdy';

const MONTH_NAMES: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  // European help desks' exports in their users' language (keys without accents: "März", "août",
  // "déc." and "março" are read through `monthOfName`); no name means one month here and another
  // month in another language
  januar: 1,
  januari: 1,
  janv: 1,
  janvier: 1,
  ene: 1,
  enero: 1,
  gen: 1,
  gennaio: 1,
  janeiro: 1,
  februar: 2,
  februari: 2,
  fev: 2,
  fevr: 2,
  fevrier: 2,
  febrero: 2,
  febbraio: 2,
  fevereiro: 2,
  marz: 3,
  mrt: 3,
  maart: 3,
  mars: 3,
  marzo: 3,
  marco: 3,
  avr: 4,
  avril: 4,
  abr: 4,
  abril: 4,
  aprile: 4,
  mai: 5,
  mei: 5,
  mayo: 5,
  mag: 5,
  maggio: 5,
  maio: 5,
  juni: 6,
  juin: 6,
  junio: 6,
  giu: 6,
  giugno: 6,
  junho: 6,
  juli: 7,
  juil: 7,
  juillet: 7,
  julio: 7,
  lug: 7,
  luglio: 7,
  julho: 7,
  augustus: 8,
  aout: 8,
  ago: 8,
  agosto: 8,
  set: 9,
  septembre: 9,
  septiembre: 9,
  setiembre: 9,
  settembre: 9,
  setembro: 9,
  okt: 10,
  oktober: 10,
  octobre: 10,
  octubre: 10,
  ott: 10,
  ottobre: 10,
  out: 10,
  outubro: 10,
  novembre: 11,
  noviembre: 11,
  novembro: 11,
  dez: 12,
  dezember: 12,
  decembre: 12,
  dic: 12,
  diciembre: 12,
  dicembre: 12,
  dezembro: 12,
};

/** A month's number from its name or abbreviation in English or a Western European language. */
const monthOfName = (name: string): number | undefined =>
  MONTH_NAMES[name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()];
/**
 * Zone abbreviations as offsets: the US zones (standard and daylight), Europe's (western, central,
 * eastern, British Summer Time, Moscow), and those of South Africa, India, South-East and East Asia,
 * Australia and New Zealand. "IST" is read as India's (+05:30) and "CST" as US Central (−06:00):
 * where support exports that print them come from; Irish, Israeli and Chinese exports write offsets.
 */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  GMT: 'Z',
  EST: '-05:00',
  EDT: '-04:00',
  CST: '-06:00',
  CDT: '-05:00',
  MST: '-07:00',
  MDT: '-06:00',
  PST: '-08:00',
  PDT: '-07:00',
  AKST: '-09:00',
  AKDT: '-08:00',
  HST: '-10:00',
  WET: 'Z',
  WEST: '+01:00',
  BST: '+01:00',
  CET: '+01:00',
  CEST: '+02:00',
  EET: '+02:00',
  EEST: '+03:00',
  IST: '+05:30',
  MSK: '+03:00',
  SAST: '+02:00',
  WIB: '+07:00',
  SGT: '+08:00',
  HKT: '+08:00',
  PHT: '+08:00',
  AWST: '+08:00',
  JST: '+09:00',
  KST: '+09:00',
  ACST: '+09:30',
  ACDT: '+10:30',
  AEST: '+10:00',
  AEDT: '+11:00',
  NZST: '+12:00',
  NZDT: '+13:00',
};
// the abbreviations, longest first (so "CEST" is not read as "CES" and a letter left over)
/** A zone abbreviation the parser reads ("CET", "pst"), upper-cased, or null. */
export function knownZoneAbbreviation(name: string): string | null {
  const upper = name.toUpperCase();
  return Object.hasOwn(ZONE_ABBREVIATIONS, upper) ? upper : null;
}

const ZONE_NAMES = Object.keys(ZONE_ABBREVIATIONS)
  .sort((a, b) => b.length - a.length)
  .join('|');

// time of day after a date: "10:22", "10:22:05.250", "10:22 AM", "10:22:00 +0100", "10:22 GMT"
// (each optional part carries its own leading spaces: two adjacent `\s*` backtrack quadratically)
// A zone may be an offset (after "GMT"/"UTC" too, as JavaScript's Date writes "GMT+0200 (Central
// European Summer Time)", the name in brackets ignored) or one of the abbreviations help desks in
// the US, Europe and Asia-Pacific print (ZONE_ABBREVIATIONS); an import review saw "2026-06-01 10:00:00 PDT"
// refused as the wrong format.
const CLOCK = String.raw`(?:(?:[T ]|,\s*|\s+at\s+)(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:\s*([ap]\.?m\.?))?(?:\s*((?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}(?::?\d{2})?|Z|UTC|${ZONE_NAMES})(?:\s+\([A-Za-z .'-]{1,48}\))?)?)?`;
// 2026-3-4, 2026/03/04 10:22 (year first: never ambiguous)
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-/])(\d{1,2})\2(\d{1,2})${CLOCK}$`, 'i');
// 04.03.2026 (dotted: day first), 03/04/2026 and 03-04-2026 (either)
const YEAR_LAST = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})${CLOCK}$`, 'i');
// 4 Mar 2026, 04-Mar-2026, Wed, 4 March 2026 10:22:00 +0000 (RFC 2822); in other languages
// "5. März 2024", "1er mars 2024", "5 de marzo de 2024", "mar. 5 déc. 2024"
const NAMED_DAY_FIRST = new RegExp(
  String.raw`^(?:\p{L}{2,9}\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th|er|º)?\.?(?:\s+de)?[\s-]+(\p{L}{3,10})\.?,?(?:\s+de)?[\s-]+(\d{4})${CLOCK}$`,
  'iu',
);
// Mar 4, 2026 10:22 AM; March 4th 2026; Wed Mar 4 2026
const NAMED_MONTH_FIRST = new RegExp(
  String.raw`^(?:[a-z]{3,9}\.?,?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${CLOCK}$`,
  'i',
);

function withClock(y: number, mo: number, d: number, m: RegExpExecArray, at: number): number | null {
  let h = +(m[at] ?? 0);
  const ampm = m[at + 4]?.[0]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (ampm === 'p' ? 12 : 0);
  }
  const written = (m[at + 5] ?? '').toUpperCase();
  // "UTC-7", "GMT+2": the offset, its hour padded
  const zone =
    ZONE_ABBREVIATIONS[written] ??
    written.replace(/^(?:UTC|GMT)([+-])(\d)(?!\d)/, '$10$2').replace(/^(?:UTC|GMT)(?=[+-])/, '');
  return toEpochMs(y, mo, d, h, +(m[at + 1] ?? 0), +(m[at + 2] ?? 0), m[at + 3] ?? '', zone);
}

// the longest form ("Wednesday, 14 September 2026 10:22:05.123456789 GMT+0200 (Central European
// Summer Time)") is under 96
const MAX_DATE_CHARS = 96;

/** A numeric day-first or month-first date whose two leading numbers could each be the month. */
export function isAmbiguousDate(value: string): boolean {
  if (value.length > MAX_DATE_CHARS) return false;
  const m = YEAR_LAST.exec(value.trim());
  return m !== null && m[2] !== '.' && +m[1]! <= 12 && +m[3]! <= 12 && m[1] !== m[3];
}

/** How a column's day order was told: a number past 12, or which number runs while the other stays. */
export interface DayOrderEvidence {
  order: DayOrder;
  by: 'past-12' | 'sorted' | 'spread';
}

/**
 * Which order a column of numeric dates is written in, from a sample of its values: a first
 * number over 12 says day first, a second over 12 month first; null when the sample does not say
 * (or says both).
 */
export function dayOrderOf(values: Iterable<string>): DayOrder | null {
  return dayOrderEvidence(values)?.order ?? null;
}

/** Whether a run of day keys (yyyymmdd) is in order, oldest or newest first, and ever changes. */
class SortedRun {
  private last = -1;
  private up = true;
  private down = true;
  changed = false;
  add(key: number) {
    if (this.last >= 0 && key !== this.last) {
      this.changed = true;
      if (key < this.last) this.up = false;
      else this.down = false;
    }
    this.last = key;
  }
  get sorted() {
    return this.up || this.down;
  }
}

/** Dates needed before the spread of the two numbers is read as the order (see dayOrderEvidence). */
const SPREAD_MIN_DATES = 10;

/**
 * As dayOrderOf, and when no number passes 12: an export's first rows cover days, rarely months,
 * so among 10+ dates the number that takes 5+ values while the other takes at most 2 (or 2+ while
 * the other takes one) is the day
 * ("3/1 … 3/12/2024": month first). A report of March's first twelve days, sorted by date, had
 * every row rejected as ambiguous before.
 */
export function dayOrderEvidence(values: Iterable<string>): DayOrderEvidence | null {
  let dmy = false;
  let mdy = false;
  const firsts = new Set<string>();
  const seconds = new Set<string>();
  let dates = 0;
  const asDmy = new SortedRun();
  const asMdy = new SortedRun();
  for (const v of values) {
    if (v.length > MAX_DATE_CHARS) continue;
    const m = YEAR_LAST.exec(v.trim());
    if (!m || m[2] === '.') continue;
    const a = +m[1]!;
    const b = +m[3]!;
    if (a > 12) dmy = true;
    else if (b > 12) mdy = true;
    dates++;
    firsts.add(`${a}`);
    seconds.add(`${b}`);
    asDmy.add(+m[4]! * 10_000 + b * 100 + a);
    asMdy.add(+m[4]! * 10_000 + a * 100 + b);
  }
  if (dmy !== mdy) return { order: dmy ? 'dmy' : 'mdy', by: 'past-12' };
  if (dmy || dates < SPREAD_MIN_DATES) return null;
  // An export sorted by date is sorted under its own reading only (tickets of the 1st and 2nd of
  // six months, "01/06 … 02/11/2026": read month first they run Jan 6, Feb 6, Jan 7…). This comes
  // before the spread below, which read that file as January and February.
  if (asDmy.sorted !== asMdy.sorted && (asDmy.changed || asMdy.changed))
    return { order: asDmy.sorted ? 'dmy' : 'mdy', by: 'sorted' };
  // a month runs through days: 5+ values against at most 2 (a month's end and the next's start),
  // or any run of days against one month (a 2-3 day export: "3/1 … 3/3/2024"; a file of the 3rd of
  // three months is no help desk's export)
  if ((seconds.size >= 5 && firsts.size <= 2) || (seconds.size >= 2 && firsts.size === 1))
    return { order: 'mdy', by: 'spread' };
  if ((firsts.size >= 5 && seconds.size <= 2) || (firsts.size >= 2 && seconds.size === 1))
    return { order: 'dmy', by: 'spread' };
  return null;
}

/**
 * Epoch ms of a date-time as other systems' exports write it (see the module comment), or null:
 * year first with `-` or `/` (padded or not), day first with dots (04.03.2026), month names
 * (4 Mar 2026, Mar 4, 2026 10:22 AM, RFC 2822), and numeric day/month dates when the two cannot be
 * confused (31/03/2026) or `order` says which comes first. 03/04/2026 without an order is null.
 */
export function parseExportTimestamp(value: string, order: DayOrder | null = null): number | null {
  if (value.length > MAX_DATE_CHARS) return null;
  let m = YEAR_FIRST.exec(value);
  if (m) return withClock(+m[1]!, +m[3]!, +m[4]!, m, 5);
  m = YEAR_LAST.exec(value);
  if (m) {
    const a = +m[1]!;
    const b = +m[3]!;
    // a date that contradicts the file's order is refused, not read the other way round
    if ((order === 'dmy' && b > 12 && a <= 12) || (order === 'mdy' && a > 12 && b <= 12)) return null;
    const dayFirst = m[2] === '.' || a > 12 || a === b || (b <= 12 && order === 'dmy');
    const monthFirst = !dayFirst && (b > 12 || order === 'mdy');
    if (!dayFirst && !monthFirst) return null;
    return dayFirst ? withClock(+m[4]!, b, a, m, 5) : withClock(+m[4]!, a, b, m, 5);
  }
  m = NAMED_DAY_FIRST.exec(value);
  if (m) {
    const mo = monthOfName(m[2]!);
    return mo ? withClock(+m[3]!, mo, +m[1]!, m, 4) : null;
  }
  m = NAMED_MONTH_FIRST.exec(value);
  if (m) {
    const mo = monthOfName(m[1]!);
    return mo ? withClock(+m[3]!, mo, +m[2]!, m, 4) : null;
  }
  return null;
}

/**
 * The plausible window of a conversation's timestamp (SPEC §2): a date outside it is a reject, not
 * data. Without it one record dated 2099 moves "data as of" and every current month with it, and
 * one dated 9999 makes the month grid grow without bound.
 */
export interface TimeWindow {
  notBeforeMs: number;
  notAfterMs: number;
}

export const EARLIEST_PLAUSIBLE = '2000-01-01';
const DAY_MS = 86_400_000;

/** Not before 2000-01-01 (or `notBefore`), not after `nowMs` + 1 day (or `notAfter`, a date: its whole day). */
export function plausibleWindow(
  nowMs: number,
  opts: { notBefore?: string; notAfter?: string } = {},
): TimeWindow {
  const notBeforeMs = parseIsoTimestamp(opts.notBefore ?? EARLIEST_PLAUSIBLE);
  if (notBeforeMs === null) throw new RangeError(`not a date: "${opts.notBefore}"`);
  let notAfterMs = nowMs + DAY_MS;
  if (opts.notAfter !== undefined) {
    const ms = parseIsoTimestamp(opts.notAfter);
    if (ms === null) throw new RangeError(`not a date: "${opts.notAfter}"`);
    notAfterMs = opts.notAfter.length === 10 ? ms + DAY_MS - 1 : ms;
  }
  if (notAfterMs < notBeforeMs) throw new RangeError('the plausible window ends before it starts');
  return { notBeforeMs, notAfterMs };
}

/** Why a timestamp is outside the window, or null when it is inside. */
export function outsideWindow(ms: number, window: TimeWindow): string | null {
  if (ms < window.notBeforeMs) return `is before ${new Date(window.notBeforeMs).toISOString().slice(0, 10)}`;
  if (ms > window.notAfterMs) return `is after ${new Date(window.notAfterMs).toISOString().slice(0, 10)}`;
  return null;
}
