import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * Browser tests against the real built app and the real demo database.
 * `npx playwright test` starts `scripts/start.ts` on port 8797 (it builds the web app and the
 * demo database first when they are missing — the first run can take minutes). Set COCKPIT_URL to
 * test an already running server instead.
 */
const PORT = 8797;
const external = process.env.COCKPIT_URL;
const baseURL = external ?? `http://127.0.0.1:${PORT}`;
const CI = Boolean(process.env.CI);
// Prospects the tests save go to a database of this run's own: the default one (data/) is the
// developer's, and a second run found the first run's prospects there (the estimate spec failed).
const PROSPECTS_DB = join(tmpdir(), `cockpit-e2e-prospects-${process.pid}-${Date.now()}.db`);

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  reporter: CI ? 'line' : 'list',
  outputDir: 'test-results',
  use: {
    baseURL,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: external
    ? undefined
    : {
        command: 'npx tsx scripts/start.ts',
        env: { PORT: String(PORT), COCKPIT_PROSPECTS_DB: PROSPECTS_DB },
        url: `${baseURL}/api/health`,
        reuseExistingServer: !CI,
        timeout: 15 * 60_000,
        stdout: 'pipe',
        stderr: 'pipe',
      },
});
