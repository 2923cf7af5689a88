/** The automation-class roll-up of an account's leaves (Account page, "by automation class"). */
import { ratio } from './metrics.ts';
import { AUTOMATION_CLASSES, type AutomationClass } from './types.ts';

/** What the roll-up needs of one leaf of an account over the model window. */
export interface LeafTotals {
  automationClass: AutomationClass;
  conversations: number;
  involved: number;
  resolved: number;
  achievableAutomation: number;
  gapPoints: number;
  gapConversations: number;
  cxSum: number;
  cxScored: number;
}

export interface ClassRollup {
  automationClass: AutomationClass;
  conversations: number;
  share: number;
  involvementRate: number | null;
  resolutionRate: number | null;
  automationRate: number | null;
  /** volume-weighted achievable automation of the class's leaves (0 without volume) */
  achievableAutomation: number;
  gapPoints: number;
  gapConversations: number;
  cxScore: number | null;
}

/** One row per automation class, in AUTOMATION_CLASSES order, summed over the leaves. */
export function rollUpClasses(leaves: readonly LeafTotals[]): ClassRollup[] {
  const sums = new Map<AutomationClass, LeafTotals & { weightedAchievable: number }>();
  let total = 0;
  for (const l of leaves) {
    total += l.conversations;
    const s = sums.get(l.automationClass) ?? {
      automationClass: l.automationClass,
      conversations: 0,
      involved: 0,
      resolved: 0,
      achievableAutomation: 0,
      gapPoints: 0,
      gapConversations: 0,
      cxSum: 0,
      cxScored: 0,
      weightedAchievable: 0,
    };
    s.conversations += l.conversations;
    s.involved += l.involved;
    s.resolved += l.resolved;
    s.gapPoints += l.gapPoints;
    s.gapConversations += l.gapConversations;
    s.cxSum += l.cxSum;
    s.cxScored += l.cxScored;
    s.weightedAchievable += l.achievableAutomation * l.conversations;
    sums.set(l.automationClass, s);
  }
  return AUTOMATION_CLASSES.map((cls) => {
    const s = sums.get(cls);
    const conversations = s?.conversations ?? 0;
    return {
      automationClass: cls,
      conversations,
      share: total > 0 ? conversations / total : 0,
      involvementRate: ratio(s?.involved ?? 0, conversations),
      resolutionRate: ratio(s?.resolved ?? 0, s?.involved ?? 0),
      automationRate: ratio(s?.resolved ?? 0, conversations),
      achievableAutomation: conversations > 0 ? (s?.weightedAchievable ?? 0) / conversations : 0,
      gapPoints: s?.gapPoints ?? 0,
      gapConversations: s?.gapConversations ?? 0,
      cxScore: ratio(s?.cxSum ?? 0, s?.cxScored ?? 0),
    };
  });
}
