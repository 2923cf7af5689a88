import { expect, test } from '@playwright/test';
import { biggestCustomer, getAccounts } from './helpers.ts';

test.describe('Navigation when things go wrong', () => {
  test('a view whose code cannot be downloaded says so and keeps the app, instead of a blank page', async ({
    page,
    request,
  }) => {
    const target = biggestCustomer(await getAccounts(request));
    await page.goto('/');
    await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
    // the server goes away (or is updated) while the tab is open: no more chunks
    await page.route('**/assets/**', (route) => route.abort());
    await page.getByRole('link', { name: target.name, exact: true }).first().click();
    await expect(page.getByText('This page could not be loaded')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    // the way out works: back on the triage, which is already loaded
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
    // and once the server answers again, Retry loads the page
    await page.unroute('**/assets/**');
    await page.goBack();
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('heading', { level: 1, name: target.name })).toBeVisible();
  });

  test('Back from an account returns to its row in the triage, scrolled as it was, with focus on it', async ({
    page,
  }) => {
    await page.goto('/');
    const scroller = page.getByTestId('triage-scroll');
    await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
    await scroller.evaluate((el) => {
      el.scrollTop = 900;
    });
    // a row well down the table, in view now
    const row = page.locator('tbody tr[data-index="24"] a.row-link');
    await expect(row).toBeVisible();
    const name = (await row.textContent())!;
    const before = await scroller.evaluate((el) => el.scrollTop);
    await row.click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await page.goBack();
    await expect(page.locator('a.row-link:focus')).toHaveText(name);
    expect(Math.abs((await scroller.evaluate((el) => el.scrollTop)) - before)).toBeLessThan(60);
  });
});
