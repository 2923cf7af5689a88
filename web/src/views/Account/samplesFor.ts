/**
 * The example conversations a next action opens, its evidence first: a "widen the audience" card's
 * are those the AI agent did not take part in (what widening brings in); a fix's (content, data
 * connector, procedure, guidance) those it took part in without resolving (what the fix is for).
 * The breakdown opens the same drawer with no lever: the examples as stored.
 */
import type { SampleConversation } from '../../api/server-types.ts';

export type Lever = 'audience' | 'resolution';

const RESOLVED = new Set(['confirmed_resolution', 'assumed_resolution']);

/** The lever an action kind pulls, as the drawer's `?for=` says it; none for routing. */
export function leverOfKind(kind: string): Lever | null {
  if (kind === 'widen_audience') return 'audience';
  if (kind === 'content' || kind === 'data_connector' || kind === 'procedure' || kind === 'guidance')
    return 'resolution';
  return null;
}

export function isEvidence(
  c: Pick<SampleConversation, 'aiInvolved' | 'aiResolutionState' | 'reopened'>,
  lever: Lever,
) {
  if (lever === 'audience') return !c.aiInvolved;
  return c.aiInvolved && (!RESOLVED.has(c.aiResolutionState ?? '') || c.reopened === true);
}

/** The samples with the lever's evidence first (each group in its stored order), and how many lead. */
export function samplesForLever<
  T extends Pick<SampleConversation, 'aiInvolved' | 'aiResolutionState' | 'reopened'>,
>(samples: readonly T[], lever: Lever | null): { ordered: T[]; evidence: number } {
  if (lever === null) return { ordered: [...samples], evidence: 0 };
  const first = samples.filter((c) => isEvidence(c, lever));
  return { ordered: [...first, ...samples.filter((c) => !isEvidence(c, lever))], evidence: first.length };
}

/** "Shown first: 2 of the 6 examples …", or that none of them is, for the drawer's lever. */
export function leverNote(lever: Lever, evidence: number, total: number): string {
  const what =
    lever === 'audience'
      ? 'the AI agent did not take part in — what widening its audience would bring in'
      : 'the AI agent took part in without resolving — what this fix is for';
  if (evidence === 0) return `None of the ${total} examples kept is one ${what.split(' — ')[0]}.`;
  return `Shown first: ${evidence} of the ${total} examples, conversations ${what}.`;
}
