/**
 * The latent "world" behind the demo data (v2, issue 10): every account is drawn from hidden
 * state, and the hidden state is written out as truth.json beside the bundle (generate.ts) so
 * tests and `npm run eval:truth` can check what the pipeline recovers. The pipeline never reads it.
 *
 * Per account and taxonomy leaf the world holds a **true ceiling** (involvement and resolution the
 * account would reach with every capability in place: content, data connector, procedure, full
 * audience) drawn around a per-vertical frontier, and a **current state** below it: a capability
 * that is missing, an audience not yet widened, a routing rule that keeps the AI agent away. Over
 * time the account acts on its own **next actions** (the leaf with the largest volume-weighted gap
 * to its ceiling), each month with its own adoption probability; each action closes part of that
 * leaf's gap (the planted effect, sometimes close to nothing) after a ramp. Go-live ramps the
 * involvement in over 150 days; some accounts suffer a regression (content gone stale after a
 * product change); volumes follow the vertical's seasonality with noise. Conversations are
 * sampled in generate.ts, where a satisfaction latent per conversation drives both the customer's
 * words and the CSAT answer.
 *
 * Three accounts carry seed scenarios (stable ids whatever the seed; present when the bundle has
 * at least SPECIAL_MIN_ACCOUNTS accounts). They get latent profiles, not scripted figures:
 *  - A `brightloom` (saas): full audience (~93% involvement) and a third of its volume on leaves
 *    missing their capability, then an improvement programme over the last six months (high
 *    adoption): resolution rises from ~65% towards its ceiling (~82%).
 *  - B `corvane-pay` (fintech): personalized and action leaves without data connectors or
 *    procedures (large gap), an early programme that stopped seven months before the end, and a
 *    size such that it resolves ~2,800 conversations a month: it is stuck.
 *  - C `mossgrove-home` (ecommerce): narrow audience and missing capabilities six months before
 *    the end, then a programme that closes almost every gap: it ends near its true ceiling, which
 *    is what a good potential predicted before the programme should have said.
 */
import { taxonomy } from '../../server/domain/taxonomy.ts';
import type {
  Account,
  AutomationClass,
  Channel,
  Intervention,
  InterventionKind,
} from '../../server/domain/types.ts';
import { cumulativeOf, hashSeed, Rng } from './rng.ts';

export const DEFAULT_END_DATE = '2026-11-18T16:00:00Z';
export const DAY = 86_400_000;

export const SPECIAL_IDS = { A: 'brightloom', B: 'corvane-pay', C: 'mossgrove-home' } as const;
/** Account positions (0-based) of the seed scenarios and of the two large generic ones. */
const SPECIAL_INDEX: Record<number, 'A' | 'B' | 'C' | 'big1' | 'big2'> = {
  11: 'A',
  13: 'big1',
  17: 'B',
  23: 'C',
  29: 'big2',
};
export const SPECIAL_MIN_ACCOUNTS = 24;

export interface Effect {
  at: number;
  ramp: number;
  dInv: number;
  dRes: number;
}

export interface LeafModel {
  id: string;
  group: string;
  label: string;
  cls: AutomationClass;
  weight: number;
  /** true ceiling: involvement and resolution with every capability in place */
  invCeil: number;
  resCeil: number;
  /** state at the start of the data */
  inv0: number;
  res0: number;
  effects: Effect[];
}

export interface MonthInfo {
  key: string;
  start: number;
  /** exclusive; the dataset end for the current month */
  end: number;
  /** full calendar length in ms */
  length: number;
}

export interface AccountModel {
  index: number;
  role: 'generic' | 'A' | 'B' | 'C' | 'big1' | 'big2';
  account: Account;
  liveMs: number;
  /** conversations exist from here on */
  dataStartMs: number;
  monthly: number[];
  leaves: LeafModel[];
  leafCum: Float64Array;
  channels: Channel[];
  channelCum: Float64Array;
  confirmedShare: number;
  reopenResolved: number;
  csatRate: number;
  /** account-level shift of the customers' satisfaction latent (tone, waits, policies) */
  satOffset: number;
  /** chance a month that the account acts on its next action */
  adoption: number;
  topicMode: 'none' | 'canonical' | 'custom';
  topicRate: number;
  customTopics: string[];
  tagRate: number;
  sloppiness: number;
  tzOffsetH: number;
  currency: string;
}

/** An intervention with the planted change it makes to its leaf's automation rate (truth). */
export interface PlantedIntervention extends Intervention {
  effect: number;
}

export interface World {
  seed: number;
  endMs: number;
  months: MonthInfo[];
  accounts: AccountModel[];
  interventions: PlantedIntervention[];
}

// ---------------------------------------------------------------------------------------------
// Static tables

const LEAVES = taxonomy.leaves;
const leafMeta = new Map(LEAVES.map((l) => [l.id, l]));

