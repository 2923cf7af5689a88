/**
 * The latent "world" behind the demo data: accounts, their topic mixes, the hidden per-leaf
 * involvement and resolution probabilities, and the interventions that change them over time.
 * Conversations are sampled from this model in generate.ts.
 *
 * Three accounts carry scripted situations (stable ids, whatever the seed; present when the bundle
 * has at least SPECIAL_MIN_ACCOUNTS accounts):
 *  - A `brightloom` (saas): resolution rate climbs ~65% -> ~82% over the last six months, at ~93%
 *    involvement, after a run of content and procedure interventions.
 *  - B `corvane-pay` (fintech): ~2,800 resolved conversations a month, flat for the last complete
 *    months, with weak personalized/action leaves that peers resolve well (large gap).
 *  - C `mossgrove-home` (ecommerce): well below peers six months before the end; interventions
 *    over the last six months bring it to the peers' 75th-percentile levels, ~70% automation.
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
/** Accounts positions (0-based) of the scripted accounts and of the two large generic ones. */
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
  topicMode: 'none' | 'canonical' | 'custom';
  topicRate: number;
  customTopics: string[];
  tagRate: number;
  sloppiness: number;
  /**
   * Scripted months, keyed by months before the end month: a score for a drawn month
   * (<= 0: close enough to the script). The generator redraws such a month until it fits.
   */
  targets: Record<number, MonthTarget>;
  tzOffsetH: number;
  currency: string;
}

export type MonthTarget = (conversations: number, involved: number, resolved: number) => number;

