import { expect, type Page, test } from '@playwright/test';
import { count, getPatterns, pct, pts } from './helpers.ts';

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const sumUnrealized = (leaves: { unrealizedConversations: number }[]) =>
  leaves.reduce((s, l) => s + l.unrealizedConversations, 0);

test.describe('Patterns view', () => {
  test('renders leaves, spread and lifts with real numbers', async ({ page, request }) => {
    const errors = watchConsole(page);
    const api = await getPatterns(request);
    expect(api.leaves.length).toBeGreaterThan(0);

    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patterns' }).click();
    await expect(page).toHaveURL(/\/patterns$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Patterns' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Patterns' })).toHaveAttribute('aria-current', 'page');

    // headline cross-checked against the API JSON
    await expect(page.getByTestId('headline-unrealized')).toHaveText(count(sumUnrealized(api.leaves)));
    await expect(page.getByTestId('headline-generalizing')).toHaveText(
      `${count(api.leaves.filter((l) => l.generalizes).length)} / ${count(api.leaves.length)}`,
    );

    // leaf table: every leaf, sorted by unrealized conversations
    const table = page.getByTestId('patterns-leaf-table');
    await expect(table.locator('tbody tr')).toHaveCount(api.leaves.length);
    const top = [...api.leaves].sort((a, b) => b.unrealizedConversations - a.unrealizedConversations)[0]!;
    const first = table.locator('tbody tr').first();
    await expect(first.locator('th')).toContainText(top.label);
    await expect(first).toContainText(count(top.unrealizedConversations));
    await expect(first).toContainText(pct(top.share));
    if (top.resolutionSpread) await expect(first).toContainText(pct(top.resolutionSpread.median));
    await expect(table.locator('thead')).toContainText('IQR (p25–p75)');
    await expect(table.getByRole('columnheader', { name: /Unrealized/ })).toHaveAttribute(
      'aria-sort',
      'descending',
    );

    // the "generalizes" reasons show on hover
    const badge = first.getByTestId('generalizes-badge');
    await badge.hover();
    const tip = first.getByRole('tooltip');
    await expect(tip).toBeVisible();
    await expect(tip).toContainText('Common');
    await expect(tip).toContainText('Proven');
    await expect(tip).toContainText('Large gap');

    // sortable: by share of volume
    await table.getByRole('button', { name: 'Share of volume' }).click();
    const byShare = [...api.leaves].sort((a, b) => b.share - a.share)[0]!;
    await expect(table.locator('tbody tr').first().locator('th')).toContainText(byShare.label);

    // charts render
    await expect(page.getByTestId('spread-chart').locator('canvas').first()).toBeVisible();
    if (api.lifts.some((l) => l.n > 0)) {
      await expect(page.getByTestId('lift-chart').locator('canvas').first()).toBeVisible();
      await expect(page.getByTestId('lift-table').locator('tbody tr')).toHaveCount(api.lifts.length);
    }
    expect(errors).toEqual([]);
  });

  test('vertical and period filters live in the URL and survive a reload', async ({ page, request }) => {
    const all = await getPatterns(request);
    const vertical = all.verticals.find((v) => v !== 'all');
    expect(vertical, 'the demo database has several verticals').toBeTruthy();
    const period = all.periods.find((p) => p !== all.period) ?? all.period;
    const filtered = await getPatterns(request, { vertical, period });

    await page.goto('/patterns');
    await expect(page.getByTestId('headline-unrealized')).toHaveText(count(sumUnrealized(all.leaves)));
    await page.getByLabel('Vertical').selectOption(vertical!);
    await expect(page).toHaveURL(new RegExp(`[?&]vertical=${vertical}`));
    await page.getByLabel('Period').selectOption(String(period));
    await expect(page).toHaveURL(new RegExp(`[?&]period=${period}`));
    await expect(page.getByTestId('headline-unrealized')).toHaveText(count(sumUnrealized(filtered.leaves)));
    await expect(page.getByTestId('patterns-leaf-table').locator('tbody tr')).toHaveCount(
      filtered.leaves.length,
    );

    await page.reload();
    await expect(page.getByLabel('Vertical')).toHaveValue(vertical!);
    await expect(page.getByLabel('Period')).toHaveValue(String(period));
    await expect(page.getByTestId('headline-unrealized')).toHaveText(count(sumUnrealized(filtered.leaves)));

    // Back undoes the last filter, as on the Accounts page
    await page.goBack();
    await expect(page.getByLabel('Period')).toHaveValue(String(all.period));
    await expect(page.getByLabel('Vertical')).toHaveValue(vertical!);
    await page.goForward();
    await expect(page.getByLabel('Period')).toHaveValue(String(period));

    // back to the defaults: a clean URL
    await page.getByLabel('Vertical').selectOption('all');
    await page.getByLabel('Period').selectOption(String(all.period));
    await expect(page).toHaveURL(/\/patterns$/);
  });

  test('a table’s sort lives in the URL: kept across a filter change and a reload', async ({ page }) => {
    await page.goto('/patterns');
    const table = page.getByTestId('patterns-leaf-table');
    const accountsHeader = table.locator('th', { has: page.getByRole('button', { name: /^Accounts/ }) });
    await table.getByRole('button', { name: /^Accounts/ }).click();
    await expect(accountsHeader).toHaveAttribute('aria-sort', 'descending');
    await expect(page).toHaveURL(/[?&]sort=accounts\.desc/);
    await page.getByLabel('Period').selectOption({ index: 0 });
    await expect(page).toHaveURL(/[?&]sort=accounts\.desc/);
    await page.reload();
    await expect(accountsHeader).toHaveAttribute('aria-sort', 'descending');
    // the first rows are in that order
    const counts = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    const numbers = counts.slice(0, 5).map((t) => Number(t.replace(/[^\d]/g, '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  test('an unknown filter shows the server message and can be reset', async ({ page }) => {
    await page.goto('/patterns?vertical=nope');
    await expect(page.getByText('These filters are not available')).toBeVisible();
    await expect(page.getByText(/unknown vertical "nope"/)).toBeVisible();
    await page.getByRole('button', { name: 'Reset filters' }).click();
    await expect(page).toHaveURL(/\/patterns$/);
    await expect(page.getByTestId('patterns-leaf-table')).toBeVisible();
  });

  test('drills from a leaf to its accounts and on to an account page', async ({ page, request }) => {
    const api = await getPatterns(request);
    const top = [...api.leaves]
      .filter((l) => l.points.length > 0)
      .sort((a, b) => b.unrealizedConversations - a.unrealizedConversations)[0]!;
    await page.goto('/patterns');
    const row = page.getByTestId('patterns-leaf-table').locator('tbody tr', { hasText: top.label }).first();
    await row.getByTestId('pattern-leaf').click();
    await expect(page).toHaveURL(new RegExp(`[?&]leaf=${top.taxonomyId.replace('.', '\\.')}`));
    const panel = page.getByRole('dialog', { name: top.label });
    await expect(panel).toBeVisible();
    const accounts = panel.getByTestId('leaf-accounts');
    await expect(accounts.locator('tbody tr')).toHaveCount(top.points.length);
    const biggest = [...top.points].sort((a, b) => b.conversations - a.conversations)[0]!;
    const firstRow = accounts.locator('tbody tr').first();
    await expect(firstRow).toContainText(biggest.name);
    await expect(firstRow).toContainText(pct(biggest.resolutionRate));
    await expect(firstRow).toContainText(count(biggest.conversations));

    // Escape on the panel's badge hides its tooltip only, not the whole panel
    const badge = panel.getByTestId('generalizes-badge');
    await badge.focus();
    await expect(panel.locator('.reasons-bubble')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(panel.locator('.reasons-bubble')).toBeHidden();
    await expect(panel).toBeVisible();
    // the panel's scrolling body is reachable by keyboard in every browser
    await expect(panel.getByRole('region', { name: top.label })).toHaveAttribute('tabindex', '0');

    // the panel is in the URL: a reload reopens it
    await page.reload();
    await expect(page.getByRole('dialog', { name: top.label })).toBeVisible();

    await page.getByRole('dialog', { name: top.label }).getByRole('link', { name: biggest.name }).click();
    // opened at the topic: its drawer of figures and examples
    await expect(page).toHaveURL(
      new RegExp(
        `/accounts/${encodeURIComponent(biggest.accountId)}\\?leaf=${top.taxonomyId.replace('.', '\\.')}$`,
      ),
    );
    await expect(page.getByRole('heading', { level: 1, name: biggest.name })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('dialog', { name: top.label })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(page).not.toHaveURL(/leaf=/);
  });

  test('a kind of fix shows its lift, interval, n and placebo, and expands to its fixes', async ({
    page,
    request,
  }) => {
    const api = await getPatterns(request);
    expect(api.lifts.length, 'the demo database has interventions').toBeGreaterThan(0);
    await page.goto('/patterns');
    // the method in words comes from the server's settings
    await expect(page.getByTestId('lift-method')).toContainText(
      `${api.liftSettings.controls} matched controls`,
    );
    const table = page.getByTestId('lift-table');
    await expect(table.locator('tbody tr')).toHaveCount(api.lifts.length);
    const lift = [...api.lifts].sort((a, b) => b.n - a.n)[0]!;
    expect(lift.n, 'the demo has a kind measured against matched controls').toBeGreaterThan(0);
    const first = table.locator('tbody tr').first();
    // a lift measured on one account, or whose interval spans 0, says so beside it
    const unclear = lift.accounts < 2 || ((lift.low ?? 0) <= 0 && (lift.high ?? 0) >= 0);
    await expect(first.getByTestId('lift-value')).toHaveText(
      `${pts(lift.lift)}${unclear ? ' (unclear)' : ''}`,
    );
    await expect(first.getByTestId('lift-interval')).toHaveText(`${pts(lift.low)} … ${pts(lift.high)}`);
    await expect(first.getByTestId('lift-n')).toContainText(count(lift.n));
    if (lift.placebo) await expect(first.getByTestId('lift-placebo')).toContainText(pts(lift.placebo.lift));
    const toggle = first.getByTestId('lift-toggle');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const detail = table.getByTestId('lift-accounts');
    await expect(detail).toBeVisible();
    await expect(detail).toContainText(`${count(lift.n)} ${lift.n === 1 ? 'fix' : 'fixes'} in`);
    await expect(detail.locator('tbody tr')).toHaveCount(lift.events.length);
    const acc = lift.events[0]!;
    await expect(detail.locator('tbody tr').first()).toContainText(`${pct(acc.before)} → ${pct(acc.after)}`);
    await expect(detail.locator('tbody tr').first()).toContainText(pts(acc.lift));
    await detail.getByRole('link', { name: acc.name }).first().click();
    await expect(page).toHaveURL(
      new RegExp(
        `/accounts/${encodeURIComponent(acc.accountId)}\\?leaf=${acc.taxonomyId.replace('.', '\\.')}$`,
      ),
    );
    await expect(page.getByRole('heading', { level: 1, name: acc.name })).toBeVisible();

    // collapsing hides it again
    await page.goBack();
    const again = page.getByTestId('lift-table').locator('tbody tr').first().getByTestId('lift-toggle');
    await again.click();
    await expect(page.getByTestId('lift-accounts')).toBeVisible();
    await again.click();
    await expect(page.getByTestId('lift-accounts')).toHaveCount(0);
  });
});
