import type { Classifier } from './classifier.ts';
import { classOf, leafForTopic } from './taxonomy.ts';
import { conversationText } from './text.ts';
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
  return classifier.classify(conversationText(c.messages));
}
