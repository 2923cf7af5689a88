import { describe, expect, it } from 'vitest';
import type { BenchmarkSource, EstimateLimits } from '../../api/server-types.ts';
import {
  acceptList,
  bytesLabel,
  checkFile,
  datesNote,
  defaultProspectName,
  existingAgentNote,
  howLine,
  noTextNote,
  potentialLine,
  progressFraction,
  rejectedNote,
  skippedList,
  smallExportNote,
  sourcesLine,
  unfamiliarNote,
  unreadableNote,
  withLine,
} from './estimateState.ts';

const limits: EstimateLimits = {
  maxBytes: 200 * 1024 * 1024,
  maxBytesLabel: '200 MB',
  previewBytes: 65536,
  maxLineBytes: 1048576,
  saveMaxRejectRate: 0.01,
  formats: [
    { id: 'canonical', label: 'Canonical', extensions: ['.jsonl', '.jsonl.gz'] },
    { id: 'intercom', label: 'Intercom', extensions: ['.json', '.jsonl', '.gz'] },
    { id: 'csv', label: 'CSV', extensions: ['.csv', '.tsv', '.txt', '.csv.gz'] },
  ],
  verticals: ['ecommerce', 'other'],
  defaultVertical: 'other',
};

describe('estimate view helpers', () => {
  it('labels bytes', () => {
    expect(bytesLabel(0)).toBe('0 B');
    expect(bytesLabel(812)).toBe('812 B');
    expect(bytesLabel(65536)).toBe('64 KB');
    expect(bytesLabel(3.2 * 1024 * 1024)).toBe('3.2 MB');
    expect(bytesLabel(200 * 1024 * 1024)).toBe('200 MB');
    expect(bytesLabel(1.5 * 1024 ** 3)).toBe('1.5 GB');
    expect(bytesLabel(null)).toBe('—');
  });

  it('derives the prospect name from the file name', () => {
    expect(defaultProspectName('acme-export.jsonl.gz')).toBe('acme export');
    expect(defaultProspectName('bank_freshdesk.csv')).toBe('bank freshdesk');
    expect(defaultProspectName('C:\\exports\\Zendesk tickets.json')).toBe('Zendesk tickets');
    expect(defaultProspectName('conversations.csv')).toBe('conversations');
    expect(defaultProspectName('data.xlsx')).toBe('data xlsx');
    // nothing left: the server names it ("Prospect 3f9a1c")
    expect(defaultProspectName('.csv')).toBe('');
    expect(defaultProspectName(`${'x'.repeat(200)}.csv`)).toHaveLength(120);
  });

  it('checks size before any upload', () => {
    expect(checkFile({ name: 'a.csv', size: 10 }, limits)).toBeNull();
    expect(checkFile({ name: 'a.csv', size: 0 }, limits)).toMatch(/empty/);
    expect(checkFile({ name: 'big.jsonl', size: 300 * 1024 * 1024 }, limits)).toBe(
      '“big.jsonl” is 300 MB, over the 200 MB limit. Export a shorter period, or gzip the file.',
    );
    expect(checkFile({ name: 'edge', size: limits.maxBytes }, limits)).toBeNull();
  });

  it('builds the accept list from the formats', () => {
    expect(acceptList(limits.formats)).toBe('.jsonl,.gz,.json,.csv,.tsv,.txt');
  });

  it('explains the number and its sources', () => {
    const line = howLine({
      vertical: 'ecommerce',
      confidence: 0.724,
      benchmark: { vertical: 'ecommerce', verticalAccounts: 12, allAccounts: 60, sources: {} },
    });
    expect(line).toContain('(P75 of 12 customers in the E-commerce vertical, of 60 in all);');
    expect(line).toContain('mean confidence 72.4%');
    expect(
      howLine({
        vertical: 'gaming',
        confidence: null,
        benchmark: { vertical: 'gaming', verticalAccounts: 0, allAccounts: 60, sources: {} },
      }),
    ).toContain('(P75 of 60 customers in all verticals, none in the Gaming vertical);');
    const leaf = (source: BenchmarkSource, share: number) => ({ share, benchmark: { source } as never });
    expect(
      sourcesLine([
        leaf('class_all', 0.4),
        leaf('vertical', 0.25),
        leaf('vertical', 0.12),
        leaf('class_all', 0.23),
      ]),
    ).toBe(
      'Topic levels: 2 topics (37.0% of the volume) from peers in the vertical, 2 (63.0%) from the automation class’s level.',
    );
    expect(sourcesLine([leaf('all_verticals', 1)])).toBe(
      'Topic levels: 1 topic (100.0% of the volume) from peers in all verticals.',
    );
    expect(sourcesLine([])).toBe('');
  });

  it('lists skipped reasons, most frequent first', () => {
    expect(skippedList({ skippedReasons: { b: 1, a: 1, preview: 5 } })).toEqual([
      { reason: 'preview', n: 5 },
      { reason: 'a', n: 1 },
      { reason: 'b', n: 1 },
    ]);
  });

  it('appends the line to a message only when missing', () => {
    expect(withLine('invalid JSON', 4)).toBe('invalid JSON (line 4)');
    expect(withLine('invalid UTF-8 on line 3 (byte 46)', 3)).toBe('invalid UTF-8 on line 3 (byte 46)');
    expect(withLine('bad', undefined)).toBe('bad');
  });

  it('computes progress', () => {
    expect(progressFraction(50, 200)).toBe(0.25);
    expect(progressFraction(50, null)).toBeNull();
    expect(progressFraction(500, 200)).toBe(1);
  });
});

