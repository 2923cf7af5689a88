/** Canonical export bundle shapes (SPEC §2) and shared domain types. */

export const RESOLUTION_STATES = [
  'confirmed_resolution',
  'assumed_resolution',
  'escalated',
  'procedure_handoff',
  'negative_feedback',
  'abandoned',
  'pending',
] as const;
export type ResolutionState = (typeof RESOLUTION_STATES)[number];

export const CHANNELS = ['chat', 'email', 'phone', 'social', 'messenger', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ROLES = ['customer', 'ai', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const AUTOMATION_CLASSES = ['informational', 'personalized', 'action', 'human'] as const;
export type AutomationClass = (typeof AUTOMATION_CLASSES)[number];

/**
 * Below this classifier confidence a conversation's topic counts as uncertain in the UI. The
 * confidence is calibrated (docs/classifier.md), so this reads "more likely wrong than right".
 */
export const LOW_CONFIDENCE = 0.5;

export const INTERVENTION_KINDS = [
  'content',
  'data_connector',
  'procedure',
  'guidance',
  'channel_rollout',
] as const;
export type InterventionKind = (typeof INTERVENTION_KINDS)[number];

export const VERTICALS = ['ecommerce', 'saas', 'fintech', 'travel', 'gaming', 'other'] as const;

export interface Message {
  role: Role;
  text: string;
  at?: string;
}

export interface Conversation {
  id: string;
  accountId: string;
  createdAt: string;
  channel: Channel;
  aiInvolved: boolean;
  aiResolutionState: ResolutionState | null;
  reopened?: boolean;
  csat?: number | null;
  topic?: string | null;
  tags?: string[];
  messages: Message[];
}

export interface Account {
  id: string;
  name: string;
  vertical: string;
  plan: string | null;
  arr: number | null;
  csm: string | null;
  region: string | null;
  aiLiveSince: string | null;
  status: 'customer' | 'prospect';
}

export interface Intervention {
  accountId: string;
  date: string;
  kind: InterventionKind;
  taxonomyId: string | null;
  note: string | null;
}

export interface TaxonomyLeaf {
  id: string;
  group: string;
  label: string;
  description: string;
  automationClass: AutomationClass;
  /** Source-system topic labels (normalised) that map onto this leaf. */
  topicAliases: string[];
  examples: string[];
}

export interface Taxonomy {
  version: string;
  name: string;
  classes: Record<AutomationClass, string>;
  leaves: TaxonomyLeaf[];
}

export interface Classification {
  taxonomyId: string;
  automationClass: AutomationClass;
  /** 0–1: how sure the classifier is of this leaf. */
  confidence: number;
  /**
   * Set when most of the text's words are ones the classifier does not read at all (another
   * language than English or Hindi-English): its leaf then says nothing about the request.
   */
  unreadable?: true;
}

/** Triage flags (SPEC §4). */
export type FlagKind = 'plateau' | 'climbing' | 'declining' | 'low_cx';
export interface Flag {
  kind: FlagKind;
  /** one sentence with the numbers behind the flag */
  reason: string;
}

/** What a next action asks the account to build (SPEC §4). */
export type ActionKind =
  | 'widen_audience'
  | 'content'
  | 'data_connector'
  | 'procedure'
  | 'routing'
  | 'guidance';
