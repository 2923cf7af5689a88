/**
 * Sorting the triage's rows by index instead of by object: each sortable column gets one ascending
 * key per account (a Float64Array: numbers as they are, text as its rank under the table's
 * collation, a missing value NaN), and an order is a Uint32Array of account indexes. Comparing two
 * doubles is what makes a sort of 10,000 rows take milliseconds; comparing strings with
 * Intl.Collator on every comparison took tens of them.
 *
 * The order is react-table's, which the table used before: ascending comparators reversed for
 * descending, missing values last in either direction, ties in the order the rows came in.
 */
import type { SortEntry } from './triageState.ts';

/** How a column sorts: by a number, or by text under a collation; null or undefined = missing. */
export type SortSpec<T> =
  | { kind: 'number'; value: (row: T) => number | null | undefined; descFirst: boolean }
  | { kind: 'text'; value: (row: T) => string | null | undefined };

/** The table's text collation: case- and accent-insensitive, numbers in numeric order. */
export const TEXT_COLLATOR = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** One ascending key per row: the number itself, or the text's rank (equal texts, equal ranks). */
export function sortKey<T>(rows: readonly T[], spec: SortSpec<T>, collator = TEXT_COLLATOR): Float64Array {
  const key = new Float64Array(rows.length);
  if (spec.kind === 'number') {
    for (let i = 0; i < rows.length; i++) {
      const v = spec.value(rows[i]!);
      key[i] = v == null ? Number.NaN : v;
    }
    return key;
  }
  const texts = rows.map(spec.value);
  // the collator runs over the distinct texts once (a few dozen for a CSM, every name for the name)
  const distinct = [...new Set(texts)].filter((t): t is string => t != null).sort(collator.compare);
  const rank = new Map<string, number>();
  let r = 0;
  for (let j = 0; j < distinct.length; j++) {
    if (j > 0 && collator.compare(distinct[j - 1]!, distinct[j]!) !== 0) r = j;
    rank.set(distinct[j]!, r);
  }
  for (let i = 0; i < rows.length; i++) {
    const t = texts[i];
    key[i] = t == null ? Number.NaN : rank.get(t)!;
  }
  return key;
}

/** Row indexes 0…n−1 ordered by the keys in turn (a key is ascending unless `desc`). */
export function sortOrder(n: number, keys: readonly { key: Float64Array; desc: boolean }[]): Uint32Array {
  // a plain array: Array.prototype.sort (TimSort) makes a third of the comparisons the typed
  // array's merge sort does, and the rows mostly come already in the default order
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    for (const { key, desc } of keys) {
      const x = key[a]!;
      const y = key[b]!;
      const xMissing = Number.isNaN(x);
      const yMissing = Number.isNaN(y);
      if (xMissing || yMissing) {
        if (xMissing && yMissing) continue;
        return xMissing ? 1 : -1; // missing last, whichever the direction
      }
      if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return a - b;
  });
  return Uint32Array.from(order);
}

/**
 * The sort after a click on column `id`'s header, as react-table toggles it: a plain click sorts
 * by that column alone (its first direction, or the other one if it was already sorted); with
 * `multi` (Shift) it is added after the current columns, or flipped where it stands.
 */
export function nextSort(
  current: readonly SortEntry[],
  id: string,
  { multi, descFirst }: { multi: boolean; descFirst: boolean },
): SortEntry[] {
  const existing = current.find((s) => s.id === id);
  const desc = existing ? !existing.desc : descFirst;
  if (multi && current.length) {
    return existing ? current.map((s) => (s.id === id ? { id, desc } : s)) : [...current, { id, desc }];
  }
  return [{ id, desc }];
}

/**
 * Sort keys and orders over one set of rows, each computed when first asked for and then kept:
 * the rows never change while the page shows them, so a second sort by a column is a lookup.
 */
export class RowOrders<T> {
  private readonly keys = new Map<string, Float64Array>();
  private readonly orders = new Map<string, Uint32Array>();

  constructor(
    private readonly rows: readonly T[],
    private readonly specs: Readonly<Record<string, SortSpec<T>>>,
  ) {}

  /** The ascending key of a sortable column. */
  key(id: string): Float64Array | undefined {
    let key = this.keys.get(id);
    const spec = this.specs[id];
    if (!key && spec) {
      key = sortKey(this.rows, spec);
      this.keys.set(id, key);
    }
    return key;
  }

  /** Row indexes in `sort` order (columns that cannot sort are skipped). */
  order(sort: readonly SortEntry[]): Uint32Array {
    const usable = sort.filter((s) => this.specs[s.id]);
    const cacheKey = usable.map((s) => `${s.id}.${s.desc ? 'd' : 'a'}`).join(',');
    let order = this.orders.get(cacheKey);
    if (!order) {
      order = sortOrder(
        this.rows.length,
        usable.map((s) => ({ key: this.key(s.id)!, desc: s.desc })),
      );
      this.orders.set(cacheKey, order);
    }
    return order;
  }
}