describe('smallExportNote', () => {
  it('cautions below 200 conversations and is silent from there', () => {
    expect(smallExportNote(1)).toMatch(/^Only 1 conversation: /);
    expect(smallExportNote(60)).toMatch(/^Only 60 conversations: .*sampling error/);
    expect(smallExportNote(200)).toBeNull();
  });
});

describe('rejectedNote and potentialLine', () => {
  const report = (records: number, rejected: number) => ({ report: { records, rejected } }) as never;
  it('warns from 5% of the records rejected, with the counts', () => {
    expect(rejectedNote(report(1000, 49))).toBeNull();
    expect(rejectedNote(report(20000, 17429))).toMatch(
      /^17,429 of the file’s 20,000 records \(87\.1%\) were rejected/,
    );
    expect(rejectedNote(report(0, 0))).toBeNull();
  });
  it('gives the potential with its range, or why there is none', () => {
    expect(potentialLine({ potential: 0.667, potentialLow: 0.553, potentialHigh: 0.724 })).toBe(
      '66.7% (range 55.3%–72.4%)',
    );
    expect(
      potentialLine({ potential: null, potentialLow: null, potentialHigh: null, withheld: 'unreadable' }),
    ).toMatch(/^withheld/);
    expect(potentialLine({ potential: null, potentialLow: null, potentialHigh: null })).toBe('—');
  });
});

describe('datesNote', () => {
  it('says beside the figures when the dates fall in separate periods, or some lie far from the rest', () => {
    const base = { monthlyConversations: 1521.8, months: 0.46 };
    expect(datesNote(base)).toBeNull();
    expect(
      datesNote({
        ...base,
        periods: [
          { from: '2026-01-05T00:09:40Z', to: '2026-01-11T23:40:16Z', conversations: 350 },
          { from: '2026-06-01T00:00:00Z', to: '2026-06-07T23:40:16Z', conversations: 350 },
        ],
      }),
    ).toBe(
      'The export holds 2 separate periods with months without a conversation between them (5 Jan 2026 – 11 Jan 2026; 1 Jun 2026 – 7 Jun 2026): its ≈ 1,522 conversations a month are read over the 0.5 months they cover, as if the months between were as busy — check the export was not sampled or cut.',
    );
    expect(datesNote({ ...base, strayDates: 1 })).toBe(
      "1 conversation is dated far from the rest (see the import report): left out of the export's period and monthly trend.",
    );
  });
});

