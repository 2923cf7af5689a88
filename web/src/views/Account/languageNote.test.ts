import { describe, expect, it } from 'vitest';
import { languageNote } from './languageNote.ts';

const month = (m: string, conversations: number) => ({ month: m, conversations }) as never;
const window = { from: '2026-09', to: '2026-11', months: 3 };
const months = [
  month('2026-08', 5000),
  month('2026-09', 1000),
  month('2026-10', 1000),
  month('2026-11', 500),
];

describe('languageNote: conversations in a language the classifier does not read', () => {
  it('says how many of the window’s conversations, from 1% of them', () => {
    expect(languageNote({ unreadable: 250, months, window })).toMatch(
      /^250 conversations \(10(\.0)?%\) of the last 3 months are in a language Cockpit’s classifier does not read/,
    );
  });
  it('says nothing under 1%, or for a build that does not count them', () => {
    expect(languageNote({ unreadable: 20, months, window })).toBeNull();
    expect(languageNote({ months, window })).toBeNull();
  });
});
