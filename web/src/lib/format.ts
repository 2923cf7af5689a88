/**
 * One set of number formats for the whole app: percent with 1 decimal, counts with thousands
 * separators, ARR as $1.2M, and "—" for anything missing (SPEC §1: a rate with a zero denominator
 * is null and shows as "—").
 */
export const DASH = '—';

const countFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const pctFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function isNum(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * A fraction 0–1 as a percent with one decimal: 0.4237 → "42.4%". Never rounded onto an end it has
 * not reached: 0.0004 → "<0.1%" (a topic with 4 conv/mo in 25,000), 0.99996 → ">99.9%" (one
 * conversation in 25,000 without the AI agent is not "100.0%" involvement).
 */
export function pct(x: number | null | undefined): string {
  if (!isNum(x)) return DASH;
  if (x > 0 && x < 0.0005) return '<0.1%';
  if (x < 1 && x >= 0.9995) return '>99.9%';
  return `${pctFmt.format(x * 100)}%`;
}

/** A count with thousands separators: 12345.6 → "12,346". */
export function count(x: number | null | undefined): string {
  return isNum(x) ? countFmt.format(Math.round(x)) : DASH;
}

/** Under 10 once rounded to one decimal: 9.96 is "10", as 10.2 is, not "10.0". */
const underTen = (x: number) => Math.round(x * 10) < 100;

/** Conversations a month: a decimal under 10, so a small topic reads "0.3", not "0" beside its rates. */
export function perMonth(x: number | null | undefined): string {
  if (!isNum(x)) return DASH;
  return underTen(x) ? x.toFixed(1) : count(x);
}

/** A difference of two fractions in percentage points: 0.042 → "+4.2 pts". */
export function points(x: number | null | undefined, { signed = true, unit = true } = {}): string {
  if (!isNum(x)) return DASH;
  const v = x * 100;
  const rounded = Math.abs(v) < 0.05 ? 0 : v;
  const sign = signed && rounded > 0 ? '+' : rounded < 0 ? '−' : '';
  return `${sign}${oneDecimal.format(Math.abs(rounded))}${unit ? ' pts' : ''}`;
}

/** Relative change as a signed percent: 0.053 → "+5.3%". */
export function signedPct(x: number | null | undefined): string {
  if (!isNum(x)) return DASH;
  const v = x * 100;
  const rounded = Math.abs(v) < 0.05 ? 0 : v;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${pctFmt.format(Math.abs(rounded))}%`;
}

/** Money, compact: 1_234_567 → "$1.2M", 85_000 → "$85K", 950 → "$950". */
export function money(x: number | null | undefined): string {
  if (!isNum(x)) return DASH;
  const abs = Math.abs(x);
  const sign = x < 0 ? '−' : '';
  if (abs >= 999.95e6) return `${sign}$${trim1(abs / 1e9)}B`;
  if (abs >= 999_950) return `${sign}$${trim1(abs / 1e6)}M`;
  if (abs >= 999.5) return `${sign}$${trim1(abs / 1e3)}K`;
  return `${sign}$${countFmt.format(abs)}`;
}

function trim1(v: number): string {
  // 1.0 → "1", 1.25 → "1.3", 999.96 → "1000" (callers pick the unit first)
  const s = oneDecimal.format(v);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** CX score on its 1–5 scale with two decimals: 3.8421 → "3.84". */
export function score(x: number | null | undefined): string {
  return isNum(x) ? twoDecimals.format(x) : DASH;
}

/** Signed score change: 0.123 → "+0.12". */
export function signedScore(x: number | null | undefined): string {
  if (!isNum(x)) return DASH;
  const r = Math.round(x * 100) / 100;
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${twoDecimals.format(Math.abs(r))}`;
}

/** Agent hours a month behind `conversations` a month at `minutes` each (the CSM's own input). */
export function hoursSaved(conversations: number, minutes: number): number {
  return (conversations * minutes) / 60;
}

/** Hours, no decimals past 10: 3.25 → "3.3 h", 1234 → "1,234 h". */
export function hours(x: number | null | undefined): string {
  if (!isNum(x)) return DASH;
  return `${underTen(x) ? oneDecimal.format(x) : countFmt.format(Math.round(x))} h`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Sep ’26 – Nov ’26"; one month once ("Nov ’26", not "Nov ’26 – Nov ’26"). */
export function monthSpanLabel(from: string, to: string): string {
  return from === to ? monthLabel(from, true) : `${monthLabel(from, true)} – ${monthLabel(to, true)}`;
}

/** "2026-03" → "Mar 2026"; `short` → "Mar ’26". */
export function monthLabel(ym: string | null | undefined, short = false): string {
  if (!ym) return DASH;
  const m = /^(\d{4})-(\d{2})/.exec(ym);
  if (!m) return ym;
  const name = MONTHS[Number(m[2]) - 1] ?? m[2];
  return short ? `${name} ’${m[1]!.slice(2)}` : `${name} ${m[1]}`;
}

/** An ISO date or timestamp as "4 Mar 2026" (UTC, so it matches the data's calendar). */
export function dateLabel(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** An ISO timestamp as "4 Mar 2026, 10:22 UTC". */
export function dateTimeLabel(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return dateLabel(iso);
  return `${dateLabel(iso)}, ${m[4]}:${m[5]} UTC`;
}

/**
 * When the user did something (saved a prospect), in the viewer's own time zone: "4 Dec 2026".
 * Dates inside the data stay UTC (dateLabel); this is the user's own day, and a prospect saved at
 * 10:44 on 5 Dec in Kiribati must not read 4 Dec.
 */
export function localDateLabel(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return DASH;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const parts = localParts(ms, timeZone);
  return `${Number(parts.day)} ${MONTHS[Number(parts.month) - 1]} ${parts.year}`;
}

function localParts(ms: number, timeZone?: string): Record<string, string> {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  })
    .formatToParts(ms)
    .reduce<Record<string, string>>((acc, p) => {
      acc[p.type] = p.value;
      return acc;
    }, {});
}

/**
 * The moment of a user's own act in their time and in UTC, for a tooltip beside localDateLabel:
 * "7 Dec 2026, 15:08 your time (8 Dec 2026, 02:08 UTC)" — the day shown and the hover agree.
 */
export function localDateTimeLabel(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return DASH;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p = localParts(ms, timeZone);
  const local = `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}, ${p.hour}:${p.minute}`;
  const utc = dateTimeLabel(new Date(ms).toISOString());
  return `${local} your time (${utc})`;
}

/** Turns an id like "data_connector" or "low_cx" into "Data connector" / "Low cx". */
export function humanize(id: string): string {
  const s = id.replace(/[_.-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The verticals SPEC §2 names, as people write them; any other is humanized. */
const VERTICAL_NAMES: Record<string, string> = {
  saas: 'SaaS',
  ecommerce: 'E-commerce',
  fintech: 'Fintech',
  travel: 'Travel',
  gaming: 'Gaming',
  other: 'Other',
};

export function verticalLabel(vertical: string): string {
  return VERTICAL_NAMES[vertical.toLowerCase()] ?? humanize(vertical);
}
