/** Model (calibration) view: horizon ⇄ URL and the rows of its error tables. Pure and tested. */
import type { CeilingSummary, ErrorSummary, ModelResponse } from '../../api/server-types.ts';
import type { Horizon } from '../../charts/calibration.ts';
import { count, pct, verticalLabel } from '../../lib/format.ts';

export const DEFAULT_HORIZON: Horizon = 6;

export function parseHorizon(search: string | URLSearchParams): Horizon {
  const p = typeof search === 'string' ? new URLSearchParams(search) : search;
  return p.get('h') === '3' ? 3 : DEFAULT_HORIZON;
}

/** The default (M+6) is omitted, so the plain view stays `/model`. */
export function serializeHorizon(h: Horizon): string {
  return h === DEFAULT_HORIZON ? '' : `h=${h}`;
}

export interface ErrorRow {
  key: string;
  label: string;
  ceiling: CeilingSummary;
  h3: ErrorSummary;
  h6: ErrorSummary;
}

export function verticalRows(m: ModelResponse): ErrorRow[] {
  return m.byVertical.map((v) => ({
    key: v.vertical,
    label: verticalLabel(v.vertical),
    ceiling: v.ceiling,
    h3: v.h3,
    h6: v.h6,
  }));
}

export function actedRows(m: ModelResponse): ErrorRow[] {
  return [...m.byActed]
    .sort((a, b) => Number(b.acted) - Number(a.acted))
    .map((a) => ({
      key: a.acted ? 'acted' : 'not-acted',
      label: a.acted ? 'Acted on gaps' : 'Did not act',
      ceiling: a.ceiling,
      h3: a.h3,
      h6: a.h6,
    }));
}

/** The accounts and months behind the backtest at a horizon (the points the chart plots). */
export function backtestScope(
  m: ModelResponse,
  horizon: Horizon,
): {
  accounts: number;
  from: string | null;
  to: string | null;
} {
  const ids = new Set<string>();
  let from: string | null = null;
  let to: string | null = null;
  for (const p of m.points) {
    // only the months plotted at this horizon: M+6 has no outcome yet for the last 6 months
    if ((horizon === 3 ? p.actual3 : p.actual6) === null) continue;
    ids.add(p.accountId);
    if (from === null || p.month < from) from = p.month;
    if (to === null || p.month > to) to = p.month;
  }
  return { accounts: ids.size, from, to };
}

/** "The model over-predicts by 15.9 pts on average" — the bias in words (bias = mean(actual − predicted)). */
export function biasWords(bias: number | null): string {
  if (bias === null) return 'No backtest points yet';
  const pts = Math.abs(bias * 100).toFixed(1);
  if (Math.abs(bias) < 0.005) return 'No systematic over- or under-prediction';
  return bias < 0
    ? `Accounts reached ${pts} pts less than predicted on average: the potential is a ceiling, not a forecast`
    : `Accounts reached ${pts} pts more than predicted on average`;
}

type Ceiling = ModelResponse['ceiling'];
type PassShare = Ceiling['sustained'];

/**
 * The reading the ceiling is judged on: over 3 months in a row (the potential is a 3-month rate),
 * or a single month where no account-month has 3 in a row observed yet.
 */
export function headlinePass(c: Ceiling): PassShare {
  return c.sustained.n > 0 ? c.sustained : c;
}

const interval90 = (s: PassShare) =>
  s.exceededLow !== null && s.exceededHigh !== null ? `${pct(s.exceededLow)}–${pct(s.exceededHigh)}` : null;

/**
 * "over 3 months in a row · 331 account-months of 60 accounts · 90% interval 1.2%–7.0% · rarely
 * passed, … · in a single month 10.5% (5.0%–18.4%), a month's sampling noise included"
 */
export function ceilingFoot(c: Ceiling): string {
  const s = headlinePass(c);
  const interval = interval90(s);
  const head = `${s === c ? 'in any single month' : 'over 3 months in a row'} · ${count(s.n)} account-months of ${count(s.accounts)} ${s.accounts === 1 ? 'account' : 'accounts'}${interval ? ` · 90% interval ${interval}` : ''} · ${ceilingWords(s)}`;
  if (s === c || c.exceeded === null) return head;
  const single = interval90(c);
  return `${head} · in a single month ${pct(c.exceeded)}${single ? ` (${single})` : ''}, a month’s sampling noise included`;
}

function ceilingWords(c: PassShare): string {
  if (c.exceeded === null) return 'no outcomes yet';
  if (c.exceeded > 0.1) return 'passed too often: the ceiling is set too low';
  // the bar is 10%: say so only when the interval says so too
  return c.exceededHigh === null || c.exceededHigh <= 0.1
    ? 'rarely passed, as a ceiling should be'
    : 'rarely passed so far, but too few accounts to rule out more than 10%';
}

/** What the misses table lists: the passes of the ceiling first, then the largest shortfalls. */
export function missesNote(misses: readonly { error: number }[]): string {
  const passes = misses.filter((m) => m.error > 0).length;
  const n = misses.length - passes;
  const short = n === 1 ? 'the largest shortfall' : `the ${n} largest shortfalls`;
  if (passes === 0) return `no account passed its ceiling at M+3 or M+6: ${short}`;
  return `${passes} ${passes === 1 ? 'pass' : 'passes'} of the ceiling at M+3 or M+6 (the misses that count against it), then ${short} (headroom not yet used)`;
}