export const VERTICAL_LEAF_WEIGHTS: Record<string, Record<string, number>> = {
  ecommerce: {
    'orders.where_is_my_order': 18,
    'orders.change_order': 5,
    'orders.cancel_order': 5,
    'orders.missing_item': 4,
    'orders.place_order_help': 3,
    'shipping.delivery_options': 7,
    'shipping.change_address': 3,
    'shipping.damaged_parcel': 3,
    'refunds.return_policy': 7,
    'refunds.start_return': 7,
    'refunds.refund_status': 6,
    'refunds.request_refund': 4,
    'billing.payment_methods': 2,
    'billing.failed_payment': 2,
    'billing.unexpected_charge': 1,
    'billing.invoice_copy': 1,
    'account.password_reset': 2,
    'account.update_details': 1,
    'account.create_account': 1,
    'account.delete_account': 0.5,
    'howto.product_info': 6,
    'sales.discounts': 4,
    'sales.gift_cards': 2,
    'feedback.complaint': 2,
    'feedback.talk_to_human': 2,
    'feedback.suggestion': 1,
    'other.greeting': 2,
    'other.business_hours': 2,
    'privacy.data_request': 0.5,
  },
  saas: {
    'account.password_reset': 6,
    'account.login_problem': 7,
    'account.update_details': 2,
    'account.delete_account': 1,
    'account.create_account': 2,
    'subscription.cancel': 5,
    'subscription.change_plan': 5,
    'subscription.plan_info': 4,
    'subscription.renewal_status': 3,
    'howto.feature_usage': 16,
    'howto.setup_integration': 9,
    'tech.bug_report': 7,
    'tech.performance': 3,
    'tech.data_sync': 5,
    'billing.invoice_copy': 5,
    'billing.payment_methods': 1,
    'billing.failed_payment': 3,
    'billing.unexpected_charge': 1.5,
    'billing.update_payment_details': 2,
    'refunds.request_refund': 1.5,
    'sales.pricing_quote': 2,
    'feedback.suggestion': 2,
    'feedback.complaint': 1,
    'feedback.talk_to_human': 2,
    'other.greeting': 2,
    'privacy.data_request': 1,
    'privacy.suspicious_activity': 0.5,
  },
  fintech: {
    'payments.transfer_status': 15,
    'payments.card_block': 7,
    'payments.limits_fees': 8,
    'billing.failed_payment': 6,
    'billing.unexpected_charge': 5,
    'privacy.suspicious_activity': 4,
    'account.login_problem': 6,
    'account.password_reset': 5,
    'account.update_details': 4,
    'account.create_account': 4,
    'account.delete_account': 1.5,
    'refunds.request_refund': 2,
    'billing.invoice_copy': 1,
    'billing.payment_methods': 1,
    'billing.update_payment_details': 1,
    'tech.performance': 2,
    'tech.bug_report': 2,
    'feedback.complaint': 2,
    'feedback.talk_to_human': 3,
    'other.greeting': 2,
    'other.business_hours': 2,
    'privacy.data_request': 1,
    'subscription.plan_info': 1,
    'subscription.change_plan': 1,
  },
  travel: {
    'booking.change_booking': 14,
    'booking.booking_status': 12,
    'booking.baggage_policy': 9,
    'refunds.request_refund': 8,
    'refunds.refund_status': 6,
    'billing.payment_methods': 2,
    'billing.failed_payment': 2,
    'billing.unexpected_charge': 2,
    'billing.invoice_copy': 2,
    'account.password_reset': 1.5,
    'account.update_details': 1.5,
    'account.create_account': 1,
    'feedback.complaint': 4,
    'feedback.talk_to_human': 4,
    'other.greeting': 2,
    'other.business_hours': 3,
    'sales.discounts': 2,
    'sales.gift_cards': 1,
    'howto.feature_usage': 1,
    'tech.performance': 1,
    'feedback.suggestion': 1,
    'privacy.data_request': 0.5,
  },
  gaming: {
    'gaming.purchase_missing': 16,
    'gaming.ban_appeal': 9,
    'account.password_reset': 6,
    'account.login_problem': 7,
    'account.update_details': 2,
    'account.delete_account': 2,
    'account.create_account': 2,
    'tech.bug_report': 9,
    'tech.performance': 5,
    'tech.data_sync': 3,
    'refunds.request_refund': 5,
    'billing.failed_payment': 3,
    'billing.unexpected_charge': 3,
    'billing.payment_methods': 1,
    'sales.gift_cards': 3,
    'howto.feature_usage': 3,
    'feedback.suggestion': 3,
    'feedback.complaint': 2,
    'feedback.talk_to_human': 2,
    'other.greeting': 3,
    'privacy.suspicious_activity': 2,
    'sales.discounts': 1,
    'subscription.cancel': 2,
    'subscription.renewal_status': 1,
  },
  other: {
    'billing.invoice_copy': 8,
    'billing.failed_payment': 5,
    'billing.unexpected_charge': 5,
    'billing.update_payment_details': 4,
    'billing.payment_methods': 3,
    'account.password_reset': 5,
    'account.login_problem': 4,
    'account.update_details': 6,
    'account.create_account': 3,
    'account.delete_account': 1,
    'subscription.cancel': 5,
    'subscription.change_plan': 5,
    'subscription.plan_info': 5,
    'subscription.renewal_status': 4,
    'howto.feature_usage': 4,
    'tech.performance': 3,
    'tech.bug_report': 2,
    'feedback.complaint': 3,
    'feedback.talk_to_human': 3,
    'other.greeting': 2,
    'other.business_hours': 5,
    'privacy.data_request': 1,
    'feedback.suggestion': 1,
  },
};

const VERTICAL_CHANNELS: Record<string, [Channel, number][]> = {
  ecommerce: [
    ['chat', 55],
    ['email', 24],
    ['messenger', 10],
    ['social', 8],
    ['phone', 3],
  ],
  saas: [
    ['chat', 66],
    ['email', 29],
    ['phone', 2],
    ['other', 3],
  ],
  fintech: [
    ['chat', 62],
    ['email', 18],
    ['messenger', 10],
    ['phone', 5],
    ['social', 5],
  ],
  travel: [
    ['chat', 45],
    ['email', 30],
    ['messenger', 12],
    ['social', 8],
    ['phone', 5],
  ],
  gaming: [
    ['chat', 58],
    ['social', 16],
    ['email', 15],
    ['messenger', 9],
    ['other', 2],
  ],
  other: [
    ['chat', 55],
    ['email', 30],
    ['messenger', 8],
    ['social', 4],
    ['phone', 3],
  ],
};

const SEASONALITY: Record<string, number[]> = {
  // Jan..Dec
  ecommerce: [1.1, 0.95, 0.95, 0.95, 1, 0.95, 0.95, 1, 1, 1.05, 1.25, 1.35],
  travel: [0.9, 0.9, 0.95, 1, 1.05, 1.2, 1.3, 1.25, 1, 0.9, 0.85, 1.05],
  gaming: [1.05, 0.95, 0.95, 0.95, 0.95, 1, 1.1, 1.05, 0.95, 0.95, 1.05, 1.2],
  saas: [1, 1, 1.05, 1, 1, 0.95, 0.9, 0.9, 1.05, 1.05, 1, 0.9],
  fintech: [1.05, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.1],
  other: [1.05, 1, 1, 1, 1, 1, 0.95, 0.95, 1, 1, 1, 1.05],
};

