import { expect, test } from '@playwright/test';
import { getModel, pct, pts } from './helpers.ts';

test.describe('Model view', () => {
  test('shows the backtest error, the calibration scatter and the tables', async ({ page, request }) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const m = await getModel(request);
    // the e2e setup builds the demo database, which always has a backtest: missing data is a failure
    expect(m.points.length, 'the demo database has backtest points').toBeGreaterThan(0);

    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Model' }).click();
    await expect(page).toHaveURL(/\/model$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Potential model' })).toBeVisible();
    // tiles, cross-checked against the API JSON
    // the potential is judged as a ceiling: how often it was passed, and the headroom left
    // over 3 months in a row (the potential is a 3-month rate), the single month in the foot
    const sus = m.ceiling.sustained;
    expect(sus.n, 'the demo has account-months with 3 months in a row observed').toBeGreaterThan(0);
    await expect(page.getByTestId('tile-exceeded').locator('.kpi-value')).toHaveText(pct(sus.exceeded));
    await expect(page.getByTestId('tile-exceeded')).toContainText('Passed the ceiling within 6 months');
    // the share comes with the accounts behind it and an interval that resamples them
    await expect(page.getByTestId('tile-exceeded')).toContainText(
      `over 3 months in a row · ${sus.n} account-months of ${sus.accounts} accounts · 90% interval ${pct(sus.exceededLow)}–${pct(sus.exceededHigh)}`,
    );
    await expect(page.getByTestId('tile-exceeded')).toContainText(
      `in a single month ${pct(m.ceiling.exceeded)} (${pct(m.ceiling.exceededLow)}–${pct(m.ceiling.exceededHigh)})`,
    );
    await expect(page.getByTestId('tile-headroom').locator('.kpi-value')).toHaveText(
      pts(m.ceiling.headroom6, false),
    );
    await expect(page.getByTestId('tile-headroom')).toContainText(
      `distance to what was reached (MAE): ${pts(m.overall.h6.mae, false)}`,
    );
    // the forecast, judged apart from the ceiling: one row per horizon with its track record
    // headings are named by their words alone, not by their (i) button and its definition
    await expect(
      page.getByRole('heading', { level: 2, name: 'Forecast: where accounts will be', exact: true }),
    ).toBeVisible();
    await expect(
      page.getByRole('region', { name: 'Forecast: where accounts will be', exact: true }),
    ).toBeVisible();
    await expect(
      page.getByRole('heading', { level: 3, name: 'Accounts that acted vs not', exact: true }),
    ).toBeVisible();
    const forecast = page.getByTestId('forecast-table');
    expect(m.forecast?.h3).toBeTruthy();
    await expect(forecast.locator('tbody tr')).toHaveCount(m.forecast?.h6 ? 2 : 1);
    await expect(forecast.locator('tbody tr').first()).toContainText(pts(m.forecast!.h3!.mae.value, false));
    await expect(forecast.locator('tbody tr').first()).toContainText(
      pts(m.forecast!.h3!.persistenceMae.value, false),
    );
    // and per vertical (SPEC §5: error by vertical): one row each, the points adding up to the total
    const byVertical = m.forecast!.byVertical;
    expect(byVertical.length).toBeGreaterThan(1);
    expect(byVertical.reduce((n, v) => n + (v.h3?.points ?? 0), 0)).toBe(m.forecast!.h3!.points);
    await expect(page.getByTestId('forecast-by-vertical').locator('tbody tr')).toHaveCount(byVertical.length);
    // a header's definition: clicked, it stays shown after the mouse leaves, fixed-placed so the
    // table's scroll container does not clip it
    const tip = forecast.getByRole('button', { name: 'Definition: Forecasts · accounts (effective)' });
    await tip.click();
    await page.mouse.move(0, 0);
    const bubble = page.locator(`[id="${await tip.getAttribute('aria-describedby')}"]`);
    await expect(bubble).toBeVisible();
    await expect(bubble).toHaveCSS('position', 'fixed');
    const [tipBox, bubbleBox] = [await tip.boundingBox(), await bubble.boundingBox()];
    expect(bubbleBox!.y).toBeGreaterThan(tipBox!.y);
    expect(bubbleBox!.x + bubbleBox!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await page.keyboard.press('Escape');
    await expect(bubble).toBeHidden();
    // the tiles keep fixed horizons (the bias at M+6 is the headroom beside it with its sign)
    await expect(page.getByTestId('tile-bias')).toContainText('Bias at M+3');
    await expect(page.getByTestId('tile-bias').locator('.kpi-value')).toHaveText(pts(m.overall.h3.bias));
    await expect(page.getByTestId('tile-bias')).toContainText(`M+6: ${pts(m.overall.h6.bias)}`);
    await expect(page.getByTestId('tile-coverage').locator('.kpi-value')).toHaveText(
      pct(m.overall.h6.coverage),
    );
    // a low share within the range reads as a ceiling's only beside where the rest went
    await expect(page.getByTestId('tile-coverage')).toContainText(
      `below it ${pct(m.overall.h6.below)} (gaps not yet closed) · above it ${pct(m.overall.h6.above)}`,
    );
    expect(m.overall.h6.below!, 'most outcomes below the ceiling’s range').toBeGreaterThan(0.5);

    expect(m.fixedLeaves?.n ?? 0, 'the demo has fixes with 3 months after them').toBeGreaterThan(0);
    await expect(page.getByTestId('fixed-leaves')).toContainText(
      `${pts(m.fixedLeaves!.mae, false)} from the achievable level predicted the month before the fix`,
    );
    await expect(page.getByTestId('calibration-chart').locator('canvas').first()).toBeVisible();
    await expect(page.getByTestId('error-by-vertical').locator('tbody tr')).toHaveCount(m.byVertical.length);
    await expect(page.getByTestId('error-by-acted').locator('tbody tr')).toHaveCount(m.byActed.length);
    const v = m.byVertical[0]!;
    await expect(page.getByTestId('error-by-vertical').locator('tbody tr').first()).toContainText(
      `${pts(v.h6.mae, false)} (${pts(v.h6.maeLow, false).replace(' pts', '')}–${pts(v.h6.maeHigh, false).replace(' pts', '')})`,
    );
    await expect(page.getByTestId('error-by-vertical').locator('tbody tr').first()).toContainText(
      `${pct(v.ceiling.sustained.exceeded)} (${pct(v.ceiling.sustained.exceededLow)}–${pct(v.ceiling.sustained.exceededHigh)})single month: ${pct(v.ceiling.exceeded)}`,
    );

    const misses = page.getByTestId('largest-misses');
    await expect(misses.locator('tbody tr')).toHaveCount(m.largestMisses.length);
    const worst = m.largestMisses[0]!;
    await expect(misses.locator('tbody tr').first()).toContainText(worst.name);
    await expect(misses.locator('tbody tr').first()).toContainText(pts(worst.error));

    await expect(page.getByTestId('model-method')).toContainText('75th percentile of peer accounts');
    expect(errors).toEqual([]);

    // a miss links to its account page
    await misses.locator('tbody tr').first().getByRole('link', { name: worst.name }).click();
    await expect(page).toHaveURL(new RegExp(`/accounts/${encodeURIComponent(worst.accountId)}$`));
    await expect(page.getByRole('heading', { level: 1, name: worst.name })).toBeVisible();
  });

  test('the horizon toggle is in the URL and survives a reload', async ({ page, request }) => {
    const m = await getModel(request);
    expect(m.points.length, 'the demo database has backtest points').toBeGreaterThan(0);
    await page.goto('/model');
    const horizon = page.getByRole('group', { name: 'Horizon' });
    await expect(horizon.getByRole('button', { name: 'M+6' })).toHaveAttribute('aria-pressed', 'true');
    await horizon.getByRole('button', { name: 'M+3' }).click();
    await expect(page).toHaveURL(/\/model\?h=3$/);
    // the toggle is the chart's: its caption follows, the tiles above keep their horizons
    await expect(page.locator('#calib-h').locator('xpath=../..')).toContainText(
      'automation rate reached at M+3',
    );
    await expect(page.getByTestId('tile-coverage').locator('.kpi-value')).toHaveText(
      pct(m.overall.h6.coverage),
    );
    await page.reload();
    await expect(horizon.getByRole('button', { name: 'M+3' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('#calib-h').locator('xpath=../..')).toContainText(
      'automation rate reached at M+3',
    );
    await horizon.getByRole('button', { name: 'M+6' }).click();
    await expect(page).toHaveURL(/\/model$/);
  });

  test('the account page explains the model and links here', async ({ page, request }) => {
    const m = await getModel(request);
    const id = m.points[0]?.accountId ?? m.largestMisses[0]?.accountId;
    expect(id, 'an account in the backtest').toBeTruthy();
    await page.goto(`/accounts/${encodeURIComponent(id!)}`);
    const how = page.getByTestId('how-calculated');
    await how.getByText('How is this calculated?').click();
    await expect(how).toContainText('50th and the 90th percentile');
    await how.getByRole('link', { name: /model calibration/ }).click();
    await expect(page).toHaveURL(/\/model$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Potential model' })).toBeVisible();
  });

  test('shows an empty state when the history is too short', async ({ page, request }) => {
    const m = await getModel(request);
    await page.route('**/api/model', (route) =>
      route.fulfill({
        json: {
          ...m,
          overall: {
            h3: { n: 0, mae: null, bias: null, coverage: null },
            h6: { n: 0, mae: null, bias: null, coverage: null },
          },
          byVertical: [],
          byActed: [],
          largestMisses: [],
          points: [],
        },
      }),
    );
    await page.goto('/model');
    await expect(page.getByText('No backtest yet')).toBeVisible();
    await expect(page.getByTestId('model-method')).toContainText(m.method.slice(0, 40));
    await expect(page.getByTestId('calibration-chart')).toHaveCount(0);
  });
});
