/**
 * Triage table state ⇄ URL query string, plus the filtering and headline totals. Pure, so the URL
 * round-trip and the filters are unit-tested without a browser.
 */
import type { FlagKind, TriageAccount } from '../../api/server-types.ts';
import { parseSortParam, type SortEntry, serializeSort } from '../../lib/tableSort.ts';

export type StatusFilter = 'customer' | 'prospect' | 'all';
export type FlagFilter = FlagKind | 'any' | 'none' | '';

export type { SortEntry };

export interface TriageState {
  q: string;
  csm: string;
  vertical: string;
  flag: FlagFilter;
  status: StatusFilter;
  sort: SortEntry[];
}

export const NO_CSM = '(unassigned)';
export const DEFAULT_SORT: SortEntry[] = [{ id: 'gapConversations', desc: true }];
export const DEFAULT_STATE: TriageState = {
  q: '',
  csm: '',
  vertical: '',
  flag: '',
  status: 'customer',
  sort: DEFAULT_SORT,
};

const FLAG_VALUES: readonly FlagFilter[] = ['plateau', 'climbing', 'declining', 'low_cx', 'any', 'none'];
const STATUS_VALUES: readonly StatusFilter[] = ['customer', 'prospect', 'all'];
export function parseSort(raw: string | null, allowed?: ReadonlySet<string>): SortEntry[] {
  return parseSortParam(raw, DEFAULT_SORT, allowed);
}

export { serializeSort };

export function parseTriageState(search: string | URLSearchParams, allowedSort?: ReadonlySet<string>) {
  const p = typeof search === 'string' ? new URLSearchParams(search) : search;
  const flag = (p.get('flag') ?? '') as FlagFilter;
  const status = (p.get('status') ?? 'customer') as StatusFilter;
  return {
    q: p.get('q') ?? '',
    csm: p.get('csm') ?? '',
    vertical: p.get('vertical') ?? '',
    flag: FLAG_VALUES.includes(flag) ? flag : '',
    status: STATUS_VALUES.includes(status) ? status : 'customer',
    sort: parseSort(p.get('sort'), allowedSort),
  } satisfies TriageState;
}

/** Only non-default values go into the URL, so the plain page stays `/`. */
export function serializeTriageState(state: TriageState): string {
  const p = new URLSearchParams();
  if (state.q.trim()) p.set('q', state.q);
  if (state.csm) p.set('csm', state.csm);
  if (state.vertical) p.set('vertical', state.vertical);
  if (state.flag) p.set('flag', state.flag);
  if (state.status !== 'customer') p.set('status', state.status);
  const sort = serializeSort(state.sort);
  if (sort !== serializeSort(DEFAULT_SORT)) p.set('sort', sort);
  return p.toString();
}

export function isFiltered(state: TriageState): boolean {
  return Boolean(state.q.trim() || state.csm || state.vertical || state.flag || state.status !== 'customer');
}

function norm(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** What the free-text search looks in (name, id, CSM, vertical, plan, region), normalised. */
export function searchText(a: TriageAccount): string {
  return norm(`${a.name} ${a.id} ${a.csm ?? ''} ${a.vertical} ${a.plan ?? ''} ${a.region ?? ''}`);
}

/**
 * The status, CSM, vertical, flag and free-text filters of `state` as one test of an account.
 * `text` is the account's searchText when the caller keeps it: normalising every account's text
 * again on each keystroke was most of a search's cost at 10,000 accounts.
 */
export function accountMatcher(state: TriageState): (a: TriageAccount, text?: string) => boolean {
  const terms = norm(state.q).split(/\s+/).filter(Boolean);
  const { status, csm, vertical, flag } = state;
  return (a, text) => {
    if (status !== 'all' && a.status !== status) return false;
    if (csm && (a.csm ?? NO_CSM) !== csm) return false;
    if (vertical && a.vertical !== vertical) return false;
    if (flag === 'any' && a.flags.length === 0) return false;
    if (flag === 'none' && a.flags.length > 0) return false;
    if (flag && flag !== 'any' && flag !== 'none' && !a.flags.some((f) => f.kind === flag)) return false;
    if (terms.length) {
      const hay = text ?? searchText(a);
      if (!terms.every((t) => hay.includes(t))) return false;
    }
    return true;
  };
}

/** Applies status, CSM, vertical, flag and free-text filters (search: name, id, CSM, vertical). */
export function filterAccounts(accounts: readonly TriageAccount[], state: TriageState): TriageAccount[] {
  const matches = accountMatcher(state);
  return accounts.filter((a) => matches(a));
}

export interface Headline {
  accounts: number;
  conversations: number;
  resolved: number;
  /** Σ resolved / Σ conversations over the shown customers (null when none: prospects only) */
  automationRate: number | null;
  unrealizedConversations: number;
  /** customers among the shown accounts: the figures above are theirs */
  customers: number;
  /** prospects shown, and Σ of their gap in conversations a month (what their potential would automate) */
  prospects: number;
  prospectGapConversations: number;
  /** accounts with a flag that calls for attention: plateau, declining or low CX (climbing is good news) */
  flagged: number;
  flagCounts: Record<FlagKind, number>;
}

export function headline(accounts: readonly TriageAccount[]): Headline {
  let conversations = 0;
  let resolved = 0;
  let unrealized = 0;
  let flagged = 0;
  let customers = 0;
  let prospectGap = 0;
  const flagCounts: Record<FlagKind, number> = { plateau: 0, climbing: 0, declining: 0, low_cx: 0 };
  for (const a of accounts) {
    // Prospects have no AI agent: their conversations and gaps are not the portfolio's (the
    // server's totals count customers only too).
    if (a.status === 'customer') {
      customers += 1;
      conversations += a.conversations;
      resolved += a.resolved;
      unrealized += a.gapConversations ?? 0;
    } else prospectGap += a.gapConversations ?? 0;
    if (a.flags.some((f) => f.kind !== 'climbing')) flagged += 1;
    for (const f of a.flags) flagCounts[f.kind] += 1;
  }
  return {
    accounts: accounts.length,
    conversations,
    resolved,
    automationRate: conversations > 0 ? resolved / conversations : null,
    unrealizedConversations: unrealized,
    customers,
    prospects: accounts.length - customers,
    prospectGapConversations: prospectGap,
    flagged,
    flagCounts,
  };
}

/** Distinct sorted option values for the CSM and vertical filters. */
export function filterOptions(accounts: readonly TriageAccount[]) {
  const csms = new Set<string>();
  const verticals = new Set<string>();
  let prospects = 0;
  for (const a of accounts) {
    csms.add(a.csm ?? NO_CSM);
    verticals.add(a.vertical);
    if (a.status === 'prospect') prospects += 1;
  }
  const byName = (x: string, y: string) => x.localeCompare(y, 'en');
  return { csms: [...csms].sort(byName), verticals: [...verticals].sort(byName), prospects };
}
