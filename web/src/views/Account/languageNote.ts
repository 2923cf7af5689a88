/**
 * What a customer's Account page says about its conversations in a language the classifier does
 * not read (`AccountDetail.unreadable`): they sit under "Greeting or unclear request" with no confidence,
 * so the breakdown and the potential say nothing about them. Said from 1% of the model window.
 */
import type { AccountDetail } from '../../api/server-types.ts';
import { count, pct } from '../../lib/format.ts';

const NOTE_FROM_SHARE = 0.01;

export function languageNote(a: Pick<AccountDetail, 'unreadable' | 'months' | 'window'>): string | null {
  const n = a.unreadable ?? 0;
  if (n === 0) return null;
  const inWindow = a.months
    .filter((m) => m.month >= a.window.from && (a.window.to === '' || m.month <= a.window.to))
    .reduce((sum, m) => sum + m.conversations, 0);
  if (inWindow === 0 || n / inWindow < NOTE_FROM_SHARE) return null;
  return `${count(n)} conversations (${pct(n / inWindow)}) of the last ${a.window.months} months are in a language Cockpit’s classifier does not read (it reads English and Hindi-English): they are filed under “Greeting or unclear request” with no confidence, so the breakdown and the potential say nothing about their topics.`;
}
