import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../../src/testing/index.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/chromium.js';

/**
 * The dashboard in Debian's Chromium, driven like a user: a real card uploaded in the page reaches END with its
 * fields and OCR boxes, a card uploaded through the API appears live, a failed invocation and a failed record are
 * replayed. Every request the page makes is checked to stay on 127.0.0.1, and the console must stay clean.
 */
const REAL = '../shared/fixtures/bizcards/real';
const ARTIFACTS = 'test-artifacts/screenshots';
const available = chromiumAvailable();
if (!available) console.log(`skipping the dashboard browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);

let stack: TestStack;
let context: BrowserContext;
let page: Page;
let browser: Awaited<ReturnType<typeof launchChromium>>;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];
const requests: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe.skipIf(!available)('the cockpit dashboard in Chromium', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    stack = await startStack();
    browser = await launchChromium();
    context = browser.context;
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      requests.push(url.href);
      if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') {
        foreignRequests.push(url.href);
        return route.abort();
      }
      return route.continue();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('loads at the API root with the pipeline drawn (first paint measured)', async () => {
    // How many stream mapping rows the drawing had when it first reached the page.
    await page.addInitScript(() => {
      const w = globalThis as unknown as {
        __mappingRowsAtDraw?: number;
        document: { querySelectorAll(s: string): { length: number }; querySelector(s: string): unknown };
        MutationObserver: new (cb: () => void) => { observe(t: unknown, o: object): void; disconnect(): void };
      };
      const observer = new w.MutationObserver(() => {
        if (!w.document.querySelector('#main svg.pipeline')) return;
        w.__mappingRowsAtDraw = w.document.querySelectorAll('#mapping-lag tr[data-mapping]').length;
        observer.disconnect();
      });
      observer.observe(w.document, { subtree: true, childList: true });
    });
    const pipelineAnswer = page.waitForResponse((r) => r.url().endsWith('/_octember/api/pipeline'));
    await page.goto(stack.endpoints.dashboard);
    await page.waitForSelector('body[data-ready="pipeline"] svg.pipeline');
    // Runs in the page (a string: the page's globals are not Node's).
    const metrics = (await page.evaluate(`({
      firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      pipelineDrawn: performance.getEntriesByName('cockpit-ready')[0]?.startTime,
      mappingRowsAtDraw: window.__mappingRowsAtDraw,
      domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
    })`)) as {
      firstContentfulPaint?: number;
      pipelineDrawn?: number;
      mappingRowsAtDraw?: number;
      domContentLoaded?: number;
    };
    console.log(
      `dashboard: first contentful paint ${metrics.firstContentfulPaint?.toFixed(0)} ms, pipeline drawn ${metrics.pipelineDrawn?.toFixed(0)} ms`,
    );
    await writeFile('test-artifacts/dashboard-metrics.json', `${JSON.stringify(metrics, null, 2)}\n`);
    expect(metrics.firstContentfulPaint).toBeGreaterThan(0);
    expect(await page.locator('svg.pipeline g.node.function').count()).toBe(14);
    // The stream mappings are drawn with the first paint (one row per mapping), not after a later update.
    expect(metrics.mappingRowsAtDraw).toBe(4);
    expect(((await (await pipelineAnswer).json()) as { lag: unknown[] }).lag).toHaveLength(4);
    // A lag still being measured at first paint arrives live (a pipeline event), in the same rows.
    await page.waitForFunction(
      () =>
        !(globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document
          .querySelector('#mapping-lag')
          ?.textContent.includes('measuring'),
      null,
      { timeout: 30_000 },
    );
    expect(await page.locator('#mapping-lag tr[data-mapping]').count()).toBe(4);
    await shot('1-pipeline');
  });

  it('takes a real card uploaded in the page to END with its fields and OCR boxes', async () => {
    const truth = JSON.parse(await readFile(join(REAL, 'truth.json'), 'utf8')) as {
      file: string;
      name: string;
      email: string;
    }[];
    const card = truth[0];
    await page.fill('#owner', card.file.split('_')[0]);
    await page.setInputFiles('#file', join(REAL, card.file));
    await page.waitForSelector('#card-detail, #card-pending', { timeout: 60_000 });
    // Runs in the page (a function, not a string: the dashboard's CSP forbids eval).
    type Doc = {
      querySelector(
        s: string,
      ): { textContent: string | null; querySelector(s: string): { textContent: string | null } | null } | null;
    };
    const atEnd = (file: string) => {
      const detail = (globalThis as unknown as { document: Doc }).document.querySelector('#card-detail');
      return Boolean(detail?.textContent?.includes(file) && detail.querySelector('.badge')?.textContent === 'END');
    };
    await page.waitForFunction(atEnd, card.file, { timeout: 60_000, polling: 200 }).catch(async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('2'); // the list refreshes live; open the card once more
      await page.locator('tr.row', { hasText: card.file }).click();
      await page.waitForFunction(atEnd, card.file, { timeout: 30_000 });
    });
    // One read: the open card is patched in place as its last stages report in (never drawn again), and it shows END
    // only once its boxes and fields are in.
    const detail = await page.evaluate(() => {
      type El = {
        textContent: string | null;
        querySelector(s: string): El | null;
        querySelectorAll(s: string): { length: number };
      };
      const d = (globalThis as unknown as { document: El }).document;
      const panel = d.querySelector('#card-detail');
      return {
        name: panel?.querySelector('td[data-field="name"]')?.textContent,
        email: panel?.querySelector('td[data-field="email"]')?.textContent,
        lines: panel?.querySelectorAll('svg.ocr-boxes rect.LINE').length ?? 0,
        fieldLines: panel?.querySelectorAll('svg.ocr-boxes rect.field').length ?? 0,
      };
    });
    expect(detail.name).toBe(card.name);
    expect(detail.email).toBe(card.email);
    expect(detail.lines).toBeGreaterThan(3);
    expect(detail.fieldLines).toBeGreaterThan(2);
    // Live events for the open card patch it: the photo element is the same one a moment later.
    const photo = await page.locator('#card-detail img').elementHandle();
    await page.waitForTimeout(1_000);
    expect(await photo?.evaluate((img) => img.isConnected)).toBe(true);
    await shot('2-card-end');
  });

  it('shows a card uploaded through the API live, with its extracted name', async () => {
    const truth = JSON.parse(await readFile(join(REAL, 'truth.json'), 'utf8')) as { file: string; name: string }[];
    const card = truth[1];
    await page.keyboard.press('Escape');
    await page.keyboard.press('2');
    const response = await stack.request(`/octember-bizcard/bizcard-raw-img/${card.file}`, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: await readFile(join(REAL, card.file)),
    });
    expect(response.status).toBe(200);
    const cardRow = page.locator('tr.row', { hasText: card.file });
    await cardRow.waitFor({ timeout: 30_000 });
    await expect.poll(() => cardRow.locator('.badge').textContent(), { timeout: 60_000, interval: 250 }).toBe('END');
    // The row is patched in place as the card's stages report in: it keeps its focus, Enter opens it.
    await cardRow.focus();
    await page.keyboard.press('Enter');
    await page.locator('#card-detail td[data-field="name"]', { hasText: card.name }).waitFor({ timeout: 30_000 });
    await shot('3-card-from-api');
  });

  it('uploads a card dropped on the page', async () => {
    const file = 'edy_cr8677419714.jpg';
    const bytes = (await readFile(join(REAL, file))).toString('base64');
    await page.keyboard.press('Escape');
    await page.fill('#owner', 'drop');
    // A real drag-and-drop: a DataTransfer holding the photo, dispatched as dragenter + drop on the page.
    const dataTransfer = await page.evaluateHandle(
      ({ bytes, file }) => {
        const g = globalThis as unknown as {
          DataTransfer: new () => { items: { add(f: unknown): void } };
          File: new (b: unknown[], n: string, o: object) => unknown;
        };
        const transfer = new g.DataTransfer();
        const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
        transfer.items.add(new g.File([data], file, { type: 'image/jpeg' }));
        return transfer;
      },
      { bytes, file },
    );
    await page.dispatchEvent('body', 'dragenter', { dataTransfer });
    expect(await page.locator('#drop').isVisible()).toBe(true);
    await page.dispatchEvent('body', 'drop', { dataTransfer });
    await page.locator('tr.row', { hasText: `drop_${file}` }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#drop').isVisible()).toBe(false);
    await stack.waitFor(
      (inv) => inv.function === 'put-object-api' && JSON.stringify(inv.event).includes(`drop_${file}`),
    );
  });

  it('replays a failed invocation from the trace with the keyboard', async () => {
    // An S3 event whose record has no s3 part: trigger-text-extract fails.
    const failed = await fetch(`${stack.apiUrl}/_octember/api/invoke/trigger-text-extract`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-octember-cockpit': '1' },
      body: JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put' }] }),
    }).then((r) => r.json() as Promise<{ outcome: string; traceId: number }>);
    expect(failed.outcome).toBe('error');
    await page.keyboard.press('Escape');
    await page.keyboard.press('3');
    await page.selectOption('select[name="outcome"]', 'error');
    const failedRow = page.locator('#invocations tr.row', { hasText: 'trigger-text-extract' }).first();
    await failedRow.waitFor();
    await failedRow.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#invocation-detail >> text=TypeError');
    await page.keyboard.press('r');
    await page.waitForSelector(`#invocation-detail >> text=replay of invocation:${failed.traceId}`, {
      timeout: 10_000,
    });
    const replays = stack
      .invocations('trigger-text-extract')
      .filter((inv) => inv.replayOf === `invocation:${failed.traceId}`);
    expect(replays).toHaveLength(1);
    expect(replays[0].outcome).toBe('error');
    await shot('4-trace-replay');
  });

  it('replays a record from the on-failure destination', async () => {
    // A whole JPEG (the route takes it) whose scan data is garbage: OCR fails for it on every retry, and the
    // mapping hands it to the failure destination.
    const broken = Buffer.from(
      'ffd8ffc0000b080040004001011100ffda000801010000003f00deadbeefcafebabe0badf00dffd9',
      'hex',
    );
    const upload = await stack.request('/octember-bizcard/bizcard-raw-img/bad_not-a-card.jpg', {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: broken,
    });
    expect(upload.status).toBe(200);
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${stack.apiUrl}/_octember/api/failures`)).json()) as { failures: unknown[] }).failures
            .length,
        {
          timeout: 60_000,
          interval: 500,
        },
      )
      .toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('1');
    await page.keyboard.press('3');
    const replay = page.locator('#failures button.replay-failure').first();
    await replay.waitFor({ timeout: 10_000 });
    const answer = page.waitForResponse((r) => r.url().endsWith('/replay'));
    await replay.click();
    // Still not an image: the record fails again and stays in the destination.
    expect(((await (await answer).json()) as { replayed: boolean }).replayed).toBe(false);
    await expect
      .poll(
        () => stack.invocations('get-text-from-image').filter((inv) => inv.replayOf?.startsWith('failure:')).length,
        { timeout: 30_000 },
      )
      .toBe(1);
    await shot('5-failure-replayed');
  });

  it('browses resources: the uploaded objects and the search documents', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('4');
    await page.waitForSelector('body[data-ready="resources"]');
    await page.locator('tr.row', { hasText: 'bizcard-raw-img/' }).click();
    await page.locator('tr.row', { hasText: 'edy_a0653895773.jpg' }).click();
    await page.waitForSelector('.objects img');
    await shot('6-resources-s3');
    await page.getByRole('button', { name: 'OpenSearch' }).click();
    await page.waitForSelector('details summary');
    expect(await page.locator('details').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Redis' }).click();
    await page.waitForSelector('table[aria-label="Redis keys"] td.key');
    // Long values wrap inside the page instead of widening it.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await shot('7-resources-redis');
    await page.keyboard.press('5');
    await page.waitForSelector('body[data-ready="search"]');
    await page.locator('form input[name="query"]').fill('edy');
    await page.locator('form button[type="submit"]').first().click();
    await page.waitForSelector('form + div table');
    await shot('8-search');
  });

  it('made no request off the machine and logged no console error', () => {
    expect(foreignRequests).toEqual([]);
    expect(requests.length).toBeGreaterThan(10);
    expect(consoleErrors).toEqual([]);
  });
});
