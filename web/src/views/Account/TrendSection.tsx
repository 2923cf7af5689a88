import { useMemo } from 'react';
import type { AccountDetail } from '../../api/server-types.ts';
import { trendOption } from '../../charts/trend.ts';
import { Chart } from '../../components/Chart.tsx';
import { EmptyState } from '../../components/QueryState.tsx';

export function TrendChart({ account }: { account: AccountDetail }) {
  const option = useMemo(
    () =>
      trendOption({
        months: account.months,
        monthToDate: account.monthToDate,
        potential: account.automationPotential,
      }),
    [account],
  );
  if (!account.months.length)
    return <EmptyState title="No monthly data">This account has no conversations yet.</EmptyState>;
  return <Chart option={option} height={300} testId="trend-chart" />;
}
