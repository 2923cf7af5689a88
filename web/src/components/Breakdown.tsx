/** Pieces of the breakdown sections (account page and estimate): by topic / by class toggle, class cell, chart height. */
import type { AutomationClass } from '../api/server-types.ts';
import { humanize } from '../lib/format.ts';

export type BreakdownLevel = 'leaf' | 'class';

/** The "By topic (n) | By automation class" segmented control. */
export function BreakdownLevelToggle({
  level,
  onChange,
  topics,
}: {
  level: BreakdownLevel;
  onChange: (level: BreakdownLevel) => void;
  /** number of topics, shown in the first button */
  topics: number;
}) {
  return (
    <fieldset className="segmented">
      <legend className="sr-only">Breakdown level</legend>
      <button type="button" aria-pressed={level === 'leaf'} onClick={() => onChange('leaf')}>
        By topic ({topics})
      </button>
      <button type="button" aria-pressed={level === 'class'} onClick={() => onChange('class')}>
        By automation class
      </button>
    </fieldset>
  );
}

/** An automation class with its color dot (class tables). */
export function ClassName({ value }: { value: AutomationClass }) {
  return (
    <span className="class-name">
      <i className={`dot class-${value}`} aria-hidden="true" /> {humanize(value)}
    </span>
  );
}

/** Height of a horizontal bar chart of `bars` bars (34 px a bar, 180 px at least). */
export const breakdownChartHeight = (bars: number) => Math.max(180, bars * 34 + 70);
