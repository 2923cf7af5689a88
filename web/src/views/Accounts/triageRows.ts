/**
 * The rows the triage table shows: the accounts that pass the filters, in the chosen sort order.
 * A sort is a kept index order (triageOrder.ts) and a filter one pass over it, so changing either
 * costs a few milliseconds at 10,000 accounts, not a re-sort of row objects.
 */
import type { TriageAccount } from '../../api/server-types.ts';
import { RowOrders, type SortSpec } from './triageOrder.ts';
import { accountMatcher, searchText, type TriageState } from './triageState.ts';

const number = (value: (a: TriageAccount) => number | null | undefined, descFirst = true) =>
  ({ kind: 'number', value, descFirst }) as const;
const text = (value: (a: TriageAccount) => string | null | undefined) => ({ kind: 'text', value }) as const;

/** How each sortable column sorts (the trend does not); numbers start with the largest, CX with the lowest. */
export const TRIAGE_SORTS: Readonly<Record<string, SortSpec<TriageAccount>>> = {
  name: text((a) => a.name),
  vertical: text((a) => a.vertical),
  csm: text((a) => a.csm),
  arr: number((a) => a.arr),
  conversations: number((a) => a.conversations),
  involvementRate: number((a) => a.involvementRate),
  resolutionRate: number((a) => a.resolutionRate),
  automationRate: number((a) => a.automationRate),
  automationPotential: number((a) => a.automationPotential),
  gapPoints: number((a) => a.gapPoints),
  gapConversations: number((a) => a.gapConversations),
  // low CX is the problem to look at first
  cxScore: number((a) => a.cxScore, false),
  // by how many flags; unflagged accounts last
  flags: number((a) => a.flags.length || null),
};

export const SORTABLE_IDS: ReadonlySet<string> = new Set(Object.keys(TRIAGE_SORTS));

/** One data set's sort orders and search texts, kept while the page shows it. */
export class TriageRows {
  private readonly orders: RowOrders<TriageAccount>;
  private texts: string[] | null = null;

  constructor(readonly accounts: readonly TriageAccount[]) {
    this.orders = new RowOrders(accounts, TRIAGE_SORTS);
  }

  /** The accounts passing `state`'s filters, in its sort order. */
  shown(state: TriageState): TriageAccount[] {
    return this.pick(state, this.orders.order(state.sort));
  }

  /** The accounts passing `state`'s filters in the order they came (its sort is not looked at). */
  matching(state: TriageState): TriageAccount[] {
    return this.pick(state, null);
  }

  private pick(state: TriageState, order: Uint32Array | null): TriageAccount[] {
    const matches = accountMatcher(state);
    const texts = state.q.trim() ? this.searchTexts() : null;
    const out: TriageAccount[] = [];
    for (let k = 0; k < this.accounts.length; k++) {
      const i = order ? order[k]! : k;
      const a = this.accounts[i]!;
      if (matches(a, texts?.[i])) out.push(a);
    }
    return out;
  }

  /**
   * What the first sort by each column and the first search would otherwise do on the click or
   * keystroke (collating every name alone takes tens of milliseconds at 10,000 accounts), as small
   * steps for idle time once the first rows are on screen: the text keys, the search texts, then
   * each column's order in the direction its first click asks for.
   */
  preparationSteps(): (() => void)[] {
    const steps: (() => void)[] = [];
    for (const [id, spec] of Object.entries(TRIAGE_SORTS))
      if (spec.kind === 'text') steps.push(() => this.orders.key(id));
    steps.push(() => this.searchTexts());
    for (const [id, spec] of Object.entries(TRIAGE_SORTS))
      steps.push(() => this.orders.order([{ id, desc: spec.kind === 'number' && spec.descFirst }]));
    return steps;
  }

  private searchTexts(): string[] {
    this.texts ??= this.accounts.map(searchText);
    return this.texts;
  }
}