/** resolution probability without / with the class's capability (content, data, procedure) */
const RES_LEVEL: Record<AutomationClass, [number, number]> = {
  informational: [0.5, 0.84],
  personalized: [0.27, 0.8],
  action: [0.2, 0.78],
  human: [0.07, 0.1],
};
const CLASS_INV: Record<AutomationClass, number> = {
  informational: 1,
  personalized: 0.98,
  action: 0.97,
  human: 0.88,
};
const CLASS_KIND: Record<AutomationClass, InterventionKind> = {
  informational: 'content',
  personalized: 'data_connector',
  action: 'procedure',
  human: 'guidance',
};

const STEMS = [
  'Alder',
  'Amberly',
  'Arclight',
  'Ashby',
  'Aurelia',
  'Basalt',
  'Birchwood',
  'Bluefin',
  'Bramble',
  'Cairn',
  'Calder',
  'Canopy',
  'Cedarline',
  'Cinder',
  'Cobalt',
  'Copperleaf',
  'Cresta',
  'Driftwood',
  'Dunmore',
  'Elmstead',
  'Emberly',
  'Fernhill',
  'Fjordal',
  'Foxglove',
  'Galewind',
  'Granite',
  'Halcyon',
  'Harbor',
  'Heron',
  'Highgate',
  'Hollis',
  'Ivyline',
  'Juniper',
  'Kestrel',
  'Kinfolk',
  'Larkspur',
  'Linden',
  'Lumen',
  'Marlow',
  'Meadowlark',
  'Merrow',
  'Nimbus',
  'Northwind',
  'Oakhaven',
  'Olivine',
  'Orchard',
  'Pebble',
  'Peregrine',
  'Pinecrest',
  'Quarry',
  'Quill',
  'Radiant',
  'Redwood',
  'Riverstone',
  'Rowan',
  'Saffron',
  'Sagebrush',
  'Sable',
  'Seabright',
  'Silverline',
  'Sparrow',
  'Stillwater',
  'Summit',
  'Tamarack',
  'Thistle',
  'Tidewater',
  'Torrent',
  'Umber',
  'Vale',
  'Verdant',
  'Wavecrest',
  'Westbrook',
  'Willow',
  'Wrenfield',
  'Yarrow',
  'Zephyr',
  'Zinnia',
  'Oriel',
  'Palisade',
  'Quayside',
  'Solstice',
  'Tandem',
  'Vantage',
  'Wildfern',
  'Ardent',
  'Brisk',
  'Crestline',
  'Dapple',
  'Everly',
  'Glimmer',
  'Hearth',
  'Inkwell',
  'Jubilee',
  'Keel',
];
const SUFFIXES: Record<string, string[]> = {
  ecommerce: [
    'Outfitters',
    'Home',
    'Goods',
    'Market',
    'Apparel',
    'Supply Co.',
    'Living',
    'Kitchen',
    'Beauty',
    'Outdoor',
  ],
  saas: ['Labs', 'HQ', 'Cloud', 'Analytics', 'Systems', 'Software', 'Works', 'Data'],
  fintech: ['Pay', 'Bank', 'Wallet', 'Capital', 'Money', 'Finance'],
  travel: ['Travel', 'Air', 'Stays', 'Journeys', 'Rail', 'Holidays'],
  gaming: ['Games', 'Studios', 'Interactive', 'Arcade', 'Play'],
  other: ['Energy', 'Mobile', 'Academy', 'Health', 'Insurance', 'Telecom'],
};
export const CSMS = [
  'Priya Natarajan',
  'Tomás Ferreira',
  'Hannah Okafor',
  'Lukas Brandt',
  'Mei Lin Zhou',
  'Daniel Osei',
  'Sofia Marchetti',
];
const REGIONS: [string, number, number, string][] = [
  // name, weight, utc offset (h), currency symbol
  ['NA', 40, -5, '$'],
  ['EMEA', 35, 1, '€'],
  ['APAC', 15, 8, '$'],
  ['LATAM', 10, -3, '$'],
];
const VERTICAL_ORDER = ['ecommerce', 'saas', 'fintech', 'travel', 'gaming', 'other'];
const VERTICAL_WEIGHTS = [30, 25, 15, 12, 10, 8];
const CUSTOM_TOPIC_SETS = [
  ['WISMO', 'Tier 1', 'General enquiry', 'Escalations', 'Misc'],
  ['Queue A', 'Queue B', 'VIP desk', 'Inbox triage'],
  ['Pre-sales', 'Post-sales', 'Ops', 'Other stuff'],
];

const NOTES: Record<InterventionKind, string[]> = {
  content: [
    'Rewrote the help articles on {label} and added them to the AI agent sources',
    'New FAQ snippets for {label}, reviewed by the support lead',
    'Filled content gaps on {label} found in unresolved conversations',
  ],
  data_connector: [
    'Connected the {label} lookup API so the AI agent can read live customer data',
    'Data connector for {label} went live',
    'AI agent can now fetch account records for {label}',
  ],
  procedure: [
    'Built a procedure so the AI agent completes {label} end to end',
    'Procedure for {label} live after two weeks of testing',
    'Automated the {label} workflow with a task the AI agent runs',
  ],
  guidance: [
    'Tuned the AI agent guidance for {label}: tone, clarifying questions and when to hand over',
    'Added guidance on {label} edge cases',
    'Clarified handover rules for {label}',
  ],
  channel_rollout: [
    'AI agent now also answers {label} conversations on email and messenger',
    'Widened the AI agent audience for {label} to all customers',
    'Removed the {label} routing rule that bypassed the AI agent',
  ],
};

// ---------------------------------------------------------------------------------------------
// Helpers

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function rampFactor(e: Effect, t: number): number {
  if (t <= e.at) return 0;
  if (e.ramp <= 0 || t >= e.at + e.ramp) return 1;
  return (t - e.at) / e.ramp;
}

