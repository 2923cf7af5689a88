/**
 * Every view at desktop and phone sizes: each step asserts what must be on screen, and the PNGs
 * land in .tmp/screenshots/ for visual review. Runs in CI like every other test.
 */
import { expect, type Page, test } from '@playwright/test';

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function pickAccount(page: Page): Promise<string> {
  const res = await page.request.get('/api/accounts');
  const body = (await res.json()) as { accounts: { id: string; status: string; flags: unknown[] }[] };
  const flagged = body.accounts.find((a) => a.status === 'customer' && a.flags.length > 0);
  return (flagged ?? body.accounts[0]!).id;
}

for (const size of SIZES) {
  test(`screenshots ${size.name}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: size.width, height: size.height });
    const dir = '.tmp/screenshots';

    await page.goto('/');
    await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
    await page.screenshot({ path: `${dir}/accounts-${size.name}.png`, fullPage: false });

    await page.goto('/?flag=any&sort=cxScore.asc');
    await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
    await page.screenshot({ path: `${dir}/accounts-filtered-${size.name}.png` });

    const id = await pickAccount(page);
    await page.goto(`/accounts/${encodeURIComponent(id)}`);
    await expect(page.getByTestId('trend-chart')).toBeVisible();
    await expect(page.getByTestId('leaf-table')).toBeVisible();
    await expect(page.getByTestId('cx-chart')).toBeVisible();
    await page.waitForTimeout(800); // chart animations
    // the lowest-CX bars share one scale: a topic name that wraps does not shorten its track
    const tracks = await page
      .locator('ol.lowest .lowest-score')
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width)));
    expect(new Set(tracks).size).toBeLessThanOrEqual(1);
    // the topic table leads with its gap wherever it does not fit whole (a tablet, a zoomed laptop)
    if (size.width < 1024) {
      const heads = await page.getByTestId('leaf-table').locator('thead th').allInnerTexts();
      expect(heads[1]).toMatch(/^Gap/);
    }
    await page.screenshot({ path: `${dir}/account-${size.name}.png`, fullPage: true });
    await page.screenshot({ path: `${dir}/account-top-${size.name}.png` });
    const sections = page.locator('section.card');
    const n = await sections.count();
    for (let i = 0; i < n; i++) {
      await sections.nth(i).screenshot({ path: `${dir}/account-section${i + 1}-${size.name}.png` });
    }

    await page.getByTestId('leaf-table').locator('tbody tr').first().locator('button').first().click();
    await expect(page.getByTestId('sample').first()).toBeVisible();
    await page.screenshot({ path: `${dir}/account-drawer-${size.name}.png` });
    await page.keyboard.press('Escape');

    // Patterns: headline, spread chart, tables, leaf panel, an expanded fix
    await page.goto('/patterns');
    await expect(page.getByTestId('spread-chart').locator('canvas').first()).toBeVisible();
    await expect(page.getByTestId('patterns-leaf-table')).toBeVisible();
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${dir}/patterns-${size.name}.png`, fullPage: true });
    await page.screenshot({ path: `${dir}/patterns-top-${size.name}.png` });
    await page
      .getByTestId('patterns-leaf-table')
      .locator('tbody tr')
      .first()
      .getByTestId('generalizes-badge')
      .hover();
    await page.screenshot({ path: `${dir}/patterns-badge-${size.name}.png` });
    const liftToggle = page.getByTestId('lift-toggle').first();
    if (await liftToggle.count()) {
      await liftToggle.click();
      await expect(page.getByTestId('lift-accounts')).toBeVisible();
      await page.getByTestId('lift-accounts').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${dir}/patterns-lifts-${size.name}.png` });
    }
    await page.getByTestId('pattern-leaf').first().click();
    await expect(page.getByTestId('leaf-accounts')).toBeVisible();
    await page.waitForTimeout(400); // drawer slide-in
    await page.screenshot({ path: `${dir}/patterns-leaf-${size.name}.png` });
    await page.keyboard.press('Escape');

    // Model: tiles, calibration scatter, error tables, misses, method
    await page.goto('/model');
    await expect(page.getByTestId('calibration-chart').locator('canvas').first()).toBeVisible();
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${dir}/model-${size.name}.png`, fullPage: true });
    await page.screenshot({ path: `${dir}/model-top-${size.name}.png` });

    await page.goto('/accounts/does-not-exist');
    await expect(page.getByRole('heading', { name: 'Account not found' })).toBeVisible();
    await page.screenshot({ path: `${dir}/notfound-${size.name}.png` });
  });
}
