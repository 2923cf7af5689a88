import type { Classifier } from './classifier.ts';
import { classOf, isNonRequest, leafForTopic } from './taxonomy.ts';
import { customerText, sentenceParts } from './text.ts';
import { type Classification, type Conversation, LOW_CONFIDENCE } from './types.ts';

/**
 * The most confident request among a long opening's sentences, or null. An e-mail that opens with
 * pleasantries and background ("I hope this finds you well. I have been a customer for years …")
 * reads as small talk or as a weak guess when taken whole, and its request may start past the
 * 320 characters read.
 */
function requestInParts(
  full: string,
  classifier: Classifier,
): { text: string; classification: Classification } | null {
  const parts = sentenceParts(full);
  if (parts.length < 2) return null;
  let best: { text: string; classification: Classification } | null = null;
  for (const part of parts) {
    const c = classifier.classify(part);
    if (c.unreadable || isNonRequest(c.taxonomyId)) continue;
    if (best === null || c.confidence > best.classification.confidence)
      best = { text: part, classification: c };
  }
  return best;
}

/**
 * The customer's words a conversation is classified by, and their classification: the opening
 * (its own words, `customerText`), or its most confident sentence when the whole is small talk, a
 * weak guess or too long to read whole, or the next messages after a greeting.
 */
export function readRequest(
  messages: Conversation['messages'],
  classifier: Classifier,
): { text: string; classification: Classification } {
  const opening = customerText(messages, 0);
  let read = { text: opening.text, classification: classifier.classify(opening.text) };
  if (read.classification.unreadable) return read;
  const first = read.classification;
  // read sentence by sentence when the whole is not a confident request, or is cut at 320 characters
  if (
    isNonRequest(first.taxonomyId) ||
    first.confidence < LOW_CONFIDENCE ||
    opening.full.length > opening.text.length
  ) {
    const inner = requestInParts(opening.full, classifier);
    if (inner && (isNonRequest(first.taxonomyId) || inner.classification.confidence > first.confidence))
      read = inner;
  }
  if (!isNonRequest(read.classification.taxonomyId)) return read;
  // a greeting or small talk first ("Hello there, hope you are having a lovely day"): the
  // request, if any, is in what the customer wrote next
  const rest = customerText(messages, opening.next);
  if (!rest.text) return read;
  const then = classifier.classify(rest.text);
  return isNonRequest(then.taxonomyId) ? read : { text: rest.text, classification: then };
}

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
  return readRequest(c.messages, classifier).classification;
}
