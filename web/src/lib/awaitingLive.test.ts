import { describe, expect, it } from 'vitest';
import { awaitingLiveNote } from './awaitingLive.ts';

describe('awaitingLiveNote', () => {
  it('says a go-live after the data ends, and one too recent for a full live month', () => {
    expect(
      awaitingLiveNote({ awaitingLive: true, aiLiveSince: '2025-03-01', dataAsOf: '2025-01-02T22:00:00Z' }),
    ).toBe(
      'The AI agent goes live on 1 Mar 2025: the gap to the potential and the next actions are read from its first full month live, after the data ends. Until then the potential is what the account could reach.',
    );
    expect(
      awaitingLiveNote({ awaitingLive: true, aiLiveSince: '2024-12-10', dataAsOf: '2025-01-02T22:00:00Z' }),
    ).toMatch(/^The AI agent went live on 10 Dec 2024: .* first full month live\. Until/);
  });
  it('says nothing of an account with live months', () => {
    expect(awaitingLiveNote({ aiLiveSince: '2024-12-10', dataAsOf: '2025-03-02T22:00:00Z' })).toBeNull();
  });
});
