/**
 * Estimate view (SPEC §5 view 4): upload a prospect's export in each format, preview (CSV mapping),
 * progress, then the prospect's Account page (potential range, import report, breakdown, roadmap,
 * CX), bad files, cancel, save (before or after) → triage behind the prospect filter.
 * Runs against the real server; saves are idempotent (prospect id = hash of file + vertical).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { AccountsResponse, EstimateResult, ProspectsResponse } from '../../server/api-types.ts';

const FIXTURES = 'tests/fixtures/imports';
const RANGE = /^range \d{1,3}\.\d% – \d{1,3}\.\d%$/;
const PCT = /^\d{1,3}\.\d%$/;

const FORMATS = [
  { file: 'canonical.jsonl', format: 'Canonical JSON lines' },
  { file: 'intercom.jsonl', format: 'Intercom' },
  { file: 'zendesk-tickets.json', format: 'Zendesk' },
  { file: 'conversations.csv', format: 'CSV' },
] as const;

// ---------- fixture-upload helpers ----------
let tmp = '';
test.beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cockpit-estimate-e2e-'));
});
test.afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A canonical JSONL export of `n` conversations (deterministic, so its prospect id is stable). */
function canonicalFile(name: string, n: number): string {
  const texts = [
    'Where is my order? The tracking page has not moved for three days.',
    'I want a refund for the damaged item I received.',
    'How do I reset my password? The link in the email expired.',
    'Can I change the delivery address of my parcel?',
    'What are your opening hours on public holidays?',
  ];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 28) % 3) + 1).padStart(2, '0');
    lines.push(
      JSON.stringify({
        id: `gen-${i}`,
        accountId: 'prospect',
        createdAt: `2026-${month}-${day}T10:${String(i % 60).padStart(2, '0')}:00Z`,
        channel: 'chat',
        // the canonical schema (SPEC §2) has these fields; a prospect has no AI outcomes yet
        aiInvolved: false,
        aiResolutionState: null,
        reopened: false,
        csat: null,
        tags: [],
        messages: [
          { role: 'customer', text: `${texts[i % texts.length]} (ref ${i})` },
          { role: 'agent', text: 'Thanks for reaching out, let me check that for you right away.' },
        ],
      }),
    );
  }
  const path = join(tmp, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function openEstimate(page: Page) {
  await page.goto('/estimate');
  await expect(page.getByRole('heading', { name: 'Estimate', level: 1 })).toBeVisible();
  await expect(page.getByTestId('estimate-file-input')).toBeAttached();
}

/** Records whether the progress bar was ever rendered (small files finish within a frame). */
async function watchProgress(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __sawProgress?: boolean };
    w.__sawProgress = false;
    const obs = new MutationObserver(() => {
      if (document.querySelector('[data-testid="estimate-progress"]')) {
        w.__sawProgress = true;
        obs.disconnect();
      }
    });
    obs.observe(document.body, { childList: true, subtree: true });
  });
}
const sawProgress = (page: Page) =>
  page.evaluate(() => (window as unknown as { __sawProgress?: boolean }).__sawProgress === true);

async function chooseFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByTestId('estimate-file-input').setInputFiles(file);
}

