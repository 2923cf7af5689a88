import type { AccountDetail } from '../../api/server-types.ts';
import { dateLabel, monthLabel, monthSpanLabel } from '../../lib/format.ts';

/**
 * What the model window holds: the last 3 months, or fewer where the account began inside them, or
 * where its AI agent went live inside them (the pipeline reads rates from its first full month live).
 */
export function windowWords(a: Pick<AccountDetail, 'window' | 'dataFrom' | 'aiLiveSince'>): string {
  if (!(a.window.months > 0 && a.window.months < 3)) return 'the last 3 months';
  // dataFrom is given only where the conversations began inside the window
  const began = a.dataFrom?.slice(0, 7);
  if (a.aiLiveSince && (began === undefined || began < a.window.from))
    return `its months with the AI agent live all month, since ${monthLabel(a.window.from)}: it went live on ${dateLabel(a.aiLiveSince)}`;
  return `this account’s conversations since ${monthLabel(a.window.from)}`;
}

/**
 * The months an account's breakdown and CX scores cover, for their headers. The CX is scored on
 * every conversation of the last 3 months (or since the account's first one), AI live or not, so
 * an agent that went live inside them starts the breakdown's rates later than the CX.
 */
export function windowLabels(a: Pick<AccountDetail, 'window' | 'dataFrom' | 'undated' | 'status'>): {
  breakdown: string;
  cx: string;
} {
  if (a.undated) return { breakdown: 'the whole export (no dates)', cx: 'the whole export (no dates)' };
  if (!(a.window.months > 0)) return { breakdown: 'last 3 months', cx: 'last 3 months' };
  const breakdown = monthSpanLabel(a.window.from, a.window.to);
  if (a.status === 'prospect') return { breakdown, cx: breakdown };
  const began = a.dataFrom?.slice(0, 7);
  const threeBack = monthsBefore(a.window.to, 2);
  const from = began !== undefined && began > threeBack ? began : threeBack;
  return { breakdown, cx: monthSpanLabel(from, a.window.to) };
}

/** "2026-02" two months back → "2025-12". */
function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
