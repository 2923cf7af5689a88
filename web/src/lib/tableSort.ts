/** Column sorting shared by the react-table columns of every view. */
import type { Row, RowData, TableFeatures } from '@tanstack/react-table';

/** Ascending numeric comparator; the table reverses it for descending. */
export const byNumber = <F extends TableFeatures, T extends RowData>(
  a: Row<F, T>,
  b: Row<F, T>,
  id: string,
) => (a.getValue(id) as number) - (b.getValue(id) as number);

/** Spread into a numeric column: by number, missing values (undefined) last, descending first. */
export const numericColumn = { sortFn: byNumber, sortUndefined: 'last' as const, sortDescFirst: true };

/**
 * Nulls (and NaN) as undefined in accessors, so `sortUndefined: 'last'` keeps them at the bottom: a
 * NaN reaching `byNumber` compares equal to everything and leaves the rest of the order wrong.
 */
export const orUndefined = (v: number | null | undefined) => (v == null || Number.isNaN(v) ? undefined : v);

/** Ascending comparator of the values as strings (`localeCompare`). */
export const byString = <F extends TableFeatures, T extends RowData>(
  a: Row<F, T>,
  b: Row<F, T>,
  id: string,
) => String(a.getValue(id)).localeCompare(String(b.getValue(id)), 'en');

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Ascending comparator of the values as strings, case-insensitive with numbers in numeric order. */
export const byNaturalText = <F extends TableFeatures, T extends RowData>(
  a: Row<F, T>,
  b: Row<F, T>,
  id: string,
) => collator.compare(String(a.getValue(id)), String(b.getValue(id)));

/** One sorted column, as the URL keeps it: `id.desc`. */
export interface SortEntry {
  id: string;
  desc: boolean;
}

const SORT_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * A sort from the URL (`gap.desc,name.asc`); unknown or repeated columns are dropped, and
 * `fallback` stands for an empty or unreadable one.
 */
export function parseSortParam(
  raw: string | null,
  fallback: SortEntry[],
  allowed?: ReadonlySet<string>,
): SortEntry[] {
  if (!raw) return fallback;
  const out: SortEntry[] = [];
  for (const part of raw.split(',')) {
    const [id, dir] = part.split('.');
    if (!id || !SORT_ID.test(id) || (allowed && !allowed.has(id))) continue;
    if (out.some((s) => s.id === id)) continue;
    out.push({ id, desc: dir === 'desc' });
  }
  return out.length ? out : fallback;
}

export function serializeSort(sort: readonly SortEntry[]): string {
  return sort.map((s) => `${s.id}.${s.desc ? 'desc' : 'asc'}`).join(',');
}

/** `next` (a view's own state as a query string) with the tables' sort parameters of `prev` kept. */
export function withSortParams(
  next: string,
  prev: URLSearchParams,
  keys: readonly string[],
): URLSearchParams {
  const p = new URLSearchParams(next);
  for (const k of keys) {
    const v = prev.get(k);
    if (v !== null) p.set(k, v);
  }
  return p;
}
