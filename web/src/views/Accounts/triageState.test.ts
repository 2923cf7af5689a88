import { describe, expect, it } from 'vitest';
import { summary } from '../../test/fixtures.ts';
import {
  DEFAULT_STATE,
  filterAccounts,
  filterOptions,
  headline,
  NO_CSM,
  parseSort,
  parseTriageState,
  serializeTriageState,
  type TriageState,
} from './triageState.ts';

const accounts = [
  summary({ id: 'a', name: 'Acme Retail', csm: 'Dana', vertical: 'ecommerce' }),
  summary({
    id: 'b',
    name: 'Björk Bank',
    csm: 'Lee',
    vertical: 'fintech',
    flags: [{ kind: 'plateau', reason: 'flat' }],
    gapConversations: 40,
    conversations: 500,
    resolved: 100,
  }),
  summary({
    id: 'c',
    name: 'Cloudly',
    csm: null,
    vertical: 'saas',
    status: 'prospect',
    gapConversations: null,
  }),
];

describe('triage URL state', () => {
  it('serializes the default state to an empty query', () => {
    expect(serializeTriageState(DEFAULT_STATE)).toBe('');
    expect(parseTriageState('')).toEqual(DEFAULT_STATE);
  });

  it('round-trips every field', () => {
    const state: TriageState = {
      q: 'acme & co',
      csm: 'Dana Smith',
      vertical: 'ecommerce',
      flag: 'low_cx',
      status: 'all',
      sort: [
        { id: 'cxScore', desc: false },
        { id: 'name', desc: true },
      ],
    };
    const qs = serializeTriageState(state);
    expect(qs).toContain('sort=cxScore.asc%2Cname.desc');
    expect(parseTriageState(qs)).toEqual(state);
  });

  it('ignores invalid values', () => {
    const s = parseTriageState('flag=bogus&status=zzz&sort=<script>.desc');
    expect(s.flag).toBe('');
    expect(s.status).toBe('customer');
    expect(s.sort).toEqual(DEFAULT_STATE.sort);
    expect(parseSort('name.asc,unknown.desc', new Set(['name']))).toEqual([{ id: 'name', desc: false }]);
  });
});

describe('filterAccounts', () => {
  it('hides prospects by default', () => {
    expect(filterAccounts(accounts, DEFAULT_STATE).map((a) => a.id)).toEqual(['a', 'b']);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, status: 'prospect' }).map((a) => a.id)).toEqual([
      'c',
    ]);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, status: 'all' })).toHaveLength(3);
  });
  it('filters by CSM, vertical and flag', () => {
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, csm: 'Lee' }).map((a) => a.id)).toEqual(['b']);
    expect(
      filterAccounts(accounts, { ...DEFAULT_STATE, status: 'all', csm: NO_CSM }).map((a) => a.id),
    ).toEqual(['c']);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, vertical: 'ecommerce' }).map((a) => a.id)).toEqual([
      'a',
    ]);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, flag: 'plateau' }).map((a) => a.id)).toEqual(['b']);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, flag: 'any' }).map((a) => a.id)).toEqual(['b']);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, flag: 'none' }).map((a) => a.id)).toEqual(['a']);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, flag: 'declining' })).toEqual([]);
  });
  it('searches accent- and case-insensitively across words', () => {
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, q: 'bjork' }).map((a) => a.id)).toEqual(['b']);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, q: 'RETAIL dana' }).map((a) => a.id)).toEqual(['a']);
    expect(filterAccounts(accounts, { ...DEFAULT_STATE, q: 'zzz' })).toEqual([]);
  });
});

describe('headline', () => {
  it('sums over the shown customers (the prospect Cloudly counts as an account, not in the figures)', () => {
    const h = headline(accounts);
    expect(h.accounts).toBe(3);
    expect(h.conversations).toBe(1500);
    expect(h.resolved).toBe(500);
    expect(h.automationRate).toBeCloseTo(1 / 3, 12);
    expect(h.unrealizedConversations).toBe(200);
    expect(h.flagged).toBe(1);
    expect(h.flagCounts.plateau).toBe(1);
  });
  it('counts a climbing account among the flags, not among those needing attention', () => {
    const climbing = { ...accounts[0]!, flags: [{ kind: 'climbing' as const, reason: 'up 9 points' }] };
    const h = headline([climbing]);
    expect(h.flagCounts.climbing).toBe(1);
    expect(h.flagged).toBe(0);
    expect(
      headline([{ ...climbing, flags: [...climbing.flags, { kind: 'low_cx' as const, reason: 'CX 3.1' }] }])
        .flagged,
    ).toBe(1);
  });
  it('has a null rate with no conversations', () => {
    expect(headline([]).automationRate).toBeNull();
  });
  it('leaves prospects out of the portfolio figures', () => {
    const prospect = { ...accounts[0]!, id: 'p', status: 'prospect' as const, gapConversations: 999 };
    const h = headline([...accounts, prospect]);
    expect([h.accounts, h.conversations, h.resolved, h.unrealizedConversations]).toEqual([4, 1500, 500, 200]);
    expect(headline([prospect]).automationRate).toBeNull();
    // what the prospects-only view shows instead: their own gap, and that no customer is shown
    expect(h).toMatchObject({ customers: 2, prospects: 2, prospectGapConversations: 999 });
    expect(headline([prospect])).toMatchObject({ customers: 0, prospects: 1, prospectGapConversations: 999 });
  });
  it('lists filter options', () => {
    const o = filterOptions(accounts);
    expect(o.csms).toEqual(['(unassigned)', 'Dana', 'Lee']);
    expect(o.verticals).toEqual(['ecommerce', 'fintech', 'saas']);
    expect(o.prospects).toBe(1);
  });
});
