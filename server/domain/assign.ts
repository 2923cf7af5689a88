import type { Classifier } from './classifier.ts';
import { classOf, isNonRequest, leafForTopic } from './taxonomy.ts';
import { customerText } from './text.ts';
import type { Classification, Conversation } from './types.ts';

/**
 * The leaf of a conversation: its source topic when that names a leaf (the helpdesk's own
 * label, taken as certain), otherwise the classifier's reading of the customer's words.
 */
export function assignLeaf(
  c: Pick<Conversation, 'topic' | 'messages'>,
  classifier: Classifier,
): Classification {
  const fromTopic = leafForTopic(c.topic);
  if (fromTopic) return { taxonomyId: fromTopic, automationClass: classOf(fromTopic), confidence: 1 };
  const opening = customerText(c.messages, 0);
  const first = classifier.classify(opening.text);
  if (!isNonRequest(first.taxonomyId) || first.unreadable) return first;
  // a long greeting or small talk first ("Hello there, hope you are having a lovely day"): the
  // request, if any, is in what the customer wrote next
  const rest = customerText(c.messages, opening.next);
  if (!rest.text) return first;
  const then = classifier.classify(rest.text);
  return isNonRequest(then.taxonomyId) ? first : then;
}
