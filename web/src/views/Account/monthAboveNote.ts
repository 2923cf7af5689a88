import type { AccountDetail } from '../../api/server-types.ts';
import { count, pct } from '../../lib/format.ts';

/**
 * What to say when this month's automation is already above the potential (read over the model
 * window): a CSM seeing 77.8% on the tile beside a 75.5% potential took the ceiling for wrong.
 */
export function monthAboveNote(
  a: Pick<
    AccountDetail,
    'automationRate' | 'automationPotential' | 'potentialHigh' | 'conversations' | 'status' | 'monthToDate'
  >,
): string | null {
  const month = a.automationRate;
  const potential = a.automationPotential;
  if (a.status === 'prospect' || month == null || potential == null || month <= potential) return null;
  const conversations = `${count(a.conversations)} conversation${a.conversations === 1 ? '' : 's'}`;
  const where =
    a.potentialHigh != null && month <= a.potentialHigh
      ? 'still inside the potential’s range'
      : 'above the potential’s range: the account may be moving past its peers’ level';
  return `This month’s ${pct(month)} (on ${conversations}${a.monthToDate ? ' so far' : ''}) is above the potential, ${where}; the potential is read over the whole window.`;
}
