/** Turns raw counts into the figures the API returns (counts plus every rate of SPEC §1). */

import type { PeriodFigures } from './metrics.ts';
import { type OutcomeCounts, rates } from './metrics.ts';

export function periodFigures(c: OutcomeCounts): PeriodFigures {
  return {
    conversations: c.conversations,
    involved: c.involved,
    resolved: c.resolved,
    resolvedConfirmed: c.resolvedConfirmed,
    resolvedAssumed: c.resolvedAssumed,
    reopened: c.reopened,
    reopenedResolutions: c.reopenedResolutions,
    escalated: c.escalated,
    procedureHandoff: c.procedureHandoff,
    negativeFeedback: c.negativeFeedback,
    abandoned: c.abandoned,
    pending: c.pending,
    ratings: c.ratings,
    ...rates(c),
  };
}
