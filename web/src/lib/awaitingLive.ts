/**
 * What the Account page and its Markdown say of an account whose AI agent has no fully live month
 * in the data yet (the server's `awaitingLive`): it goes live after the data ends, or went live too
 * lately for a month of live rates. Its gap and next actions wait for that month.
 */
import { dateLabel } from './format.ts';

export function awaitingLiveNote(a: {
  awaitingLive?: true;
  aiLiveSince: string | null;
  dataAsOf: string | null;
}): string | null {
  if (!a.awaitingLive || !a.aiLiveSince) return null;
  const day = a.aiLiveSince.slice(0, 10);
  const future = a.dataAsOf === null || day > a.dataAsOf.slice(0, 10);
  return `The AI agent ${future ? 'goes' : 'went'} live on ${dateLabel(day)}: the gap to the potential and the next actions are read from its first full month live${future ? ', after the data ends' : ''}. Until then the potential is what the account could reach.`;
}