const LIVE_RAMP = 150 * DAY;

/** Latent involvement and resolution probability of one account on one leaf at time t. */
export function leafRates(
  acc: AccountModel,
  leaf: LeafModel,
  t: number,
  out: [number, number],
): [number, number] {
  if (t < acc.liveMs) {
    out[0] = 0;
    out[1] = 0;
    return out;
  }
  const live = t >= acc.liveMs + LIVE_RAMP ? 1 : 0.45 + (0.55 * (t - acc.liveMs)) / LIVE_RAMP;
  let inv = leaf.inv0;
  let res = leaf.res0;
  for (const e of leaf.effects) {
    const f = rampFactor(e, t);
    if (f > 0) {
      inv += e.dInv * f;
      res += e.dRes * f;
    }
  }
  out[0] = clamp(inv, 0, 0.99) * live;
  out[1] = clamp(res, 0.01, 0.97);
  return out;
}

/** A leaf's involvement and resolution once every effect planned up to t has fully ramped in. */
function plannedRates(leaf: LeafModel, t: number): [number, number] {
  let inv = leaf.inv0;
  let res = leaf.res0;
  for (const e of leaf.effects) {
    if (e.at <= t) {
      inv += e.dInv;
      res += e.dRes;
    }
  }
  return [clamp(inv, 0, 0.99), clamp(res, 0.01, 0.97)];
}

export interface ExpectedRates {
  involvement: number;
  resolution: number;
  automation: number;
}

/** Expected account-level rates over [from, to), averaging the latent model on a time grid. */
export function expectedRates(acc: AccountModel, from: number, to: number, steps = 40): ExpectedRates {
  const out: [number, number] = [0, 0];
  let inv = 0;
  let resd = 0;
  let wsum = 0;
  for (let s = 0; s < steps; s++) {
    const t = from + ((s + 0.5) * (to - from)) / steps;
    for (const leaf of acc.leaves) {
      leafRates(acc, leaf, t, out);
      inv += leaf.weight * out[0];
      resd += leaf.weight * out[0] * out[1];
      wsum += leaf.weight;
    }
  }
  return { involvement: inv / wsum, resolution: inv > 0 ? resd / inv : 0, automation: resd / wsum };
}

/** The true ceiling: the automation rate with every leaf at its ceiling, over the account's mix. */
export function trueCeiling(acc: AccountModel): number {
  let s = 0;
  for (const l of acc.leaves) s += l.weight * l.invCeil * l.resCeil;
  return s;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function monthInfos(endMs: number, months: number): MonthInfo[] {
  const d = new Date(endMs);
  const out: MonthInfo[] = [];
  for (let k = months - 1; k >= 0; k--) {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - k, 1);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - k + 1, 1);
    out.push({
      key: new Date(start).toISOString().slice(0, 7),
      start,
      end: Math.min(next, endMs),
      length: next - start,
    });
  }
  return out;
}

/** Start of the calendar month `k` months before the end month (k = 0: the end month). */
function monthStartBack(endMs: number, k: number): number {
  const d = new Date(endMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - k, 1);
}

function noteFor(rng: Rng, kind: InterventionKind, leaf: LeafModel | null): string {
  const label = leaf ? `'${leaf.label}'` : 'all topics';
  return rng.pick(NOTES[kind]).replace('{label}', label);
}

// ---------------------------------------------------------------------------------------------
// Leaves: frontier, ceilings, current state

/** What the best-equipped accounts of a vertical reach on a leaf (world-level, by seed). */
function frontier(seed: number, vertical: string, id: string): { inv: number; res: number } {
  const cls = leafMeta.get(id)!.automationClass;
  const rng = Rng.derive(seed, 'frontier', vertical, id);
  return {
    inv: clamp(0.97 * CLASS_INV[cls] + rng.normal(0, 0.02), 0.6, 0.99),
    res: clamp(RES_LEVEL[cls][1] + rng.normal(0, 0.05), 0.05, 0.95),
  };
}

interface LeafDraw {
  /** missing capability: resolution sits at this fraction of the ceiling */
  missing: boolean;
  /** share of the audience the AI agent sees on this leaf */
  audience: number;
}

function drawLeaf(
  seed: number,
  vertical: string,
  id: string,
  weight: number,
  rng: Rng,
  ceilShift: number,
  draw: LeafDraw,
): LeafModel {
  const meta = leafMeta.get(id);
  if (!meta) throw new Error(`unknown taxonomy leaf ${id}`);
  const cls = meta.automationClass;
  const f = frontier(seed, vertical, id);
  const invCeil = clamp(f.inv + rng.normal(0, 0.015), 0.5, 0.99);
  const resCeil = clamp(f.res + ceilShift + rng.normal(0, 0.03), 0.04, 0.96);
  const [lo, hi] = RES_LEVEL[cls];
  const missing = cls !== 'human' && draw.missing;
  const res0 = missing
    ? resCeil * clamp((lo / hi) * (1 + rng.normal(0, 0.12)), 0.1, 0.8)
    : resCeil - Math.abs(rng.normal(0, 0.015));
  const inv0 = invCeil * draw.audience - Math.abs(rng.normal(0, 0.01));
  return {
    id,
    group: meta.group,
    label: meta.label,
    cls,
    weight,
    invCeil,
    resCeil,
    inv0: clamp(inv0, 0.02, 0.99),
    res0: clamp(res0, 0.01, 0.96),
    effects: [],
  };
}

function finishLeaves(m: AccountModel) {
  const total = m.leaves.reduce((s, l) => s + l.weight, 0);
  for (const l of m.leaves) l.weight /= total;
  m.leafCum = cumulativeOf(m.leaves.map((l) => l.weight));
}

