import type { AccountDetail } from '../../api/server-types.ts';
import { dateLabel, monthLabel } from '../../lib/format.ts';

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
