import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TriageAccount } from '../../api/server-types.ts';
import { COLUMNS, gapTitle, TRIAGE_BOX_AT_1280, TRIAGE_MIN_WIDTH } from './columns.tsx';

describe('gapTitle', () => {
  it('spells out the row’s arithmetic: the gap is to the last 3 months, not to this month beside it', () => {
    // the audit's example: 45.3% this month, 67.1% potential, a 36.9-point gap
    expect(gapTitle(0.369, 0.671, 0.302, 0.453)).toBe(
      '67.1% potential − 30.2% automation over the last 3 months (since go-live for an account live for less) = 36.9 pts, each figure rounded on its own (this month: 45.3%)',
    );
    // each figure as the account page shows it: the window's own 41.7%, not 71.9 − 30.1 = 41.8
    expect(gapTitle(0.301, 0.719, 0.417, 0.45)).toBe(
      '71.9% potential − 41.7% automation over the last 3 months (since go-live for an account live for less) = 30.1 pts, each figure rounded on its own (this month: 45.0%)',
    );
    expect(gapTitle(0.1, null, 0.3, 0.4)).toBeUndefined();
    expect(gapTitle(0.561, 0.561, null, 0, true)).toBe('56.1% potential − no AI agent yet = 56.1 pts');
  });
});

describe('COLUMNS', () => {
  it('fit the table’s box on a 1280 px screen, so no column is cut or scrolled there', () => {
    expect(TRIAGE_MIN_WIDTH).toBe(COLUMNS.reduce((s, c) => s + c.width, 0));
    expect(TRIAGE_MIN_WIDTH).toBeLessThanOrEqual(TRIAGE_BOX_AT_1280);
  });

  it('break a one-word header only at a soft hyphen, its name unchanged', () => {
    for (const c of COLUMNS.filter((x) => x.label)) {
      expect(c.label!.replace(/\u00ad/g, '')).toBe(c.header);
    }
  });
});

describe('the potential cell', () => {
  const account = (automationRate: number, automationPotential: number): TriageAccount => ({
    id: 'a',
    name: 'A',
    vertical: 'saas',
    plan: null,
    csm: null,
    region: null,
    arr: null,
    status: 'customer',
    conversations: 100,
    resolved: 75,
    involvementRate: 0.9,
    resolutionRate: 0.8,
    automationRate,
    automationPotential,
    windowAutomationRate: automationRate,
    gapPoints: 0,
    gapConversations: 0,
    cxScore: null,
    flags: [],
    trend: [],
  });
  const cell = (a: TriageAccount) =>
    renderToStaticMarkup(
      createElement(Fragment, null, COLUMNS.find((c) => c.id === 'automationPotential')!.cell(a)),
    );

  it('marks a potential this month’s rate has already passed, and says why on hover', () => {
    const passed = cell(account(0.752, 0.749));
    expect(passed).toContain('74.9%');
    expect(passed).toContain('(passed this month)');
    expect(passed).toContain('This month’s 75.2% is already above the potential');
    expect(cell(account(0.5, 0.749))).toBe('74.9%');
  });
});