/** Generic accounts: the vertical's topic table, capabilities more likely the longer they are live. */
function buildLeaves(
  seed: number,
  m: AccountModel,
  rng: Rng,
  audience: number,
  table: Record<string, number>,
  pMissing: (cls: AutomationClass) => number,
  ceilShift = rng.normal(0, 0.01),
  pRouted = 0.07,
) {
  for (const [id, base] of Object.entries(table)) {
    if (base < 3 && rng.chance(0.25)) continue;
    const cls = leafMeta.get(id)!.automationClass;
    const weight = base * Math.exp(rng.normal(0, 0.45));
    const routed = rng.chance(pRouted); // kept away from the AI agent by a routing rule
    const leaf = drawLeaf(seed, m.account.vertical, id, weight, rng, ceilShift, {
      missing: rng.chance(pMissing(cls)),
      audience: routed ? audience * 0.4 : audience,
    });
    m.leaves.push(leaf);
  }
  finishLeaves(m);
}

// ---------------------------------------------------------------------------------------------
// Actions: each month the account may act on its own next action

type AddIntervention = (
  acc: AccountModel,
  at: number,
  kind: InterventionKind,
  leaf: LeafModel | null,
  effect: number,
  rng: Rng,
) => void;

interface Programme {
  from: number;
  to: number;
  /** chance per step that the account acts */
  adoption: number;
  /** days between decisions */
  stepDays: number;
  /** the share of the gap an action closes when it works */
  closes: [number, number];
  /** chance an action works at all */
  works: number;
}

/**
 * Acts on the account's next actions: at each step, with the programme's adoption probability,
 * the leaf with the largest volume-weighted gap to its ceiling (as the account stands then; one of
 * the top three, most often the first) gets the fix its gap calls for.
 */
function runProgramme(m: AccountModel, p: Programme, rng: Rng, add: AddIntervention) {
  for (let t = p.from; t < p.to; t += p.stepDays * DAY) {
    if (!rng.chance(p.adoption)) continue;
    const at = Math.floor(Math.min(p.to, t + rng.range(0, p.stepDays * 0.6) * DAY) / DAY) * DAY;
    const gaps = m.leaves
      .map((leaf) => {
        const [inv, res] = plannedRates(leaf, at);
        return { leaf, inv, res, gap: leaf.weight * (leaf.invCeil * leaf.resCeil - inv * res) };
      })
      .filter((g) => g.gap > 0.004)
      .sort((a, b) => b.gap - a.gap);
    if (gaps.length === 0) return;
    // an audience narrower than it could be on most topics is widened for all of them at once
    let wide = 0;
    let wideGap = 0;
    for (const g of gaps) {
      wide += g.leaf.weight * Math.max(0, g.leaf.invCeil - g.inv);
      wideGap += g.leaf.weight * Math.max(0, g.leaf.invCeil - g.inv) * g.res;
    }
    if (wide > 0.06 && wideGap > gaps[0]!.gap) {
      const closes = rng.chance(p.works) ? rng.range(p.closes[0], p.closes[1]) : rng.range(0, 0.12);
      const ramp = rng.range(10, 35) * DAY;
      let effect = 0;
      for (const g of gaps) {
        const dInv = Math.max(0, g.leaf.invCeil - g.inv) * closes;
        if (dInv <= 0) continue;
        g.leaf.effects.push({ at, ramp, dInv, dRes: 0 });
        effect += g.leaf.weight * dInv * g.res;
      }
      add(m, at, 'channel_rollout', null, effect, rng);
      continue;
    }
    const r = rng.next();
    const g = gaps[Math.min(gaps.length - 1, r < 0.65 ? 0 : r < 0.88 ? 1 : 2)]!;
    const { leaf, inv, res } = g;
    const closes = rng.chance(p.works) ? rng.range(p.closes[0], p.closes[1]) : rng.range(0, 0.12);
    let kind: InterventionKind;
    let dInv = 0;
    let dRes = 0;
    if (inv < 0.85 * leaf.invCeil) {
      kind = 'channel_rollout';
      dInv = (leaf.invCeil - inv) * closes;
    } else if (leaf.cls !== 'human' && res < leaf.resCeil - 0.12) {
      kind = CLASS_KIND[leaf.cls];
      dRes = (leaf.resCeil - res) * closes;
    } else {
      kind = 'guidance';
      dRes = (leaf.resCeil - res) * closes;
      dInv = (leaf.invCeil - inv) * closes;
    }
    const effect = (inv + dInv) * (res + dRes) - inv * res;
    leaf.effects.push({ at, ramp: rng.range(10, 35) * DAY, dInv, dRes });
    add(m, at, kind, leaf, effect, rng);
  }
}

/** Content gone stale after a product change: resolution drops on a few informational leaves. */
function regression(m: AccountModel, at: number, rng: Rng) {
  const candidates = m.leaves
    .filter((l) => l.cls === 'informational' || l.cls === 'personalized')
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 5);
  for (const leaf of rng.shuffle(candidates).slice(0, rng.int(3, 4))) {
    const [, res] = plannedRates(leaf, at);
    leaf.effects.push({ at, ramp: rng.range(20, 45) * DAY, dInv: 0, dRes: -res * rng.range(0.3, 0.5) });
  }
}

// ---------------------------------------------------------------------------------------------
// World construction

export interface WorldOptions {
  accounts: number;
  months: number;
  seed: number;
  endDate: string;
  /** multiplies every account's volume (tests use a small scale for speed) */
  volumeScale?: number;
}

interface Draft {
  model: AccountModel;
  /** final full-month volume before seasonality */
  size: number;
  growth: number;
}

const SCENARIO_A: [string, number][] = [
  ['howto.feature_usage', 16],
  ['howto.setup_integration', 10],
  ['account.password_reset', 9],
  ['account.login_problem', 8],
  ['subscription.change_plan', 6],
  ['subscription.cancel', 5],
  ['subscription.plan_info', 6],
  ['billing.invoice_copy', 7],
  ['billing.update_payment_details', 4],
  ['tech.bug_report', 6],
  ['tech.performance', 4],
  ['tech.data_sync', 6],
  ['account.update_details', 3],
  ['feedback.suggestion', 3],
  ['sales.pricing_quote', 2],
  ['other.greeting', 2],
  ['feedback.talk_to_human', 2],
  ['privacy.data_request', 1],
];
/** A's leaves without their capability before its programme */
const A_MISSING = new Set([
  'howto.setup_integration',
  'account.password_reset',
  'howto.feature_usage',
  'subscription.change_plan',
  'tech.performance',
  'subscription.cancel',
]);

