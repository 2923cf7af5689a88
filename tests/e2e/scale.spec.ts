/**
 * SPEC §7: the triage table stays fast with 10,000 accounts. The API answer is replaced by 10,000
 * clones of real accounts (the demo database is smaller), everything else is the real app.
 */
import { expect, test } from '@playwright/test';
import type { AccountsResponse } from '../../server/api-types.ts';
import { triageColumns } from '../../server/triage.ts';
import { getAccounts } from './helpers.ts';

const N = 10_000;

test('the triage table handles 10,000 accounts', async ({ page, request }) => {
  const real = await getAccounts(request);
  const base = real.accounts.filter((a) => a.status === 'customer');
  const accounts = Array.from({ length: N }, (_, i) => {
    const a = base[i % base.length]!;
    const jitter = ((i * 7919) % 1000) / 100_000;
    return {
      ...a,
      id: `${a.id}-${i}`,
      name: `${a.name} ${i}`,
      automationRate: a.automationRate == null ? null : Math.min(1, a.automationRate + jitter),
    };
  });
  const big: AccountsResponse = { ...real, accounts };
  // the triage asks for its compact columns (?view=triage); anything else gets the documented shape
  const triage = triageColumns(big);
  await page.route('**/api/accounts?*', (route) =>
    route.fulfill({
      json: new URL(route.request().url()).searchParams.get('view') === 'triage' ? triage : big,
    }),
  );
  await page.route('**/api/accounts', (route) => route.fulfill({ json: big }));

  await page.goto('/');
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(page.getByTestId('result-count')).toHaveText('10,000 accounts');
  await expect(table).toHaveAttribute('aria-rowcount', String(N + 1));
  // only the visible window is in the DOM
  expect(await table.locator('tbody tr[data-index]').count()).toBeLessThan(80);

  // sorting 10,000 rows (how fast: npm run bench:web, not a timed test)
  await table.getByRole('button', { name: /^Automation/ }).click();
  await expect(page).toHaveURL(/sort=automationRate\.desc/);
  await expect(table.locator('th[aria-sort="descending"]')).toBeVisible();

  // scrolling like a user (small steps), then jumping far: the window of rows follows
  const scroller = page.getByTestId('triage-scroll');
  await scroller.evaluate(async (el) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    for (let i = 1; i <= 30; i++) {
      el.scrollTop += 400;
      await frame();
    }
    for (let i = 1; i <= 10; i++) {
      el.scrollTop = (el.scrollHeight * i) / 10;
      await frame();
    }
  });
  expect(await table.locator('tbody tr[data-index]').count()).toBeLessThan(80);
  await expect(table.locator(`tbody tr[data-index="${N - 1}"]`)).toBeVisible();

  // searching filters 10,000 rows
  await page
    .getByRole('searchbox', { name: 'Search accounts' })
    .fill(`${base[9999 % base.length]!.name} 9999`);
  await expect(page.getByTestId('result-count')).toHaveText('1 account');
});
