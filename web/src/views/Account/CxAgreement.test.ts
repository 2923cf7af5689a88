import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { cx } from '../../test/fixtures.ts';
import { CxCurve, CxDisagreements } from './CxAgreement.tsx';
import { CxSection } from './CxSection.tsx';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('CX against CSAT in the Account view', () => {
  it('the curve table lists every score with its count and both means', () => {
    const html = renderToStaticMarkup(createElement(CxCurve, { points: cx().calibrationCurve }));
    const rows = html.match(/<tr>.*?<\/tr>/g)!;
    expect(rows).toHaveLength(6);
    // score 1: 10 rated, no mean (—), every account 0.90
    expect(text(rows[1]!)).toBe(' 1 10 — 0.90 ');
    expect(text(rows[4]!)).toBe(' 4 40 3.70 3.90 ');
  });
  it('says so when the account has no ratings', () => {
    const none = cx().calibrationCurve.map((p) => ({ ...p, rated: 0, meanCsat: null }));
    expect(text(renderToStaticMarkup(createElement(CxCurve, { points: none })))).toContain(
      'No rated conversations',
    );
  });
  it('each queued conversation shows score, rating and the gap, and opens to its signals', () => {
    const html = renderToStaticMarkup(
      createElement(CxDisagreements, { rows: cx().disagreements, onPickLeaf: () => {} }),
    );
    const t = text(html);
    expect(t).toContain('acme-17 · Invoice copy: score 4.25 , rated 1');
    expect(t).toContain('(+3.25)');
    expect(t).toContain('Assumed resolution');
    expect(t).toContain('Example conversations of Invoice copy');
    expect(html.match(/<details>/g)).toHaveLength(1);
  });
  it('lists only the conversations whose score is half a point or more from their rating', () => {
    const [row] = cx().disagreements;
    const rows = [row!, { ...row!, id: 'acme-18', score: 4.55, csat: 5, gap: -0.45 }];
    const t = text(renderToStaticMarkup(createElement(CxDisagreements, { rows, onPickLeaf: () => {} })));
    expect(t).toContain('acme-17');
    expect(t).not.toContain('acme-18');
    expect(t).toContain('The next one is within half a point of its rating.');
    const close = text(
      renderToStaticMarkup(createElement(CxDisagreements, { rows: rows.slice(1), onPickLeaf: () => {} })),
    );
    // the list holds the largest differences: when they agree, every rated conversation does
    expect(close).toContain(
      'Every rated conversation in the window scores within half a point of its rating.',
    );
  });
  it('the CX section shows the method and both parts; a prospect (no curve) shows neither', () => {
    const full = text(
      renderToStaticMarkup(
        createElement(CxSection, { cx: cx(), onPickLeaf: () => {}, onPickScore: () => {} }),
      ),
    );
    expect(full).toContain('Calibrated against CSAT (a monotone curve per sub-signal): Spearman 0.61');
    expect(full).toContain('outcome alone 0.49');
    expect(full).toContain('Score vs CSAT');
    expect(full).toContain('Score and rating disagree most');
    // the distribution drills down (SPEC §5: every chart links to the rows behind it)
    expect(full).toContain('Examples by score: 1 · 2 · 3 · 4 · 5 — or click a bar.');
    const prospect = { ...cx(), calibration: null, calibrationCurve: [], disagreements: [] };
    const p = text(
      renderToStaticMarkup(
        createElement(CxSection, { cx: prospect, onPickLeaf: () => {}, onPickScore: () => {} }),
      ),
    );
    expect(p).not.toContain('Score vs CSAT');
    expect(p).not.toContain('disagree');
  });
});