const SCENARIO_B: [string, number][] = [
  ['payments.transfer_status', 17],
  ['payments.card_block', 10],
  ['payments.limits_fees', 11],
  ['billing.failed_payment', 9],
  ['account.login_problem', 8],
  ['account.password_reset', 7],
  ['account.update_details', 7],
  ['billing.unexpected_charge', 6],
  ['privacy.suspicious_activity', 5],
  ['refunds.request_refund', 4],
  ['account.create_account', 6],
  ['other.business_hours', 4],
  ['other.greeting', 3],
  ['feedback.talk_to_human', 3],
  ['billing.payment_methods', 2],
  ['account.delete_account', 2],
];
const B_TARGET_RESOLVED = 2_800;

const SCENARIO_C: [string, number][] = [
  ['orders.where_is_my_order', 20],
  ['refunds.return_policy', 9],
  ['shipping.delivery_options', 9],
  ['refunds.start_return', 9],
  ['refunds.refund_status', 8],
  ['orders.cancel_order', 6],
  ['howto.product_info', 7],
  ['orders.change_order', 5],
  ['orders.missing_item', 3],
  ['shipping.damaged_parcel', 2],
  ['sales.discounts', 4],
  ['billing.payment_methods', 3],
  ['other.greeting', 3],
  ['feedback.talk_to_human', 1.5],
];

