/**
 * A prospect whose export fits the taxonomy poorly (AccountDetail.poorTopicFit, ≥ 20% of its
 * support requests classified with low confidence): its topic names are nearest matches and its
 * potential is indicative. A review uploaded a utility's, a telecom's and a letting agent's exports:
 * the note at the top of the page was the only sign, and the headline potential (62–65%) looked
 * exactly like an e-commerce export's, in the saved list and the Markdown too.
 */
import { pct } from './format.ts';

/** The words beside the headline potential; null when the topics fit. */
export function indicativeLabel(poorTopicFit: number | null | undefined): string | null {
  if (poorTopicFit == null) return null;
  return `Indicative: ${pct(poorTopicFit)} of the requests match no topic well`;
}

/** What a customer reads instead of the team's caveat (no "before quoting the figures"). */
export function indicativeForCustomer(poorTopicFit: number | null | undefined): string | null {
  if (poorTopicFit == null) return null;
  return `A first reading: ${pct(poorTopicFit)} of the support requests could not be matched confidently to the topics our model knows, so the topics below are the nearest matches and the potential is indicative until it is checked on a sample of conversations.`;
}