describe('noTextNote', () => {
  it('says from 10% how many conversations have no customer words, and when that withholds the potential', () => {
    expect(noTextNote({ conversations: 100, noText: 9 })).toBeNull();
    expect(noTextNote({ conversations: 100 })).toBeNull();
    expect(noTextNote({ conversations: 100, noText: 30 })).toBe(
      '30 (30.0%) of the conversations have no customer words (no message, or only emoji, numbers and punctuation): they count in the volume but in no topic, so the breakdown and the potential rest on the other conversations and are less sure by that much.',
    );
    expect(noTextNote({ conversations: 300, noText: 300, withheld: 'no_text' })).toMatch(
      /^All of the conversations have no customer words .*: there is no request to read, so no potential and no roadmap — check that the export's text column holds what customers wrote\.$/,
    );
    expect(
      potentialLine({ potential: null, potentialLow: null, potentialHigh: null, withheld: 'no_text' }),
    ).toBe('withheld: most conversations have no customer words to read');
  });
});

describe('unfamiliarNote', () => {
  it('says from 20% of low-confidence requests that the topics may not fit this business', () => {
    expect(unfamiliarNote({ lowConfidenceRequests: 0.15 })).toBeNull();
    expect(unfamiliarNote({ lowConfidenceRequests: null })).toBeNull();
    expect(unfamiliarNote({})).toBeNull();
    // a withheld estimate says why already
    expect(unfamiliarNote({ lowConfidenceRequests: 0.6, withheld: 'unreadable' })).toBeNull();
    expect(unfamiliarNote({ lowConfidenceRequests: 0.35 })).toBe(
      '35.0% of the support requests match none of Cockpit’s topics well (classified with under 50% confidence, against 1–15% for the kinds of business its topics were written for): this business may run topics the taxonomy does not have. The topic names are the nearest matches and the class mix, so the potential, is less sure — open the example conversations of the largest topics before quoting the figures.',
    );
  });
});

describe('unreadableNote', () => {
  it('says how many conversations the classifier cannot read, from 1% of the export', () => {
    expect(unreadableNote({ conversations: 1000, unreadable: 5 })).toBeNull();
    expect(unreadableNote({ conversations: 1000 })).toBeNull();
    expect(unreadableNote({ conversations: 1000, unreadable: 120 })).toMatch(
      /^120 \(12(\.0)?%\) of the conversations are in a language Cockpit’s classifier does not read/,
    );
    expect(unreadableNote({ conversations: 150, unreadable: 97, withheld: 'unreadable' })).toMatch(
      /^97 \(64\.7%\) of the conversations .*: no potential and no roadmap for this export/,
    );
    expect(unreadableNote({ conversations: 40, unreadable: 40 })).toMatch(
      /^All of the conversations .* say nothing about this export\.$/,
    );
  });
});

describe('existingAgentNote', () => {
  it('says beside the figures that an AI agent is already live, and what it resolved', () => {
    expect(existingAgentNote({ conversations: 240 })).toBeNull();
    expect(existingAgentNote({ conversations: 240, aiInvolved: 0, aiResolved: 0 })).toBeNull();
    expect(existingAgentNote({ conversations: 240, aiInvolved: 240, aiResolved: 118 })).toBe(
      'An AI agent already took part in 240 of the 240 conversations (100.0%), and resolved 118 (49.2% of all) by the export’s own outcomes. The estimate reads only what customers asked and starts from no automation, as for a prospect without one: the gap below is measured from zero, not from what that agent does today.',
    );
    expect(existingAgentNote({ conversations: 200, aiInvolved: 50, aiResolved: 0 })).toMatch(
      /^An AI agent already took part in 50 of the 200 conversations \(25(\.0)?%\)\. The estimate/,
    );
  });
});
