/** A key-figure tile: label with its definition on hover, the value, an optional badge and foot line. */
import type { ReactNode } from 'react';
import { InfoTip } from './InfoTip.tsx';

export function KpiTile({
  label,
  def,
  value,
  badge,
  foot,
  testId,
}: {
  label: string;
  def: string;
  value: string;
  /** under the value (the account page's change vs the previous month) */
  badge?: ReactNode;
  foot?: ReactNode;
  testId: string;
}) {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="kpi-label">
        {label} <InfoTip label={label} text={def} align="start" />
      </div>
      <div className="kpi-value">{value}</div>
      {badge}
      {foot != null && foot !== false && <div className="kpi-foot">{foot}</div>}
    </div>
  );
}