export interface World {
  seed: number;
  endMs: number;
  months: MonthInfo[];
  accounts: AccountModel[];
  interventions: Intervention[];
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

function bisect(f: (x: number) => number, target: number, lo: number, hi: number, iters = 40): number {
  // f increasing in x
  for (let i = 0; i < iters; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
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

function normaliseWeights(leaves: LeafModel[]) {
  const total = leaves.reduce((s, l) => s + l.weight, 0);
  for (const l of leaves) l.weight /= total;
}

function makeLeaf(id: string, weight: number, inv0: number, res0: number): LeafModel {
  const meta = leafMeta.get(id);
  if (!meta) throw new Error(`unknown taxonomy leaf ${id}`);
  return {
    id,
    group: meta.group,
    label: meta.label,
    cls: meta.automationClass,
    weight,
    inv0,
    res0,
    effects: [],
  };
}

function noteFor(rng: Rng, kind: InterventionKind, leaf: LeafModel | null): string {
  const label = leaf ? `'${leaf.label}'` : 'all topics';
  return rng.pick(NOTES[kind]).replace('{label}', label);
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
  /** size before volumeScale, so the world's shape does not depend on the scale */
  baseSize: number;
  growth: number;
  tenureDays: number;
}

export function buildWorld(opts: WorldOptions): World {
  const endMs = Date.parse(opts.endDate);
  if (Number.isNaN(endMs)) throw new Error(`invalid endDate ${opts.endDate}`);
  const months = monthInfos(endMs, opts.months);
  const windowStart = months[0]!.start;
  const scale = opts.volumeScale ?? 1;
  const worldRng = Rng.derive(opts.seed, 'world');
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
  const interventions: Intervention[] = [];
  const addIntervention = (
    acc: AccountModel,
    at: number,
    kind: InterventionKind,
    leaf: LeafModel | null,
    rng: Rng,
  ) => {
    interventions.push({
      accountId: acc.account.id,
      date: isoDate(at),
      kind,
      taxonomyId: leaf ? leaf.id : null,
      note: noteFor(rng, kind, leaf),
    });
  };

  for (let i = 0; i < opts.accounts; i++) {
    const role = withSpecials ? (SPECIAL_INDEX[i] ?? 'generic') : i === 13 ? 'big1' : 'generic';
    const rng = Rng.derive(opts.seed, 'account', i);
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
    // size: long tail; the scripted ones get fixed sizes below
    let size =
      role === 'big1'
        ? 10_000
        : role === 'big2'
          ? 4_000
          : clamp(Math.exp(Math.log(200) + rng.normal(0, 0.85)), 45, 3_500);
    if (role === 'A') size = 2_400;
    if (role === 'C') size = 1_900;
    if (role === 'B') size = 6_800; // recomputed from the resolved target
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
    // platform fee by plan plus a usage part that grows with volume
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

    const model: AccountModel = {
      index: i,
      role,
      account: {
        id,
        name,
        vertical,
        plan,
        arr,
        csm: CSMS[hashSeed(opts.seed, 'csm', id) % CSMS.length]!,
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
      topicMode,
      topicRate: rng.range(0.75, 0.95),
      customTopics: rng.pick(CUSTOM_TOPIC_SETS),
      tagRate: rng.chance(0.5) ? rng.range(0.02, 0.15) : 0,
      sloppiness: rng.range(0.05, 0.25),
      targets: {},
      tzOffsetH: region[2],
      currency: region[3],
    };
    const growth = role === 'generic' ? clamp(rng.normal(0.015, 0.02), -0.02, 0.06) : 0.01;
    drafts.push({ model, size: size * scale, baseSize: size, growth, tenureDays });

    if (role === 'generic' || role === 'big1' || role === 'big2')
      buildGenericLeaves(model, rng, tenureDays, windowStart, endMs);
  }

  // generic interventions (after all leaves exist, still per-account seeded)
  for (const d of drafts) {
    const m = d.model;
    if (m.role === 'generic' || m.role === 'big1' || m.role === 'big2')
      genericInterventions(
        m,
        Rng.derive(opts.seed, 'interventions', m.index),
        windowStart,
        endMs,
        addIntervention,
      );
  }

  const byRole = (r: string) => drafts.find((d) => d.model.role === r);
  const A = byRole('A');
  const B = byRole('B');
  const C = byRole('C');
  if (A) scriptA(A.model, Rng.derive(opts.seed, 'script-a'), endMs, addIntervention);
  if (B) scriptB(B.model, Rng.derive(opts.seed, 'script-b'), endMs, addIntervention);
  if (C)
    scriptC(
      C.model,
      drafts.map((d) => d.model).filter((m) => m !== C.model),
      drafts,
      Rng.derive(opts.seed, 'script-c'),
      endMs,
      addIntervention,
    );

  // monthly volumes
  for (const d of drafts) {
    const m = d.model;
    // the scripted monthly figures (e.g. B's 2,800 resolved) only hold at full scale
    if (scale !== 1) m.targets = {};
    const rng = Rng.derive(opts.seed, 'volume', m.index);
    const seas = SEASONALITY[m.account.vertical] ?? SEASONALITY.other!;
    m.monthly = months.map((mi, k) => {
      const back = months.length - 1 - k; // months before the end month
      const covered = Math.max(0, mi.end - Math.max(mi.start, m.dataStartMs)) / mi.length;
      let full: number;
      if (m.role === 'B') full = volumeB(m, mi, back, endMs) * scale;
      else if (m.role === 'A' || m.role === 'C') full = d.size * (1 + d.growth) ** -back;
      else {
        const monthOfYear = new Date(mi.start).getUTCMonth();
        full = d.size * (1 + d.growth) ** -back * seas[monthOfYear]! * clamp(rng.normal(1, 0.05), 0.85, 1.15);
      }
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
  return { seed: opts.seed, endMs, months, accounts: drafts.map((d) => d.model), interventions };
}

function finishLeaves(m: AccountModel) {
  normaliseWeights(m.leaves);
  m.leafCum = cumulativeOf(m.leaves.map((l) => l.weight));
}

function buildGenericLeaves(
  m: AccountModel,
  rng: Rng,
  tenureDays: number,
  windowStart: number,
  endMs: number,
) {
  const table = VERTICAL_LEAF_WEIGHTS[m.account.vertical] ?? VERTICAL_LEAF_WEIGHTS.other!;
  const maturity = Math.min(1, tenureDays / 900);
  const invPlateau = clamp(0.66 + 0.3 * Math.min(1, tenureDays / 720) + rng.normal(0, 0.04), 0.35, 0.97);
  const capability = rng.normal(0, 0.05);
  const pEnable: Record<AutomationClass, number> = {
    informational: 0.55 + 0.4 * maturity,
    personalized: 0.3 + 0.45 * maturity,
    action: 0.25 + 0.45 * maturity,
    human: 0,
  };
  for (const [id, base] of Object.entries(table)) {
    if (base < 3 && rng.chance(0.25)) continue;
    const meta = leafMeta.get(id)!;
    const cls = meta.automationClass;
    const weight = base * Math.exp(rng.normal(0, 0.45));
    let inv0 = clamp(invPlateau * CLASS_INV[cls] + rng.normal(0, 0.03), 0.05, 0.98);
    if (rng.chance(0.07)) inv0 *= 0.35; // kept away from the AI agent by a routing rule
    const enabled = rng.chance(pEnable[cls]);
    const [lo, hi] = RES_LEVEL[cls];
    const res0 = clamp((enabled ? hi : lo) + capability + rng.normal(0, 0.05), 0.02, 0.95);
    const leaf = makeLeaf(id, weight, inv0, res0);
    // slow drift, so accounts without interventions are not perfectly flat
    leaf.effects.push({
      at: windowStart,
      ramp: endMs - windowStart,
      dInv: rng.normal(0, 0.01),
      dRes: rng.normal(0, 0.015),
    });
    (leaf as LeafModel & { enabled?: boolean }).enabled = enabled;
    m.leaves.push(leaf);
  }
  finishLeaves(m);
}

type AddIntervention = (
  acc: AccountModel,
  at: number,
  kind: InterventionKind,
  leaf: LeafModel | null,
  rng: Rng,
) => void;

function genericInterventions(
  m: AccountModel,
  rng: Rng,
  windowStart: number,
  endMs: number,
  add: AddIntervention,
) {
  const count = rng.chance(0.3) ? 0 : rng.pick([1, 1, 2, 2, 2, 3, 3, 4, 5, 6]);
  const from = Math.max(windowStart, m.liveMs) + 10 * DAY;
  const to = endMs - 25 * DAY;
  if (count === 0 || to <= from) return;
  const candidates = m.leaves.filter((l) => l.weight >= 0.015);
  const used = new Set<string>();
  for (let n = 0; n < count && used.size < candidates.length; n++) {
    const leaf =
      candidates[rng.pickCumulative(cumulativeOf(candidates.map((l) => (used.has(l.id) ? 0 : l.weight))))]!;
    used.add(leaf.id);
    const state = leaf as LeafModel & { enabled?: boolean };
    const at = Math.floor(rng.range(from, to) / DAY) * DAY;
    const ramp = rng.range(10, 35) * DAY;
    const worked = rng.chance(0.88) ? 1 : rng.range(0, 0.2);
    let kind: InterventionKind;
    let dInv = 0;
    let dRes = 0;
    if (leaf.inv0 < 0.6 && rng.chance(0.7)) {
      kind = 'channel_rollout';
      dInv = (0.9 - leaf.inv0) * rng.range(0.6, 1);
    } else if (leaf.cls !== 'human' && !state.enabled) {
      kind = CLASS_KIND[leaf.cls];
      const [lo, hi] = RES_LEVEL[leaf.cls];
      dRes = (hi - lo) * rng.range(0.55, 1.1);
      state.enabled = true;
    } else {
      kind = 'guidance';
      dRes = leaf.cls === 'human' ? rng.range(0.01, 0.04) : rng.range(0.02, 0.07);
    }
    leaf.effects.push({ at, ramp, dInv: dInv * worked, dRes: dRes * worked });
    add(m, at, kind, leaf, rng);
  }
}

// ---------------------------------------------------------------------------------------------
// Scripted accounts

/** A: resolution ~65% -> ~82% over the last six months (end-6 .. end-1), involvement ~93%. */
function scriptA(m: AccountModel, rng: Rng, endMs: number, add: AddIntervention) {
  const spec: [string, number, number][] = [
    // leaf, weight, base resolution
    ['howto.feature_usage', 16, 0.5],
    ['howto.setup_integration', 10, 0.42],
    ['account.password_reset', 9, 0.3],
    ['account.login_problem', 8, 0.72],
    ['subscription.change_plan', 6, 0.25],
    ['subscription.cancel', 5, 0.28],
    ['subscription.plan_info', 6, 0.8],
    ['billing.invoice_copy', 7, 0.8],
    ['billing.update_payment_details', 4, 0.7],
    ['tech.bug_report', 6, 0.12],
    ['tech.performance', 4, 0.45],
    ['tech.data_sync', 6, 0.7],
    ['account.update_details', 3, 0.7],
    ['feedback.suggestion', 3, 0.75],
    ['sales.pricing_quote', 2, 0.1],
    ['other.greeting', 2, 0.8],
    ['feedback.talk_to_human', 2, 0.06],
    ['privacy.data_request', 1, 0.6],
  ];
  m.leaves = spec.map(([id, w, r]) => makeLeaf(id, w, 0, r));
  finishLeaves(m);
  const climbStart = monthStartBack(endMs, 6);
  // [leaf, day offset from the first day of the climb month, kind, nominal lift]
  const plan: [string, number, InterventionKind, number][] = [
    ['howto.setup_integration', 23, 'content', 0.38],
    ['account.password_reset', 44, 'procedure', 0.42],
    ['howto.feature_usage', 66, 'content', 0.32],
    ['subscription.change_plan', 87, 'procedure', 0.44],
    ['tech.performance', 108, 'content', 0.35],
    ['subscription.cancel', 127, 'procedure', 0.42],
  ];
  const byId = new Map(m.leaves.map((l) => [l.id, l]));
  const effects: [LeafModel, Effect, number][] = [];
  for (const [id, day, kind, lift] of plan) {
    const leaf = byId.get(id)!;
    const e: Effect = { at: climbStart + day * DAY, ramp: 20 * DAY, dInv: 0, dRes: lift };
    leaf.effects.push(e);
    effects.push([leaf, e, lift]);
    add(m, e.at, kind, leaf, rng);
  }
  const baseRes = m.leaves.map((l) => l.res0);
  const before = [monthStartBack(endMs, 7), monthStartBack(endMs, 6)] as const;
  const after = [monthStartBack(endMs, 1), monthStartBack(endMs, 0)] as const;
  // involvement ~93%: humans a bit lower
  const setInv = (x: number) => {
    for (const l of m.leaves) l.inv0 = clamp(x * (l.cls === 'human' ? 0.92 : 1), 0, 0.99);
  };
  const invAt = (x: number) => {
    setInv(x);
    return expectedRates(m, before[0], before[1]).involvement;
  };
  setInv(bisect(invAt, 0.93, 0.5, 1));
  // base level 65% before the climb
  const setBase = (o: number) => {
    for (const [k, l] of m.leaves.entries()) l.res0 = clamp(baseRes[k]! + o, 0.03, 0.95);
  };
  const baseAt = (o: number) => {
    setBase(o);
    return expectedRates(m, before[0], before[1]).resolution;
  };
  setBase(bisect(baseAt, 0.65, -0.3, 0.3));
  // lifts scaled so the month before the end sits at 82%
  const setLift = (k: number) => {
    for (const [, e, lift] of effects) e.dRes = lift * k;
  };
  const liftAt = (k: number) => {
    setLift(k);
    return expectedRates(m, after[0], after[1]).resolution;
  };
  setLift(bisect(liftAt, 0.82, 0, 3));
  const near = (res: number) => (n: number, inv: number, resolved: number) =>
    Math.max(Math.abs(resolved / Math.max(1, inv) - res), Math.abs(inv / Math.max(1, n) - 0.93)) - 0.012;
  m.targets = { 6: near(0.65), 1: near(0.82) };
}

const B_TARGET_RESOLVED = 2_800;

/** B: resolved volume flat at ~2,800 a month from end-4 on; weak personalized/action leaves. */
function scriptB(m: AccountModel, rng: Rng, endMs: number, add: AddIntervention) {
  const spec: [string, number, number, number][] = [
    // leaf, weight, involvement, resolution
    ['payments.transfer_status', 17, 0.62, 0.42],
    ['payments.card_block', 10, 0.9, 0.36],
    ['payments.limits_fees', 11, 0.92, 0.64],
    ['billing.failed_payment', 9, 0.9, 0.4],
    ['account.login_problem', 8, 0.9, 0.44],
    ['account.password_reset', 7, 0.92, 0.5],
    ['account.update_details', 7, 0.9, 0.34],
    ['billing.unexpected_charge', 6, 0.8, 0.07],
    ['privacy.suspicious_activity', 5, 0.75, 0.05],
    ['refunds.request_refund', 4, 0.88, 0.25],
    ['account.create_account', 6, 0.93, 0.72],
    ['other.business_hours', 4, 0.95, 0.88],
    ['other.greeting', 3, 0.95, 0.82],
    ['feedback.talk_to_human', 3, 0.85, 0.05],
    ['billing.payment_methods', 2, 0.94, 0.85],
    ['account.delete_account', 2, 0.9, 0.3],
  ];
  m.leaves = spec.map(([id, w, inv, res]) => makeLeaf(id, w, inv, res));
  finishLeaves(m);
  m.targets = { 4: nearResolved, 3: nearResolved, 2: nearResolved, 1: nearResolved };
  const byId = new Map(m.leaves.map((l) => [l.id, l]));
  // earlier in the year: content, guidance and a rollout lifted it to the plateau; nothing since
  const plan: [string, number, number, InterventionKind, number, number][] = [
    // leaf, months back, day, kind, dInv, dRes
    ['payments.limits_fees', 10, 12, 'content', 0, 0.22],
    ['account.create_account', 8, 5, 'guidance', 0, 0.08],
    ['payments.transfer_status', 7, 18, 'channel_rollout', 0.28, 0],
    ['other.business_hours', 6, 9, 'guidance', 0, 0.04],
  ];
  for (const [id, back, day, kind, dInv, dRes] of plan) {
    const leaf = byId.get(id)!;
    const e: Effect = { at: monthStartBack(endMs, back) + day * DAY, ramp: 21 * DAY, dInv, dRes };
    leaf.effects.push(e);
    add(m, e.at, kind, leaf, rng);
  }
}

const nearResolved: MonthTarget = (_n, _inv, resolved) => Math.abs(resolved / B_TARGET_RESOLVED - 1) - 0.015;

function volumeB(m: AccountModel, mi: MonthInfo, back: number, endMs: number): number {
  const plateauAuto = expectedRates(m, monthStartBack(endMs, 1), monthStartBack(endMs, 0)).automation;
  const plateauVolume = B_TARGET_RESOLVED / plateauAuto;
  if (back <= 4) return plateauVolume;
  // growing towards the plateau before that: resolved rises from ~2,050
  const auto = expectedRates(m, mi.start, mi.start + mi.length).automation;
  const resolved = B_TARGET_RESOLVED - (back - 4) * 110;
  return resolved / auto;
}

/** C: far below peers six months before the end, brought to the peers' p75 level (~70% automation). */
function scriptC(
  m: AccountModel,
  peers: AccountModel[],
  drafts: Draft[],
  rng: Rng,
  endMs: number,
  add: AddIntervention,
) {
  const spec: [string, number][] = [
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
  // achievable levels: 75th percentile of peers with volume on the leaf, in the cutoff month
  const cutFrom = monthStartBack(endMs, 6);
  const cutTo = monthStartBack(endMs, 5);
  const cutT = (cutFrom + cutTo) / 2;
  const sizeOf = new Map(drafts.map((d) => [d.model, d.baseSize]));
  const p75 = (xs: number[]) => {
    if (xs.length === 0) return null;
    const s = xs.slice().sort((a, b) => a - b);
    const pos = 0.75 * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
  };
  const out: [number, number] = [0, 0];
  const achievable = spec.map(([id]) => {
    const invs: number[] = [];
    const ress: number[] = [];
    for (const p of peers) {
      if (p.liveMs > cutFrom) continue;
      const leaf = p.leaves.find((l) => l.id === id);
      if (!leaf || (sizeOf.get(p) ?? 0) * leaf.weight < 25) continue;
      leafRates(p, leaf, cutT, out);
      invs.push(out[0]);
      ress.push(out[1]);
    }
    const cls = leafMeta.get(id)!.automationClass;
    // The shipped potential model takes the percentile of peers' automation on the leaf
    // (involvement and resolution reached together), so C's end level is that product.
    const inv = p75(invs) ?? 0.9 * CLASS_INV[cls];
    const auto = p75(invs.map((v, i) => v * ress[i]!));
    return {
      inv,
      res: auto !== null && inv > 0 ? Math.min(0.97, auto / inv) : (p75(ress) ?? RES_LEVEL[cls][1]),
    };
  });
  const products = achievable.map((a) => a.inv * a.res);
  // weight the leaves so the achievable mix multiplies out to ~70%
  const target = 0.7;
  const weightsFor = (w: number) => spec.map(([, base], k) => base * (products[k]! > target ? w : 1));
  const mix = (w: number) => {
    const ws = weightsFor(w);
    const tot = ws.reduce((a, b) => a + b, 0);
    return ws.reduce((s, x, k) => s + (x / tot) * products[k]!, 0);
  };
  const w = bisect(mix, target, 0.6, 1.8);
  const weights = weightsFor(w);
  // if the mix alone cannot reach the target (other seeds), scale the final resolution levels
  const wTotal = weights.reduce((x, y) => x + y, 0);
  const isHuman = spec.map(([id]) => leafMeta.get(id)!.automationClass === 'human');
  const finalRes = (f: number, k: number) =>
    isHuman[k] ? achievable[k]!.res : Math.min(0.95, achievable[k]!.res * f);
  const f = bisect(
    (x) => weights.reduce((acc, wk, k) => acc + (wk / wTotal) * achievable[k]!.inv * finalRes(x, k), 0),
    target,
    0.6,
    1.6,
  );
  for (const [k, a] of achievable.entries()) a.res = finalRes(f, k);
  m.leaves = spec.map(([id], k) => {
    const a = achievable[k]!;
    const cls = leafMeta.get(id)!.automationClass;
    // six months before the end: AI on chat only, weak content, no connectors or procedures
    const inv0 = Math.min(a.inv, 0.7 * CLASS_INV[cls]);
    const res0 =
      cls === 'human' || id === 'other.greeting'
        ? a.res
        : Math.min(a.res, cls === 'informational' ? 0.5 : cls === 'personalized' ? 0.24 : 0.2);
    return makeLeaf(id, weights[k]!, inv0, res0);
  });
  finishLeaves(m);
  // the run of interventions, June .. early September (all ramps done by October)
  const start = monthStartBack(endMs, 5);
  const rollout = start + 2 * DAY;
  for (const [k, leaf] of m.leaves.entries()) {
    leaf.effects.push({ at: rollout, ramp: 25 * DAY, dInv: achievable[k]!.inv - leaf.inv0, dRes: 0 });
  }
  add(m, rollout, 'channel_rollout', null, rng);
  const nearAuto =
    (tol: number): MonthTarget =>
    (n, _inv, resolved) =>
      Math.abs(resolved / Math.max(1, n) - target) - tol;
  m.targets = { 1: nearAuto(0.012), 0: nearAuto(0.015) };
  const order = [
    'orders.where_is_my_order',
    'refunds.return_policy',
    'shipping.delivery_options',
    'refunds.start_return',
    'refunds.refund_status',
    'howto.product_info',
    'orders.cancel_order',
    'orders.change_order',
    'sales.discounts',
    'billing.payment_methods',
  ];
  order.forEach((id, n) => {
    const k = m.leaves.findIndex((l) => l.id === id);
    const leaf = m.leaves[k]!;
    const dRes = achievable[k]!.res - leaf.res0;
    if (dRes <= 0) return;
    const at = start + (9 + Math.round((n * 85) / (order.length - 1))) * DAY;
    leaf.effects.push({ at, ramp: 18 * DAY, dInv: 0, dRes });
    add(m, at, CLASS_KIND[leaf.cls], leaf, rng);
  });
}