/** The estimate opens as the prospect's Account page; returns the prospect's id. */
async function expectResult(page: Page): Promise<string> {
  await expect(page).toHaveURL(/\/accounts\/prospect-[0-9a-f]{16}$/);
  await expect(page.getByTestId('prospect-estimate')).toBeVisible();
  await expect(page.getByTestId('potential-value')).toHaveText(PCT);
  await expect(page.getByTestId('potential-range')).toHaveText(RANGE);
  await expect(page.getByTestId('estimate-how')).toContainText('P75');
  await expect(page.getByText(/Could not load/)).toHaveCount(0);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

// ---------- tests ----------
test.describe('Estimate', () => {
  test('is in the nav and states the size limit and formats up front', async ({ page, request }) => {
    const limits = await (await request.get('/api/estimate/limits')).json();
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Estimate' }).click();
    await expect(page).toHaveURL(/\/estimate$/);
    await expect(page.getByTestId('estimate-limit')).toContainText(limits.maxBytesLabel);
    const zone = page.getByTestId('estimate-dropzone');
    for (const f of ['Canonical conversations', 'Intercom', 'Zendesk', 'CSV'])
      await expect(zone).toContainText(f);
    await expect(page.getByTestId('estimate-vertical')).toHaveValue(limits.defaultVertical);
    await expect(
      page.getByText('No saved prospects yet').or(page.getByTestId('prospects-list')),
    ).toBeVisible();
    // keyboard: the file input is reachable with Tab
    await page.getByTestId('estimate-file-input').focus();
    await expect(page.getByTestId('estimate-file-input')).toBeFocused();
    // drag and drop
    await page.getByTestId('estimate-dropzone').evaluate((zone) => {
      const dt = new DataTransfer();
      dt.items.add(new File(['id,created_at,text\nd-1,2026-03-01,Where is my parcel?\n'], 'dropped.csv'));
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect(page.getByTestId('estimate-file')).toContainText('dropped.csv');
    await expect(page.getByTestId('csv-mapping')).toContainText('created_at');
    await expect(page.getByTestId('estimate-name')).toHaveValue('dropped');
  });

  for (const { file, format } of FORMATS) {
    test(`estimates a ${format} export`, async ({ page }) => {
      await openEstimate(page);
      await chooseFile(page, join(FIXTURES, file));
      const preview = page.getByTestId('estimate-preview');
      await expect(preview.getByTestId('estimate-format')).toHaveText(format);
      // named as the server names a file ("zendesk-tickets.json" → "zendesk tickets")
      await expect(page.getByTestId('estimate-name')).toHaveValue(
        file.replace(/\.(jsonl|json|csv)$/, '').replace(/-/g, ' '),
      );
      if (format === 'CSV') {
        // the mapping is shown before anything is imported
        const mapping = preview.getByTestId('csv-mapping');
        await expect(mapping).toBeVisible();
        await expect(mapping.getByRole('row', { name: /Ticket ID\s+Conversation id/ })).toBeVisible();
        await expect(mapping.getByRole('row', { name: /Created At\s+Created time/ })).toBeVisible();
        await expect(mapping.getByRole('row', { name: /Notes\s+ignored/ })).toBeVisible();
        await expect(page).toHaveURL(/\/estimate$/);
      } else {
        await expect(preview.getByTestId('csv-mapping')).toHaveCount(0);
      }
      await page.getByTestId('estimate-vertical').selectOption('ecommerce');
      await watchProgress(page);
      await page.getByTestId('estimate-start').click();
      await expectResult(page);
      expect(await sawProgress(page)).toBe(true);

      const report = page.getByTestId('estimate-report');
      await expect(report).toContainText(format === 'Canonical JSON lines' ? 'Canonical' : format);
      expect(
        Number((await report.getByTestId('report-imported').textContent())?.replace(/,/g, '')),
      ).toBeGreaterThan(0);
      if (format === 'CSV') {
        await expect(report.getByTestId('csv-mapping')).toBeVisible();
        await expect(report.getByTestId('report-rejects')).toContainText(/line \d+/);
        // 2 of its 6 rows are rejected: it can be looked at, not saved as a prospect
        await expect(page.getByTestId('estimate-cannot-save')).toContainText(
          'Not saved: 33.3% of the records were rejected, over the 1.0% a saved prospect allows.',
        );
        await expect(page.getByTestId('estimate-save-now')).toHaveCount(0);
      }
      // breakdown table → example conversations of a topic
      const table = page.getByTestId('leaf-table');
      await expect(table.locator('tbody tr').first()).toBeVisible();
      await table.locator('tbody tr').first().locator('button.leaf-btn').click();
      await expect(page.getByRole('dialog').getByTestId('sample').first()).toBeVisible();
      await page.keyboard.press('Escape');
      // next actions with their gain
      await expect(page.getByTestId('action').first()).toContainText(/pts/);
    });
  }

  test('a list of requests without dates is estimated as one month, and says so', async ({ page }) => {
    await openEstimate(page);
    const rows = [
      'where is my parcel, it was due on monday',
      'how do I reset my password',
      'please cancel my subscription',
      'what is your returns policy',
      'I was charged twice for one order',
    ];
    await chooseFile(page, {
      name: 'requests-undated.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`text,category\n${rows.map((r) => `"${r}",x`).join('\n')}\n`),
    });
    await expect(page.getByTestId('estimate-preview')).toContainText(
      'no time column: the file is read as one month of conversations',
    );
    await page.getByTestId('estimate-start').click();
    await expectResult(page);
    await expect(page.getByTestId('prospect-estimate')).toContainText('5 (no dates in the file)');
    await expect(page.getByTestId('estimate-report')).toContainText(
      'no time column: every conversation is dated',
    );
    // its one month is a stand-in date: the page names no month for it
    await expect(page.getByText('The whole export (it has no dates)')).toBeVisible();
    await expect(page.getByText('No monthly trend')).toBeVisible();
  });

  test('an export without customer words gets no potential, and its page says why', async ({ page }) => {
    await openEstimate(page);
    // an export whose text column came out empty, or held only emoji
    const rows = Array.from(
      { length: 40 },
      (_, i) => `t${i},2026-06-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,${i % 2 ? '' : '😡🙏'}`,
    );
    await chooseFile(page, {
      name: 'empty-text.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`id,created_at,text\n${rows.join('\n')}\n`),
    });
    await page.getByTestId('estimate-start').click();
    await expect(page).toHaveURL(/\/accounts\/prospect-[0-9a-f]{16}$/);
    await expect(page.getByTestId('prospect-estimate')).toContainText(
      'withheld: most conversations have no customer words to read',
    );
    await expect(page.getByTestId('estimate-no-text')).toContainText(
      'All of the conversations have no customer words (no message, or only emoji, numbers and punctuation)',
    );
    await expect(page.getByText('This estimate gives no potential')).toBeVisible();
    await expect(page.getByText('Without a potential there is no gap to rank actions by.')).toBeVisible();
    await expect(page.getByText(/Every topic is already at or above/)).toHaveCount(0);
  });

  test('an export from a business the topics were not written for is marked indicative, saved so', async ({
    page,
  }) => {
    await openEstimate(page);
    // an energy supplier's requests, written for this test: the taxonomy has no meter or tariff topics
    const asks = [
      'my meter reading on the app looks far too high this quarter',
      'I want to submit a gas meter reading',
      'there is a power cut on our street since this morning',
      'can I switch to the economy 7 tariff',
      'I am moving house next month, how do I move my supply',
      'the smart meter display has gone blank',
      'I can smell gas near the boiler what should I do',
      'the engineer did not turn up for the meter installation',
      'I want to dispute the estimated bill, nobody read the meter',
      'my prepayment meter ran out of credit and I need emergency credit',
      'the solar export payments have not been paid since march',
      'the standing charge doubled without notice',
    ];
    const rows = Array.from(
      { length: 48 },
      (_, i) =>
        `u${i},2026-0${7 + (i % 3)}-${String((i % 27) + 1).padStart(2, '0')}T09:00:00Z,"${asks[i % asks.length]}"`,
    );
    await chooseFile(page, {
      name: 'energy-supplier.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`id,created_at,text\n${rows.join('\n')}\n`),
    });
    await page.getByTestId('estimate-name').fill('E2E energy supplier');
    await page.getByTestId('estimate-save').check();
    await page.getByTestId('estimate-start').click();
    await expectResult(page);
    // beside the headline, not only in a note above it
    await expect(page.getByTestId('potential-indicative')).toHaveText(
      /^Indicative: \d+\.\d% of the requests match no topic well$/,
    );
    await expect(page.getByTestId('estimate-unfamiliar')).toBeVisible();
    await expect(page.getByTestId('leaf-unsure').first()).toBeVisible();
    // and on the roadmap's cards of such topics
    await expect(page.getByTestId('action-unsure').first()).toHaveText('unsure fit');
    await page.goto('/estimate');
    const item = page.getByTestId('prospect-item').filter({ hasText: 'E2E energy supplier' });
    await expect(item.getByTestId('prospect-indicative')).toHaveText('indicative');
  });

  test('a withheld estimate lists the topics it read by volume, with no gaps', async ({ page }) => {
    await openEstimate(page);
    // 24 of 40 rows without a word: no potential, so the 16 read give topics but no gaps
    const rows = Array.from(
      { length: 40 },
      (_, i) =>
        `w${i},2026-06-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,${i % 5 < 3 ? '' : 'where is my parcel'}`,
    );
    await chooseFile(page, {
      name: 'mostly-empty.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`id,created_at,text\n${rows.join('\n')}\n`),
    });
    await page.getByTestId('estimate-start').click();
    await expect(page).toHaveURL(/\/accounts\/prospect-[0-9a-f]{16}$/);
    await expect(page.getByTestId('breakdown-withheld-note')).toContainText(
      'No potential is given for this export (why: above), so no gaps',
    );
    const table = page.getByTestId('leaf-table');
    await expect(table).toContainText('Where is my order');
    await expect(table.getByRole('columnheader', { name: /Gap/ })).toHaveCount(0);
    await expect(page.getByTestId('breakdown-chart')).toHaveCount(0);
  });

  test('one date far from the rest is left out of the export’s period, and said', async ({ page }) => {
    await openEstimate(page);
    const rows = Array.from(
      { length: 60 },
      (_, i) =>
        `s${i},2026-06-${String((i % 28) + 1).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z,where is my parcel`,
    );
    await chooseFile(page, {
      name: 'stray-date.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`id,created_at,text\n${rows.join('\n')}\nold,2005-06-02T10:00:00Z,refund please\n`),
    });
    await page.getByTestId('estimate-start').click();
    await expectResult(page);
    await expect(page.getByTestId('prospect-estimate')).toContainText('61 (1 Jun 2026 – 28 Jun 2026)');
    await expect(page.getByTestId('estimate-report')).toContainText(
      '1 conversation is dated far from the rest of the export (2 Jun 2005, 21 years before the rest)',
    );
    // no month of 2005 anywhere else: not in the trend, the window, nor the comparison month
    await expect(page.getByText(/Jun ’05|vs Jun 2005/)).toHaveCount(0);
  });

  test('an unsaved estimate is a temporary prospect, saved later from its page under a new name', async ({
    page,
  }) => {
    await openEstimate(page);
    await chooseFile(page, join(FIXTURES, 'intercom.jsonl'));
    await page.getByTestId('estimate-start').click();
    const id = await expectResult(page);
    await expect(page.getByTestId('prospect-estimate').getByText('Not saved')).toBeVisible();
    // not in the triage while unsaved
    const before = (await (
      await page.request.get('/api/accounts?status=prospect')
    ).json()) as AccountsResponse;
    expect(before.accounts.some((a) => a.id === id)).toBe(false);
    await page.getByTestId('estimate-save-name').fill('E2E saved afterwards');
    await page.getByTestId('estimate-save-now').click();
    await expect(page.getByTestId('estimate-saved')).toContainText('Saved as prospect');
    await expect(page.getByRole('heading', { name: 'E2E saved afterwards', level: 1 })).toBeVisible();
    await page.getByTestId('estimate-saved').getByRole('link', { name: 'Prospects in the triage' }).click();
    await expect(
      page.getByRole('table', { name: 'Accounts' }).getByRole('link', { name: 'E2E saved afterwards' }),
    ).toBeVisible();
  });

  test('the same export estimated again under another name offers that name on the saved prospect', async ({
    page,
  }) => {
    // a file of its own, so the saved prospect is this test's
    const csv = `id,created_at,text\n${Array.from({ length: 12 }, (_, i) => `r${i},2026-10-0${(i % 9) + 1}T10:00:00Z,where is my order number ${i}`).join('\n')}\n`;
    const file = { name: 'rename-me.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };
    await openEstimate(page);
    await chooseFile(page, file);
    await page.getByTestId('estimate-name').fill('E2E first name');
    await page.getByTestId('estimate-save').check();
    await page.getByTestId('estimate-start').click();
    await expect(page.getByTestId('estimate-saved')).toContainText('Saved as prospect');
    await openEstimate(page);
    await chooseFile(page, file);
    await page.getByTestId('estimate-name').fill('E2E second name');
    await page.getByTestId('estimate-start').click();
    const rename = page.getByTestId('estimate-rename');
    await expect(rename).toContainText('saved before as “E2E first name”');
    await expect(rename.getByLabel('Rename it to')).toHaveValue('E2E second name');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(page.getByRole('heading', { name: 'E2E second name', level: 1 })).toBeVisible();
    await expect(page.getByTestId('estimate-rename')).toHaveCount(0);
    expect(page.url()).not.toContain('rename=');
  });

  test('bad files get a clear message and the server stays usable', async ({ page }) => {
    await openEstimate(page);
    // empty: refused before any upload
    await chooseFile(page, {
      name: 'empty.jsonl',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(0),
    });
    await expect(page.getByRole('alert')).toContainText('“empty.jsonl” is empty');
    await expect(page.getByTestId('estimate-start')).toHaveCount(0);

    // binary: the preview names the problem
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0xff, 0x00, 0x10, 0x20]);
    await chooseFile(page, { name: 'export.jsonl', mimeType: 'application/octet-stream', buffer: binary });
    await expect(page.getByRole('alert')).toContainText('not a text file');
    await expect(page.getByRole('alert')).toContainText('422');
    await expect(page.getByTestId('estimate-start')).toHaveCount(0);

    // a CSV whose columns Cockpit cannot read: said at the preview, no Estimate button
    await chooseFile(page, {
      name: 'wrongcols.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('foo,bar,baz\n1,2,3\n'),
    });
    await expect(page.getByRole('alert')).toContainText('the CSV has no column for text');
    await expect(page.getByTestId('estimate-start')).toHaveCount(0);

    // looks canonical, but no record is usable: the in-stream error names the line
    const broken = join(tmp, 'broken.jsonl');
    writeFileSync(
      broken,
      '{"id":"a","accountId":"x","createdAt":"nope"}\n{"id":"b","accountId":"x","createdAt":"2026-01-01T00:00:00Z"\n',
    );
    await chooseFile(page, broken);
    await expect(page.getByTestId('estimate-format')).toHaveText('Canonical JSON lines');
    await page.getByTestId('estimate-start').click();
    const error = page.getByTestId('estimate-error');
    await expect(error).toContainText('The estimate failed');
    await expect(error).toContainText('no usable conversations');
    await expect(error).toContainText('line 1');

    // and the next good file works
    await chooseFile(page, join(FIXTURES, 'canonical.jsonl'));
    await page.getByTestId('estimate-start').click();
    await expectResult(page);
  });

  test('refuses a file over the limit before uploading', async ({ page }) => {
    await page.route('**/api/estimate/limits', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      await route.fulfill({ response: res, json: { ...body, maxBytes: 1000, maxBytesLabel: '1000 B' } });
    });
    let uploads = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/estimate')) uploads += 1;
    });
    await openEstimate(page);
    await expect(page.getByTestId('estimate-limit')).toContainText('1000 B');
    await chooseFile(page, canonicalFile('over-limit.jsonl', 20));
    await expect(page.getByRole('alert')).toContainText('over the 1000 B limit');
    expect(uploads).toBe(0);
  });

  test('shows progress with counts and cancels a large upload', async ({ page, request }) => {
    test.setTimeout(120_000);
    const big = canonicalFile('cancel-me.jsonl', 20_000);
    await openEstimate(page);
    // a slow link, so the upload is still running when we cancel
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1_000_000,
    });
    await chooseFile(page, big);
    await expect(page.getByTestId('estimate-preview')).toBeVisible();
    await page.getByTestId('estimate-name').fill('E2E cancelled prospect');
    await page.getByTestId('estimate-save').check();
    await page.getByTestId('estimate-start').click();
    const progress = page.getByTestId('estimate-progress');
    await expect(progress).toBeVisible();
    await expect(progress.getByRole('progressbar')).toBeVisible();
    // bytes sent grow while the upload runs (the counts are "<sent> of <size>[ · N records]")
    await expect(page.getByTestId('estimate-progress-counts')).toHaveText(
      /^[1-9][\d.]* (KB|MB) of \d+(\.\d)? MB/,
    );
    await expect(progress.getByRole('progressbar')).not.toHaveAttribute('aria-valuenow', '0');
    await page.getByTestId('estimate-cancel').click();
    await expect(page.getByTestId('estimate-cancelled')).toContainText('cancelled');
    await expect(page).toHaveURL(/\/estimate$/);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    // nothing was saved, and the server still answers
    const list = (await (await request.get('/api/estimate/prospects')).json()) as ProspectsResponse;
    expect(list.prospects.some((p) => p.name === 'E2E cancelled prospect')).toBe(false);
    expect((await request.get('/api/health')).ok()).toBe(true);
  });

  test('with "save" ticked, a file with too many rejected rows still shows its estimate, unsaved, and why', async ({
    page,
  }) => {
    const questions = [
      'where is my parcel',
      'how do I return a jacket',
      'cancel my order please',
      'my refund',
    ];
    const rows = Array.from({ length: 40 }, (_, i) => {
      // one row in ten has a date no one can read: 10% rejected, over the 1% a saved prospect allows
      const date = i % 10 === 9 ? 'someday' : `2026-03-${String((i % 28) + 1).padStart(2, '0')} 10:00`;
      return `r${i},${date},${questions[i % questions.length]},Chat`;
    });
    await openEstimate(page);
    await chooseFile(page, {
      name: 'rejects.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`id,created_at,text,channel\n${rows.join('\n')}\n`),
    });
    await page.getByTestId('estimate-save').check();
    await page.getByTestId('estimate-start').click();
    const id = await expectResult(page);
    await expect(page.getByTestId('estimate-cannot-save')).toContainText(
      /Not saved: 10(\.0)?% of the records were rejected/,
    );
    const saved = (await (await page.request.get('/api/estimate/prospects')).json()) as ProspectsResponse;
    expect(saved.prospects.map((p) => p.id)).not.toContain(id);
  });

  test('saves a prospect that then shows in the triage behind the prospect filter', async ({ page }) => {
    await openEstimate(page);
    await chooseFile(page, join(FIXTURES, 'zendesk-tickets.json'));
    await page.getByTestId('estimate-vertical').selectOption('ecommerce');
    await page.getByTestId('estimate-name').fill('E2E Zendesk prospect');
    await page.getByTestId('estimate-save').check();
    await page.getByTestId('estimate-start').click();
    const id = await expectResult(page);
    await expect(page.getByTestId('estimate-saved')).toContainText('Saved as prospect');
    await page.goto('/estimate');
    await expect(page.getByTestId('prospects-list')).toContainText('E2E Zendesk prospect');
    // an old link to the estimate opens the prospect's page
    await page.goto(`/estimate?prospect=${id}`);
    await expect(page).toHaveURL(new RegExp(`/accounts/${id}$`));

    // the saved estimate reloads from the server
    await page.reload();
    await expect(page.getByRole('heading', { name: 'E2E Zendesk prospect', level: 1 })).toBeVisible();

    await page.getByTestId('estimate-saved').getByRole('link', { name: 'Prospects in the triage' }).click();
    await expect(page).toHaveURL(/\/\?status=prospect$/);
    const triage = page.getByRole('table', { name: 'Accounts' });
    await expect(triage.getByRole('link', { name: 'E2E Zendesk prospect' })).toBeVisible();

    // its Account page works like a customer's: breakdown, next actions and CX, no error state
    await page.goto(`/accounts/${id}`);
    await expect(page.getByRole('heading', { name: 'E2E Zendesk prospect' })).toBeVisible();
    const prospect = (await (
      await page.request.get(`/api/estimate/prospects/${id}`)
    ).json()) as EstimateResult;
    // the 15 largest gaps, then every topic on request
    if (prospect.leaves.length > 18)
      await page.getByRole('button', { name: `Show all ${prospect.leaves.length} rows` }).click();
    await expect(page.getByTestId('leaf-table').locator('tbody tr')).toHaveCount(prospect.leaves.length);
    if (prospect.actions.length > 0) {
      await expect(page.getByTestId('action').first()).toContainText(prospect.actions[0]!.title);
    }
    const cx = page.locator('section[aria-labelledby="cx-h"]');
    await expect(cx).toContainText('example conversations the estimate kept');
    await expect(page.getByText(/Could not load/)).toHaveCount(0);
    // and a topic opens its example conversations with their CX reading
    const withSamples = prospect.leaves.find((l) => l.samples.length > 0)!;
    const row = page
      .getByTestId('leaf-table')
      .locator('tbody tr', { has: page.getByText(withSamples.label, { exact: true }) });
    await row.locator('button.leaf-btn').click();
    const sample = page.getByRole('dialog').getByTestId('sample').first();
    await expect(sample.locator('.cx-big')).toHaveText(/^\d\.\d\d$/);
    await expect(sample.locator('.convo-cx-expl')).toContainText(
      /No AI involvement|Handled by a human agent/,
    );
    await page.keyboard.press('Escape');
    // its breadcrumb leads to the prospects (the customers' triage does not list them)
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: '← Prospects' })
      .click();
    await expect(page).toHaveURL(/\/\?status=prospect$/);
    await expect(triage.getByRole('link', { name: 'E2E Zendesk prospect' })).toBeVisible();
  });
});

