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

/** Nulls as undefined in accessors, so `sortUndefined: 'last'` keeps them at the bottom. */
export const orUndefined = (v: number | null | undefined) => (v == null ? undefined : v);

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
