/** Metric definitions shown on hover (SPEC §1, exact wording of the contract). */
export const DEFINITIONS = {
  automationRate:
    'Automation rate = resolved / all conversations (= involvement × resolution). Resolved: the AI agent was involved, the state is confirmed or assumed resolution, and the conversation was not reopened.',
  involvementRate: 'Involvement rate = conversations the AI agent took part in / all conversations.',
  resolutionRate:
    'Resolution rate = resolved / involved. Resolved: confirmed or assumed resolution and not reopened (a reopened conversation loses its resolution).',
  confirmedResolutionRate: 'Confirmed resolutions / involved: the customer confirmed the answer solved it.',
  assumedResolutionRate:
    'Assumed resolutions / involved: the customer left without asking for more help after the AI answered.',
  handoffRate: 'Handoff rate = (escalated + procedure handoff) / involved.',
  abandonRate: 'Abandon rate = abandoned / involved.',
  csat: 'CSAT = ratings of 4 or 5 / all ratings (1–5, only where the customer rated).',
  cxScore:
    'CX score = mean per-conversation CX score (1–5) over scored conversations. Each score combines resolution (outcome, reopen, handoff), sentiment (the customer’s own words) and effort (turns, repeats, chasing, waiting, escalations), calibrated on CSAT ratings of other accounts so that a score reads as the average rating such conversations get.',
  conversations: 'All conversations created in the month (UTC), with or without the AI agent.',
  automationPotential:
    'Automation potential = the automation rate the account would have if every topic reached at least its achievable involvement and resolution (learned from peer accounts), over the last 3 months (since go-live for an account whose AI agent went live within them). It is a ceiling — what peers show is possible on each topic — not a forecast of where the account will be.',
  gap: 'Gap = potential − automation rate over the same window (the last 3 months, or since go-live; not this month’s rate shown beside it), in points and in conversations per month.',
  /** the triage's rate columns are the current month's, while potential and gap are the window's */
  currentMonth: 'This month’s figure (month to date until the month ends).',
  trend:
    'Automation rate per month, last 12 months. Coloured by the complete months; a month still in progress ends the line dashed, at a hollow dot.',
  flags:
    'Flags read the last complete months (not the month in progress). Plateau: automation flat over the last 3 months — within 2 points beyond what sampling noise moves a month of this volume — while the gap to potential is 8+ points, whatever the volume does. Climbing: the last 3 months 4+ points above the 3 before and still rising. Declining: automation 2.5+ points lower over the last 3 months than the 3 before, or the CX score falling. Low CX: CX score below 3.4 over the last 3 complete months.',
  arr: 'Annual recurring revenue in USD.',
  achievableResolution:
    'The peers’ resolution: their 75th-percentile automation ÷ their involvement. A topic that already resolves better keeps its own resolution in its target.',
  achievableAutomation:
    'This topic’s target: the higher of its own and the achievable involvement × the higher of its own and the achievable resolution (its own rates pulled slightly toward the peers’ on small topics), never below its current automation — so it is above the two achievable figures multiplied where the topic already does better than its peers on one of them.',
  achievable:
    'Achievable level: the 75th percentile of peer accounts (≥ 30 conversations on this topic in the last 3 months) in the same vertical; all verticals with fewer than 5 peers; the automation-class level when too few.',
} as const;
