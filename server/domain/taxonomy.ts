import taxonomyJson from '../../data/taxonomy.json' with { type: 'json' };
import type { AutomationClass, Taxonomy, TaxonomyLeaf } from './types.ts';

export const taxonomy = taxonomyJson as Taxonomy;

const byId = new Map(taxonomy.leaves.map((leaf) => [leaf.id, leaf]));

export function leafById(id: string): TaxonomyLeaf | undefined {
  return byId.get(id);
}

export function classOf(id: string): AutomationClass {
  return byId.get(id)?.automationClass ?? 'informational';
}

/** Fallback leaf for text that matches nothing. */
export const FALLBACK_LEAF_ID = 'other.greeting';

/**
 * Leaves that are not a support request at all: greetings and unclear text, small talk and
 * off-topic text. (`other.business_hours` is a real request, answered from help content.)
 */
export const NON_REQUEST_LEAVES: ReadonlySet<string> = new Set(['other.greeting', 'other.out_of_scope']);

export function isNonRequest(id: string | null | undefined): boolean {
  return id != null && NON_REQUEST_LEAVES.has(id);
}

/** Lower-case, collapse separators: "Orders > Where is my order" → "orders > where is my order". */
export function normaliseTopic(topic: string): string {
  return topic
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .replace(/\s*[>/|:]\s*/g, ' > ')
    .trim();
}

const topicIndex = new Map<string, string>();
/** topics that name a leaf exactly (its id, label, or "Group > Label"), as against a help desk's alias */
const exactTopics = new Set<string>();
for (const leaf of taxonomy.leaves) {
  for (const alias of leaf.topicAliases) {
    const norm = normaliseTopic(alias);
    topicIndex.set(norm, leaf.id);
    // a path ("Account > Password reset") is a help desk's leaf-level category: as exact as the label
    if (norm.includes(' > ')) exactTopics.add(norm);
  }
  for (const exact of [
    normaliseTopic(leaf.label),
    normaliseTopic(`${leaf.group} > ${leaf.label}`),
    leaf.id,
    normaliseTopic(leaf.id),
  ]) {
    topicIndex.set(exact, leaf.id);
    exactTopics.add(exact);
  }
}

/**
 * A help desk's default or catch-all category ("General", "Other", "Uncategorized", "Other > Misc"):
 * it says nobody filed the request, not that it was a greeting. Read as no topic, so the customer's
 * words decide; as an alias of the greeting leaf it sent a whole Zoho export filed under "General"
 * to "Greeting or unclear request" at full confidence.
 */
const CATCH_ALL_TOPICS = new Set([
  'other',
  'others',
  'general',
  'general inquiry',
  'general enquiry',
  'general question',
  'general questions',
  'general support',
  'misc',
  'miscellaneous',
  'uncategorized',
  'uncategorised',
  'unclassified',
  'unknown',
  'none',
  'n > a',
  'na',
  '-',
  'default',
  'no category',
  'not set',
  'null',
  'undefined',
]);

function isCatchAllTopic(norm: string): boolean {
  return CATCH_ALL_TOPICS.has(norm) || norm.split(' > ').every((part) => CATCH_ALL_TOPICS.has(part));
}

/**
 * The leaf a source system's topic label names, and whether it names it exactly (the leaf's id,
 * label or "Group > Label") or through one of the aliases help desks use ("Account access",
 * "Billing > Refund"), which are often broader than the leaf.
 */
export function topicMatch(topic: string | null | undefined): { leafId: string; exact: boolean } | undefined {
  if (!topic) return undefined;
  const norm = normaliseTopic(topic);
  if (isCatchAllTopic(norm)) return undefined;
  const direct = topicIndex.get(norm);
  if (direct) return { leafId: direct, exact: exactTopics.has(norm) };
  // "Group > Sub > Leaf label": try the last segment alone.
  const last = norm.split(' > ').pop();
  const leafId = last ? topicIndex.get(last) : undefined;
  return leafId && last ? { leafId, exact: exactTopics.has(last) } : undefined;
}

/** The group part of a leaf id ("account" of "account.password_reset"). */
export function groupOfLeaf(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}
