import { describe, expect, it } from 'vitest';
import type { SampleConversation } from '../../api/server-types.ts';
import { leverNote, leverOfKind, samplesForLever } from './samplesFor.ts';

const c = (
  id: string,
  aiInvolved: boolean,
  aiResolutionState: SampleConversation['aiResolutionState'],
  reopened = false,
) => ({
  id,
  aiInvolved,
  aiResolutionState,
  reopened,
});

describe('an action’s example conversations, its evidence first', () => {
  const samples = [
    c('resolved', true, 'confirmed_resolution'),
    c('human', false, null),
    c('escalated', true, 'escalated'),
    c('reopened', true, 'assumed_resolution', true),
    c('human2', false, null),
  ];
  it('puts the conversations without the AI agent first for "widen the audience"', () => {
    const { ordered, evidence } = samplesForLever(samples, leverOfKind('widen_audience'));
    expect(ordered.map((s) => s.id)).toEqual(['human', 'human2', 'resolved', 'escalated', 'reopened']);
    expect(evidence).toBe(2);
  });
  it('puts those the AI agent did not resolve first for a fix, a reopened one among them', () => {
    const { ordered, evidence } = samplesForLever(samples, leverOfKind('data_connector'));
    expect(ordered.map((s) => s.id)).toEqual(['escalated', 'reopened', 'resolved', 'human', 'human2']);
    expect(evidence).toBe(2);
  });
  it('keeps the stored order without a lever (the breakdown, a routing action)', () => {
    expect(leverOfKind('routing')).toBeNull();
    expect(samplesForLever(samples, null).ordered.map((s) => s.id)).toEqual(samples.map((s) => s.id));
  });
  it('says what leads, or that none of the examples is such a conversation', () => {
    expect(leverNote('audience', 2, 6)).toBe(
      'Shown first: 2 of the 6 examples, conversations the AI agent did not take part in — what widening its audience would bring in.',
    );
    expect(leverNote('resolution', 0, 6)).toBe(
      'None of the 6 examples kept is one the AI agent took part in without resolving.',
    );
  });
});