test.describe('Saved prospects', () => {
  test('a saved prospect can be deleted, and leaves the triage', async ({ page }) => {
    await openEstimate(page);
    await chooseFile(page, canonicalFile('to-delete.jsonl', 40));
    await page.getByTestId('estimate-name').fill('E2E prospect to delete');
    await page.getByTestId('estimate-save').check();
    await page.getByTestId('estimate-start').click();
    await expect(page.getByTestId('estimate-saved')).toContainText('Saved as prospect');
    await page.goto('/estimate');
    const item = page.getByTestId('prospect-item').filter({ hasText: 'E2E prospect to delete' });
    await expect(item).toHaveCount(1);
    page.once('dialog', (d) => void d.accept());
    await item.getByTestId('prospect-delete').click();
    await expect(item).toHaveCount(0);
    await page.goto('/?status=prospect');
    const triage = page.getByRole('table', { name: 'Accounts' });
    await expect(triage.getByRole('link', { name: 'E2E prospect to delete' })).toHaveCount(0);
  });
});

// ---------- screenshots (.tmp/screenshots), with the assertions of each step ----------
const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

for (const size of SIZES) {
  test(`estimate screenshots ${size.name}`, async ({ page }) => {
    test.setTimeout(120_000);
    const dir = '.tmp/screenshots';
    mkdirSync(dir, { recursive: true });
    await page.setViewportSize({ width: size.width, height: size.height });
    await openEstimate(page);
    await page.screenshot({ path: `${dir}/estimate-empty-${size.name}.png` });
    await chooseFile(page, join(FIXTURES, 'conversations.csv'));
    await expect(page.getByTestId('csv-mapping')).toBeVisible();
    await page.screenshot({ path: `${dir}/estimate-preview-${size.name}.png`, fullPage: true });
    // one export per size: the same bytes and vertical are the same prospect, which the desktop run saves
    await chooseFile(
      page,
      canonicalFile(`acme-support-export-${size.name}.jsonl`, size.width > 1000 ? 3000 : 3001),
    );
    await page.getByTestId('estimate-vertical').selectOption('ecommerce');
    await page.getByTestId('estimate-start').click();
    const id = await expectResult(page);
    await page.waitForTimeout(1000); // chart animations
    await page.screenshot({ path: `${dir}/estimate-result-top-${size.name}.png` });
    await page.screenshot({ path: `${dir}/estimate-result-${size.name}.png`, fullPage: true });
    await page.getByTestId('estimate-save-now').click();
    await expect(page.getByTestId('estimate-saved')).toBeVisible();
    await page
      .getByTestId('prospect-estimate')
      .screenshot({ path: `${dir}/estimate-saved-${size.name}.png` });
    // leave no saved prospect behind, so the test runs again against the same prospects file
    const origin = new URL(page.url()).origin;
    const deleted = await page.request.delete(`/api/estimate/prospects/${encodeURIComponent(id)}`, {
      headers: { Origin: origin },
    });
    expect(deleted.status()).toBeLessThan(300);
  });
}
