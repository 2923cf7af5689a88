import { useTable } from '@tanstack/react-table';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LeafPatternRow } from '../../api/server-types.ts';
import { smallTableFeatures } from '../../components/DataTable.tsx';
import { leafPattern } from '../../test/fixtures.ts';
import { leafColumns } from './columns.tsx';

/** A topic row whose gap is `audience` + `resolution` unrealized conversations a month. */
const topic = (id: string, audience: number, resolution: number) =>
  leafPattern({
    taxonomyId: id,
    label: id,
    unrealizedConversations: audience + resolution,
    unrealizedByLever: { audience, resolution },
  });

/** The row ids in the order the table shows them, sorted on `column`. */
function order(rows: LeafPatternRow[], column: string, desc: boolean): string[] {
  let ids: string[] = [];
  function Table() {
    const table = useTable({
      features: smallTableFeatures,
      columns: leafColumns,
      data: rows,
      getRowId: (r) => r.taxonomyId,
      state: { sorting: [{ id: column, desc }] },
    });
    ids = table.getRowModel().rows.map((r) => r.id);
    return null;
  }
  renderToString(createElement(Table));
  return ids;
}

describe('Patterns topics table', () => {
  it('sorts "Needs mostly" by the audience share of the gap, topics without a gap last either way', () => {
    // b and e have no unrealized conversations (the cell shows "—"); h has 0.3 a month, shown as 0
    const rows = [
      topic('a', 90, 10),
      topic('b', 0, 0),
      topic('c', 10, 90),
      topic('d', 50, 50),
      topic('e', 0, 0),
      topic('f', 70, 30),
      topic('g', 30, 70),
      topic('h', 0.2, 0.1),
    ];
    expect(order(rows, 'lever', true)).toEqual(['a', 'f', 'd', 'g', 'c', 'b', 'e', 'h']);
    expect(order(rows, 'lever', false)).toEqual(['c', 'g', 'd', 'f', 'a', 'b', 'e', 'h']);
  });
});
