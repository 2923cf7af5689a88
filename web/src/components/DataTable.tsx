/**
 * A small sortable table (no virtualization) for breakdowns: real <table>, aria-sort, keyboard rows.
 * Optionally expandable: rows whose id is in `expanded` get a detail row from `renderDetail`
 * (the first column should render the toggle button with aria-expanded).
 */
import {
  type ColumnDef,
  createSortedRowModel,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { Fragment, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'wouter';
import { parseSortParam, serializeSort } from '../lib/tableSort.ts';

export const smallTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
});
export type SmallF = typeof smallTableFeatures;

export interface ColUi {
  align?: 'left' | 'right';
  title?: string;
  width?: number;
}

export function DataTable<T extends object>({
  columns,
  data,
  ui,
  initialSort,
  getRowId,
  onRowActivate,
  caption,
  testId,
  expanded,
  renderDetail,
  sortParam,
  initialRows,
}: {
  // biome-ignore lint/suspicious/noExplicitAny: columns mix value types (react-table's own helper returns any here)
  columns: ColumnDef<SmallF, T, any>[];
  data: T[];
  ui: Record<string, ColUi>;
  initialSort: SortingState;
  getRowId: (row: T) => string;
  /** mouse activation of a whole row; the first column should render a button for keyboards */
  onRowActivate?: (row: T) => void;
  caption: string;
  testId?: string;
  /** ids of the rows showing their detail row */
  expanded?: ReadonlySet<string>;
  renderDetail?: (row: T) => ReactNode;
  /** keep the sort in the URL under this query parameter (reload, Back and a shared link keep it) */
  sortParam?: string;
  /** show the first this many rows of the sorted table, and a button for the rest */
  initialRows?: number;
}) {
  const [showAll, setShowAll] = useState(false);
  // "Show all" goes away when pressed: focus moves to the first row it showed, not to the page
  const firstShown = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (showAll) firstShown.current?.querySelector<HTMLElement>('button, a')?.focus();
  }, [showAll]);
  const [sorting, setSorting] = useUrlSorting(
    initialSort,
    sortParam,
    columns.map((c) => c.id ?? (c as { accessorKey?: string }).accessorKey ?? ''),
  );
  const table = useTable({
    features: smallTableFeatures,
    columns,
    data,
    getRowId,
    state: { sorting },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
  });
  const primary = sorting[0];
  const allRows = table.getRowModel().rows;
  // a handful more than the limit is shown whole: "show 2 more" is not worth a click
  const limited = initialRows !== undefined && !showAll && allRows.length > initialRows + 3;
  const shownRows = limited ? allRows.slice(0, initialRows) : allRows;
  const idBase = useId();
  // a column's definition: `title` shows it to the mouse; screen readers get it as the header's
  // description, which they announce reliably (a title alone often is not)
  const defId = (columnId: string) => `${idBase}-def-${columnId.replace(/[^\w-]/g, '_')}`;
  return (
    <div className="table-scroll table-scroll-auto">
      <table className="data-table" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => {
                const u = ui[h.column.id];
                const dir = h.column.getIsSorted();
                return (
                  <th
                    key={h.id}
                    scope="col"
                    // a plain header's definition (a sortable one's is on its button, which takes focus)
                    aria-describedby={u?.title && !h.column.getCanSort() ? defId(h.column.id) : undefined}
                    className={u?.align === 'right' ? 'num' : undefined}
                    style={u?.width ? { width: u.width } : undefined}
                    aria-sort={
                      primary?.id === h.column.id && dir
                        ? dir === 'desc'
                          ? 'descending'
                          : 'ascending'
                        : h.column.getCanSort()
                          ? 'none'
                          : undefined
                    }
                  >
                    {h.column.getCanSort() ? (
                      <button
                        type="button"
                        className={`th-sort${dir ? ' is-sorted' : ''}`}
                        onClick={h.column.getToggleSortingHandler()}
                        title={u?.title}
                        aria-describedby={u?.title ? defId(h.column.id) : undefined}
                      >
                        <span>
                          <table.FlexRender header={h} />
                        </span>
                        <svg
                          className="sort-icon"
                          viewBox="0 0 10 14"
                          width="8"
                          height="12"
                          aria-hidden="true"
                        >
                          <path d="M5 1L9 5.5H1z" className={dir === 'asc' ? 'on' : ''} />
                          <path d="M5 13L1 8.5h8z" className={dir === 'desc' ? 'on' : ''} />
                        </svg>
                      </button>
                    ) : (
                      <span className="th-plain" title={u?.title}>
                        <table.FlexRender header={h} />
                      </span>
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {shownRows.map((row, i) => (
            <Fragment key={row.id}>
              <tr
                ref={showAll && i === initialRows ? firstShown : undefined}
                className={
                  [onRowActivate && 'is-clickable', expanded?.has(row.id) && 'is-expanded']
                    .filter(Boolean)
                    .join(' ') || undefined
                }
                onClick={
                  onRowActivate
                    ? (e) => {
                        // the first cell holds the keyboard-accessible button; avoid a double activation
                        if ((e.target as HTMLElement).closest('button, a')) return;
                        onRowActivate(row.original);
                      }
                    : undefined
                }
              >
                {row.getAllCells().map((cell, i) => {
                  const u = ui[cell.column.id];
                  return i === 0 ? (
                    <th key={cell.id} scope="row" className={u?.align === 'right' ? 'num' : undefined}>
                      <table.FlexRender cell={cell} />
                    </th>
                  ) : (
                    <td key={cell.id} className={u?.align === 'right' ? 'num' : undefined}>
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
              {renderDetail && expanded?.has(row.id) && (
                <tr className="detail-row">
                  <td colSpan={row.getAllCells().length}>{renderDetail(row.original)}</td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {limited && (
        <p className="table-more">
          <button type="button" className="btn btn-link btn-sm" onClick={() => setShowAll(true)}>
            Show all {allRows.length} rows
          </button>
          <span className="muted small"> ({allRows.length - shownRows.length} more, in the same order)</span>
        </p>
      )}
      {/* outside the table: inside a header they would become part of every cell's column name */}
      <div hidden>
        {Object.entries(ui).map(([columnId, u]) =>
          u.title ? (
            <span key={columnId} id={defId(columnId)}>
              {u.title}
            </span>
          ) : null,
        )}
      </div>
    </div>
  );
}

/**
 * The table's sort, in the URL when `param` is given (a default sort leaves it out, so plain links
 * stay plain), else in component state. Columns the table does not have are ignored.
 */
function useUrlSorting(initial: SortingState, param: string | undefined, columnIds: readonly string[]) {
  const [local, setLocal] = useState<SortingState>(initial);
  const [params, setParams] = useSearchParams();
  const raw = param ? params.get(param) : null;
  const initialKey = serializeSort(initial);
  const idsKey = columnIds.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the sort's and the columns' text, not their arrays (new on every render)
  const fromUrl = useMemo(
    () => (param ? parseSortParam(raw, initial, new Set(columnIds)) : null),
    [param, raw, initialKey, idsKey],
  );
  const sorting = fromUrl ?? local;
  const setSorting = (updater: SortingState | ((old: SortingState) => SortingState)) => {
    const next = typeof updater === 'function' ? updater(sorting) : updater;
    if (!param) return setLocal(next);
    const value = serializeSort(next);
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (value === initialKey) p.delete(param);
        else p.set(param, value);
        return p;
      },
      { replace: true },
    );
  };
  return [sorting, setSorting] as const;
}
