/**
 * The compact, column-by-column form of the account list the triage table loads
 * (`GET /api/accounts?view=triage`, TriageResponse in api-types.ts). At 10,000 accounts the
 * documented shape is ~10 MB of JSON (1.4 MB gzipped); this one carries only the columns the table
 * shows, as integers in the unit the table displays (a rate the table shows as "<0.1%" or ">99.9%"
 * keeps a fraction of a per-mille, so it does: perMille).
 *
 * Rounding is done with the same Intl formats the web app displays with, so a value shows the
 * same digits in the triage table as on the account page (no double rounding at a .x5 boundary).
 */
import type { AccountSummary, AccountsResponse, FlagKind, TriageResponse } from './api-types.ts';

const FLAG_KINDS: FlagKind[] = ['plateau', 'climbing', 'declining', 'low_cx'];

const oneDecimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  useGrouping: false,
});
const twoDecimals = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  useGrouping: false,
});

/**
 * A fraction as the per-mille the table shows (pct: one decimal of a percent). A value that pct
 * shows as "<0.1%" or ">99.9%" keeps a fraction of a per-mille, so the browser's pct shows it so too
 * instead of "0.0%" or "100.0%".
 */
export function perMille(x: number | null): number | null {
  if (x == null || !Number.isFinite(x)) return null;
  if (x > 0 && x < 0.0005) return 0.1;
  if (x < 1 && x >= 0.9995) return 999.9;
  return wholePerMille(x);
}

/** The per-mille as a whole number, rounded as pct displays it. */
function wholePerMille(x: number | null): number | null {
  if (x == null || !Number.isFinite(x)) return null;
  return Math.round(Number(oneDecimal.format(x * 100)) * 10);
}

/** A number to hundredths, as the table shows it (score: two decimals). */
export function hundredths(x: number | null): number | null {
  if (x == null || !Number.isFinite(x)) return null;
  return Math.round(Number(twoDecimals.format(x)) * 100);
}

/**
 * Conversations a month to hundredths (the headline sums them over the rows it shows), kept on the
 * side of the whole number the table displays: 44.4985 is 44.49, not 44.50, which the table would
 * show as 45 beside the account page's 44.
 */
export function conversationHundredths(x: number | null): number | null {
  if (x == null || !Number.isFinite(x)) return null;
  const h = Math.round(x * 100);
  const shown = Math.round(x);
  if (Math.round(h / 100) === shown) return h;
  return h > shown * 100 ? h - 1 : h + 1;
}

/**
 * A trend as differences (month to month moves are a few points: short numbers that gzip well):
 * the first value as is, then each value minus the last non-null one before it; null stays null.
 */
export function deltas(values: (number | null)[]): (number | null)[] {
  let last: number | null = null;
  return values.map((v) => {
    if (v == null) return null;
    const d = last == null ? v : v - last;
    last = v;
    return d;
  });
}

/**
 * A trend as sent: the number of leading months without data first (before an account's first
 * conversation; about half of all the values at 10,000 accounts, and five characters each as
 * `null`), then the rest as `deltas`. [null, null, 412, 415, null, 409] → [2, 412, 3, null, -6].
 */
export function trendCode(values: (number | null)[]): (number | null)[] {
  let lead = 0;
  while (lead < values.length && values[lead] == null) lead++;
  return [lead, ...deltas(values.slice(lead))];
}

/** The triage columns of `body`'s accounts, in the triage's default order (largest gap first). */
export function triageColumns(body: AccountsResponse): TriageResponse {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const code = (s: string | null): number => {
    if (s == null) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = dict.length;
      dict.push(s);
      index.set(s, i);
    }
    return i;
  };
  // in the table's default order (gap conversations, largest first, then as listed): the browser's
  // sort of already-ordered rows is a single pass, so the first rows show sooner
  const ordered = body.accounts
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (y.a.gapConversations ?? -1) - (x.a.gapConversations ?? -1) || x.i - y.i)
    .map((x) => x.a);
  const col = <T>(f: (a: AccountSummary) => T): T[] => ordered.map(f);
  return {
    view: 'triage',
    dataAsOf: body.dataAsOf,
    month: body.month,
    monthToDate: body.monthToDate,
    totals: body.totals,
    count: body.accounts.length,
    dict,
    flagKinds: FLAG_KINDS,
    columns: {
      id: col((a) => a.id),
      name: col((a) => a.name),
      vertical: col((a) => code(a.vertical)),
      plan: col((a) => code(a.plan)),
      csm: col((a) => code(a.csm)),
      region: col((a) => code(a.region)),
      status: col((a) => code(a.status)),
      arr: col((a) => (a.arr == null ? null : Math.round(a.arr))),
      conversations: col((a) => a.conversations),
      resolved: col((a) => a.resolved),
      involvementRate: col((a) => perMille(a.involvementRate)),
      resolutionRate: col((a) => perMille(a.resolutionRate)),
      automationRate: col((a) => perMille(a.automationRate)),
      automationPotential: col((a) => perMille(a.automationPotential)),
      windowAutomationRate: col((a) => perMille(a.windowAutomationRate)),
      gapPoints: col((a) => perMille(a.gapPoints)),
      gapConversations: col((a) => conversationHundredths(a.gapConversations)),
      cxScore: col((a) => hundredths(a.cxScore)),
      // reasons repeat (a few dozen distinct ones at 10,000 accounts): dictionary-coded too
      flags: col((a) => a.flags.map((f): [number, number] => [FLAG_KINDS.indexOf(f.kind), code(f.reason)])),
      // the sparkline's points stay whole per-mille (its deltas are integers); only the table's
      // figures keep the "<0.1%" / ">99.9%" fractions
      trend: col((a) => trendCode(a.trend.map(wholePerMille))),
      awaitingLive: col((a) => (a.awaitingLive ? 1 : 0)),
      // prospects only, and few: listed by row rather than a column of 10,000 nulls
      poorTopicFit: ordered.flatMap((a, row): [number, number][] =>
        a.poorTopicFit === undefined ? [] : [[row, Math.round(a.poorTopicFit * 1000)]],
      ),
    },
  };
}
