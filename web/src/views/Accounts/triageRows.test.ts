import { describe, expect, it } from 'vitest';
import type { TriageAccount } from '../../api/server-types.ts';
import { summary } from '../../test/fixtures.ts';
import { TriageRows } from './triageRows.ts';
import { DEFAULT_STATE, filterAccounts, type TriageState } from './triageState.ts';

const accounts: TriageAccount[] = [
  summary({ id: 'a', name: 'Acme Retail 10', csm: 'Dana', gapConversations: 40, cxScore: 3.2 }),
  summary({ id: 'b', name: 'Björk Bank', csm: null, gapConversations: null, cxScore: null }),
  summary({
    id: 'c',
    name: 'acme retail 9',
    csm: 'Lee',
    gapConversations: 90,
    cxScore: 4.1,
    flags: [{ kind: 'plateau', reason: 'flat' }],
  }),
  summary({ id: 'd', name: 'Cloudly', csm: 'Dana', status: 'prospect', gapConversations: 10, cxScore: 3.9 }),
];
const ids = (rows: readonly TriageAccount[]) => rows.map((a) => a.id);
const state = (over: Partial<TriageState>): TriageState => ({ ...DEFAULT_STATE, status: 'all', ...over });

describe('TriageRows.shown', () => {
  const rows = new TriageRows(accounts);

  it('sorts by the default (largest gap first, missing last)', () => {
    expect(ids(rows.shown(state({})))).toEqual(['c', 'a', 'd', 'b']);
  });

  it('sorts text by the collation (numbers numeric, case and accents ignored), CSM missing last', () => {
    expect(ids(rows.shown(state({ sort: [{ id: 'name', desc: false }] })))).toEqual(['c', 'a', 'b', 'd']);
    expect(ids(rows.shown(state({ sort: [{ id: 'csm', desc: true }] })))).toEqual(['c', 'a', 'd', 'b']);
  });

  it('sorts by flags (flagged first) and by CX with missing last either way', () => {
    expect(ids(rows.shown(state({ sort: [{ id: 'flags', desc: true }] })))[0]).toBe('c');
    expect(ids(rows.shown(state({ sort: [{ id: 'cxScore', desc: false }] })))).toEqual(['a', 'd', 'c', 'b']);
    expect(ids(rows.shown(state({ sort: [{ id: 'cxScore', desc: true }] })))).toEqual(['c', 'd', 'a', 'b']);
  });

  it('keeps the same accounts as filterAccounts, in sort order', () => {
    for (const filters of [
      { q: 'acme' },
      { q: 'ACME 9' },
      { csm: 'Dana' },
      { status: 'customer' as const },
      { flag: 'any' as const },
      { flag: 'none' as const, q: 'dana' },
    ]) {
      const s = state({ ...filters, sort: [{ id: 'name', desc: true }] });
      const shown = rows.shown(s);
      expect(new Set(ids(shown))).toEqual(new Set(ids(filterAccounts(accounts, s))));
    }
  });

  it('gives the same answers after its preparation steps (the idle-time work)', () => {
    const before = rows.shown(state({ q: 'bjork', sort: [{ id: 'name', desc: false }] }));
    const prepared = new TriageRows(accounts);
    for (const step of prepared.preparationSteps()) step();
    expect(prepared.shown(state({ q: 'bjork', sort: [{ id: 'name', desc: false }] }))).toEqual(before);
    expect(ids(before)).toEqual(['b']);
  });
});