export function buildWorld(opts: WorldOptions): World {
  const endMs = Date.parse(opts.endDate);
  if (Number.isNaN(endMs)) throw new Error(`invalid endDate ${opts.endDate}`);
  const months = monthInfos(endMs, opts.months);
  const windowStart = months[0]!.start;
  const scale = opts.volumeScale ?? 1;
  const seed = opts.seed;
  const worldRng = Rng.derive(seed, 'world');
  const withSpecials = opts.accounts >= SPECIAL_MIN_ACCOUNTS;

  // names: a seeded shuffle of stem x suffix, special stems reserved
  const stems = worldRng.shuffle(STEMS);
  const usedIds = new Set<string>(Object.values(SPECIAL_IDS));
  const suffixCursor: Record<string, number> = {};
  let stemCursor = 0;
  const nameFor = (vertical: string): { name: string; id: string } => {
    for (let attempt = 0; ; attempt++) {
      const stem = stems[stemCursor % stems.length]!;
      const round = Math.floor(stemCursor / stems.length);
      stemCursor++;
      const sufs = SUFFIXES[vertical] ?? SUFFIXES.other!;
      const c = suffixCursor[vertical] ?? worldRng.int(0, sufs.length - 1);
      suffixCursor[vertical] = c + 1;
      const base = `${stem} ${sufs[c % sufs.length]}`;
      const name = round > 0 ? `${base} ${round + 1}` : base;
      const id = slugify(name);
      if (!usedIds.has(id) || attempt > 50) {
        const unique = usedIds.has(id) ? `${id}-${stemCursor}` : id;
        usedIds.add(unique);
        return { name, id: unique };
      }
    }
  };

  const drafts: Draft[] = [];
  const interventions: PlantedIntervention[] = [];
  const addIntervention: AddIntervention = (acc, at, kind, leaf, effect, rng) => {
    interventions.push({
      accountId: acc.account.id,
      date: isoDate(at),
      kind,
      taxonomyId: leaf ? leaf.id : null,
      note: noteFor(rng, kind, leaf),
      effect,
    });
  };

  for (let i = 0; i < opts.accounts; i++) {
    const role = withSpecials ? (SPECIAL_INDEX[i] ?? 'generic') : i === 13 ? 'big1' : 'generic';
    const rng = Rng.derive(seed, 'account', i);
    const vertical =
      role === 'A'
        ? 'saas'
        : role === 'B'
          ? 'fintech'
          : role === 'C'
            ? 'ecommerce'
            : role === 'big1'
              ? 'fintech'
              : role === 'big2'
                ? 'ecommerce'
                : i < VERTICAL_ORDER.length
                  ? VERTICAL_ORDER[i]!
                  : VERTICAL_ORDER[rng.pickCumulative(cumulativeOf(VERTICAL_WEIGHTS))]!;
    let name: string;
    let id: string;
    if (role === 'A') [name, id] = ['Brightloom Software', SPECIAL_IDS.A];
    else if (role === 'B') [name, id] = ['Corvane Pay', SPECIAL_IDS.B];
    else if (role === 'C') [name, id] = ['Mossgrove Home', SPECIAL_IDS.C];
    else ({ name, id } = nameFor(vertical));

    const region = REGIONS[rng.pickCumulative(cumulativeOf(REGIONS.map((r) => r[1])))]!;
    let size =
      role === 'big1'
        ? 10_000
        : role === 'big2'
          ? 4_000
          : clamp(Math.exp(Math.log(200) + rng.normal(0, 0.85)), 45, 3_500);
    if (role === 'A') size = 2_400;
    if (role === 'C') size = 1_900;
    if (role === 'B') size = 6_800; // set from the resolved volume below
    const tenureDays =
      role === 'A'
        ? 760
        : role === 'B'
          ? 900
          : role === 'C'
            ? 560
            : role === 'big1' || role === 'big2'
              ? rng.range(600, 1200)
              : rng.chance(0.75)
                ? rng.range(340, 1150)
                : rng.range(45, 330);
    const liveMs = Math.floor((endMs - tenureDays * DAY) / DAY) * DAY;
    const dataStartMs =
      liveMs > windowStart
        ? Math.max(windowStart, liveMs - Math.floor(rng.range(20, 60)) * DAY)
        : windowStart;
    const plan =
      size > 2_500
        ? 'enterprise'
        : size > 500
          ? rng.chance(0.75)
            ? 'growth'
            : 'enterprise'
          : rng.chance(0.8)
            ? 'starter'
            : 'growth';
    const planBase = plan === 'enterprise' ? 90_000 : plan === 'growth' ? 24_000 : 7_000;
    const arr = Math.round((planBase * rng.range(0.7, 1.4) + size * 12 * rng.range(1.5, 3.5)) / 500) * 500;
    const channelsSpec = VERTICAL_CHANNELS[vertical]!;
    const channelWeights = channelsSpec.map(([, w]) => w * Math.exp(rng.normal(0, 0.25)));
    const topicRoll = rng.next();
    const topicMode: AccountModel['topicMode'] =
      role === 'A' || role === 'C'
        ? 'canonical'
        : role === 'B'
          ? 'none'
          : topicRoll < 0.4
            ? 'canonical'
            : topicRoll < 0.47
              ? 'custom'
              : 'none';
    // satisfaction: most accounts near the norm, about one in nine with a poor experience
    // (curt answers, slow queues) whatever its automation does
    const poorExperience = role === 'generic' && rng.chance(0.11);
    const satOffset = poorExperience ? rng.normal(-0.75, 0.1) : rng.normal(0.05, 0.1);
    const dormant = rng.chance(0.35);
    const adoption = dormant ? 0.03 : rng.range(0.1, 0.5);

    const model: AccountModel = {
      index: i,
      role,
      account: {
        id,
        name,
        vertical,
        plan,
        arr,
        csm: CSMS[hashSeed(seed, 'csm', id) % CSMS.length]!,
        region: region[0],
        aiLiveSince: isoDate(liveMs),
        status: 'customer',
      },
      liveMs,
      dataStartMs,
      monthly: [],
      leaves: [],
      leafCum: new Float64Array(0),
      channels: channelsSpec.map(([c]) => c),
      channelCum: cumulativeOf(channelWeights),
      confirmedShare: clamp(rng.normal(0.3, 0.06), 0.15, 0.45),
      reopenResolved: rng.range(0.02, 0.05),
      csatRate: clamp(rng.normal(0.15, 0.04), 0.07, 0.24),
      satOffset,
      adoption,
      topicMode,
      topicRate: rng.range(0.75, 0.95),
      customTopics: rng.pick(CUSTOM_TOPIC_SETS),
      tagRate: rng.chance(0.5) ? rng.range(0.02, 0.15) : 0,
      sloppiness: rng.range(0.05, 0.25),
      tzOffsetH: region[2],
      currency: region[3],
    };
    const growth = role === 'generic' ? clamp(rng.normal(0.015, 0.02), -0.02, 0.06) : 0.01;
    drafts.push({ model, size: size * scale, growth });

    const leafRng = Rng.derive(seed, 'leaves', i);
    if (role === 'A') {
      const table = Object.fromEntries(SCENARIO_A);
      // a strong content team (ceilings above the vertical's), capabilities missing on a few leaves
      buildLeaves(seed, model, leafRng, 1, table, () => 0, 0.05, 0);
      for (const l of model.leaves) if (A_MISSING.has(l.id)) l.res0 = l.resCeil * leafRng.range(0.5, 0.6);
    } else if (role === 'B') {
      buildLeaves(seed, model, leafRng, 0.95, Object.fromEntries(SCENARIO_B), (cls) =>
        cls === 'informational' ? 0.2 : 0.85,
      );
    } else if (role === 'C') {
      buildLeaves(seed, model, leafRng, 0.68, Object.fromEntries(SCENARIO_C), (cls) =>
        cls === 'informational' ? 0.6 : 0.9,
      );
    } else {
      const maturity = Math.min(1, tenureDays / 900);
      const audience = clamp(0.7 + 0.3 * Math.min(1, tenureDays / 720) + rng.normal(0, 0.04), 0.5, 1);
      const pEnable: Record<AutomationClass, number> = {
        informational: 0.55 + 0.4 * maturity,
        personalized: 0.3 + 0.45 * maturity,
        action: 0.25 + 0.45 * maturity,
        human: 1,
      };
      const table = VERTICAL_LEAF_WEIGHTS[vertical] ?? VERTICAL_LEAF_WEIGHTS.other!;
      buildLeaves(seed, model, leafRng, audience, table, (cls) => 1 - pEnable[cls]);
    }
  }

  // actions and regressions (after all leaves exist, still per-account seeded)
  const lastAction = endMs - 20 * DAY;
  for (const d of drafts) {
    const m = d.model;
    const rng = Rng.derive(seed, 'interventions', m.index);
    const startAt = Math.max(windowStart, m.liveMs + 30 * DAY);
    if (m.role === 'A') {
      const from = monthStartBack(endMs, 6) + 15 * DAY;
      runProgramme(
        m,
        { from, to: from + 130 * DAY, adoption: 0.92, stepDays: 20, closes: [0.85, 1], works: 0.97 },
        rng,
        addIntervention,
      );
    } else if (m.role === 'B') {
      runProgramme(
        m,
        {
          from: windowStart + 10 * DAY,
          to: monthStartBack(endMs, 7),
          adoption: 0.6,
          stepDays: 45,
          closes: [0.15, 0.35],
          works: 0.9,
        },
        rng,
        addIntervention,
      );
    } else if (m.role === 'C') {
      const from = monthStartBack(endMs, 5) + 2 * DAY;
      runProgramme(
        m,
        { from, to: from + 110 * DAY, adoption: 0.95, stepDays: 10, closes: [0.9, 1], works: 0.97 },
        rng,
        addIntervention,
      );
    } else {
      // slow drift, so accounts that do nothing are not perfectly flat
      for (const leaf of m.leaves)
        leaf.effects.push({
          at: windowStart,
          ramp: endMs - windowStart,
          dInv: rng.normal(0, 0.008),
          dRes: rng.normal(0, 0.012),
        });
      runProgramme(
        m,
        { from: startAt, to: lastAction, adoption: m.adoption, stepDays: 30, closes: [0.6, 1], works: 0.85 },
        rng,
        addIntervention,
      );
      if (rng.chance(0.12) && lastAction - 240 * DAY > startAt)
        regression(m, Math.floor(rng.range(lastAction - 240 * DAY, lastAction - 60 * DAY) / DAY) * DAY, rng);
    }
  }

  // monthly volumes: size, growth, the vertical's seasonality and noise, for every account
  for (const d of drafts) {
    const m = d.model;
    const rng = Rng.derive(seed, 'volume', m.index);
    const seas = SEASONALITY[m.account.vertical] ?? SEASONALITY.other!;
    const shape = months.map((mi, k) => {
      const back = months.length - 1 - k;
      return (1 + d.growth) ** -back * seas[new Date(mi.start).getUTCMonth()]!;
    });
    if (m.role === 'B' && months.length >= 4) {
      // sized so that it resolves ~2,800 a month over its last three complete months
      let expected = 0;
      for (let k = months.length - 4; k < months.length - 1; k++) {
        const mi = months[k]!;
        expected += shape[k]! * expectedRates(m, mi.start, mi.start + mi.length).automation;
      }
      d.size = ((B_TARGET_RESOLVED * 3) / expected) * scale;
    }
    m.monthly = months.map((mi, k) => {
      const covered = Math.max(0, mi.end - Math.max(mi.start, m.dataStartMs)) / mi.length;
      const full = d.size * shape[k]! * clamp(rng.normal(1, 0.05), 0.85, 1.15);
      return Math.max(0, Math.round(full * covered));
    });
  }

  interventions.sort((a, b) =>
    a.date < b.date
      ? -1
      : a.date > b.date
        ? 1
        : a.accountId < b.accountId
          ? -1
          : a.accountId > b.accountId
            ? 1
            : 0,
  );
  return { seed, endMs, months, accounts: drafts.map((d) => d.model), interventions };
}

// ---------------------------------------------------------------------------------------------
// Truth: states from the latent trajectory

export type TruthStateName = 'plateau' | 'climbing' | 'declining' | 'low_cx';

export interface TruthState {
  state: TruthStateName;
  from: string;
  to: string;
}

/**
 * The latent automation rate of each month (expected rate, go-live ramp included), then per
 * complete month m (needing five months before it):
 *  - climbing: the 3-month average ending at m is 4+ points above the 3 months before, and the
 *    rate still rose 1.5+ points over the last 3 months (a climb that has stopped is not one);
 *  - declining: that average is 2.5+ points below the 3 months before, or the mean satisfaction
 *    latent of the last 3 months is 0.15+ below the 3 before (SPEC §4: automation or CX falling);
 *  - plateau: the rate stayed within 2 points over the last 3 months while 8+ points below the
 *    true ceiling (SPEC §4: flat within about two points while the gap is large);
 *  - low_cx: the mean satisfaction latent over the 3 months ending at m is below 3.4
 *    (`satisfaction` per month, from the generated conversations).
 */
export const STATE_RULES = {
  climbRise: 0.04,
  climbStillRising: 0.015,
  declineDrop: 0.025,
  satisfactionDrop: 0.15,
  plateauMove: 0.02,
  plateauGap: 0.08,
  lowSatisfaction: 3.4,
};

export function latentAutomation(world: World, acc: AccountModel): (number | null)[] {
  return world.months.map((mi) =>
    mi.end <= acc.liveMs ? null : expectedRates(acc, mi.start, mi.start + mi.length).automation,
  );
}

export function accountStates(
  world: World,
  acc: AccountModel,
  automation: (number | null)[],
  satisfaction: (number | null)[],
  satisfactionCount: number[],
): TruthState[] {
  const keys = world.months.map((m) => m.key);
  const ceiling = trueCeiling(acc);
  const complete = world.months.map((m) => m.end === m.start + m.length);
  const byMonth: Set<TruthStateName>[] = keys.map(() => new Set());
  const avg = (xs: (number | null)[]): number | null => {
    let s = 0;
    for (const x of xs) {
      if (x === null) return null;
      s += x;
    }
    return s / xs.length;
  };
  const r = STATE_RULES;
  /** mean satisfaction latent over months from..to (inclusive), weighted by conversations */
  const satisfactionOver = (from: number, to: number): number | null => {
    let s = 0;
    let n = 0;
    for (let j = Math.max(0, from); j <= to; j++) {
      if (satisfaction[j] === null) continue;
      s += satisfaction[j]! * satisfactionCount[j]!;
      n += satisfactionCount[j]!;
    }
    return n > 0 ? s / n : null;
  };
  for (let k = 0; k < keys.length; k++) {
    if (!complete[k]) continue;
    if (k >= 5) {
      const late = avg(automation.slice(k - 2, k + 1));
      const early = avg(automation.slice(k - 5, k - 2));
      if (late !== null && early !== null) {
        const move = automation[k]! - automation[k - 2]!;
        if (late - early >= r.climbRise && move >= r.climbStillRising) byMonth[k]!.add('climbing');
        if (early - late >= r.declineDrop) byMonth[k]!.add('declining');
      }
    }
    if (k >= 2) {
      const last = automation.slice(k - 2, k + 1);
      if (last.every((x) => x !== null)) {
        const xs = last as number[];
        const spread = Math.max(...xs) - Math.min(...xs);
        if (spread < r.plateauMove && ceiling - automation[k]! >= r.plateauGap) byMonth[k]!.add('plateau');
      }
      const sat = satisfactionOver(k - 2, k);
      if (sat !== null && sat < r.lowSatisfaction) byMonth[k]!.add('low_cx');
      if (k >= 5) {
        const before = satisfactionOver(k - 5, k - 3);
        if (sat !== null && before !== null && before - sat >= r.satisfactionDrop)
          byMonth[k]!.add('declining');
      }
    }
  }
  const out: TruthState[] = [];
  for (const state of ['plateau', 'climbing', 'declining', 'low_cx'] as const) {
    let open: TruthState | null = null;
    for (let k = 0; k < keys.length; k++) {
      if (byMonth[k]!.has(state)) {
        if (open && open.to === keys[k - 1]) open.to = keys[k]!;
        else {
          open = { state, from: keys[k]!, to: keys[k]! };
          out.push(open);
        }
      }
    }
  }
  return out;
}
