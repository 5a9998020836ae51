// The live preview in a real browser: headless Chromium, driven by playwright-core.
//
//   node tests/browser/reload.mjs URL CLAUSE_FILE SCREENSHOT_PNG
//
// URL is a document page served by `clausebook serve`, CLAUSE_FILE a clause (front matter +
// body) that the document contains. The script loads the page, rewrites the clause and waits
// until the page shows the new text without reloading it itself; then it saves a broken edit
// (an unknown parameter) and waits for the error overlay, takes a screenshot of it, fixes the
// edit and waits until the overlay is gone and the fixed text is shown. Exit 0 on success,
// 1 with a message otherwise. Run by `browser_reloads_after_an_edit` in tests/editor_loop.rs.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [url, clauseFile, screenshot] = process.argv.slice(2);
if (!url || !clauseFile || !screenshot) {
  console.error('usage: node reload.mjs URL CLAUSE_FILE SCREENSHOT_PNG');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT = 30_000;

// Split the clause into its front matter (kept) and body (replaced).
const original = fs.readFileSync(clauseFile, 'utf8');
const m = original.match(/^(---\r?\n[\s\S]*?\r?\n---\r?\n)/);
if (!m) {
  console.error(`${clauseFile}: no front matter`);
  process.exit(1);
}
const frontMatter = m[1];

// Save the way editors do: a temporary file beside the clause, renamed over it.
function save(body) {
  const tmp = path.join(path.dirname(clauseFile), `.${path.basename(clauseFile)}.tmp`);
  fs.writeFileSync(tmp, frontMatter + body + '\n');
  fs.renameSync(tmp, clauseFile);
}

const bodyText = () => document.body.innerText;

let browser;
let step = 'launching Chromium';
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Failed loads are checked by URL below (a browser asks for /favicon.ico on its own).
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') {
      problems.push(`GET ${r.url()}: ${r.status()}`);
    }
  });

  // Each page load opens a new event stream; an edit saved before it is open would not
  // reach the page, so every step waits until the page says its stream is open (the live
  // script marks <html data-cb-live>). A network event would not do: a page that reloads
  // twice in a row (after the HTML, then after the PDF) can cancel the request it was for.
  const streamOpen = () => page.waitForFunction(
    () => document.documentElement.dataset.cbLive === '1',
    null,
    { timeout: TIMEOUT, polling: 50 },
  );

  step = `loading ${url}`;
  const response = await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT });
  if (!response || response.status() !== 200) {
    throw new Error(`GET ${url}: status ${response && response.status()}`);
  }
  await streamOpen();
  const before = await page.evaluate(bodyText);
  if (!before.includes('Artikel') && !before.includes('artikel')) {
    throw new Error(`the page does not look like a document:\n${before.slice(0, 500)}`);
  }
  if (await page.$('#cb-overlay')) throw new Error('an error overlay before any edit');

  step = 'an edit reaching the page';
  const first = 'Nieuwe tekst uit de browsertest, eerste versie.';
  if (before.includes(first)) throw new Error('the new text is there before the edit');
  save(`{{ vendor.short_name }} houdt zich aan de ${first.toLowerCase()} Beschikbaarheid: {{ service.availability }}.`);
  await page.waitForFunction((t) => document.body.innerText.includes(t),
    first.toLowerCase(), { timeout: TIMEOUT, polling: 50 });
  await streamOpen();

  step = 'a broken edit showing the overlay';
  save('De Dienst is {{ service.availabilty }} beschikbaar, <i>cursief</i> & wel.');
  await page.waitForSelector('#cb-overlay', { state: 'visible', timeout: TIMEOUT });
  await page.waitForFunction(() => {
    const o = document.getElementById('cb-overlay');
    return o && o.innerText.includes('unknown parameter `service.availabilty`');
  }, null, { timeout: TIMEOUT, polling: 50 });
  const overlay = await page.$eval('#cb-overlay', (o) => o.innerText);
  const file = path.basename(clauseFile);
  if (!new RegExp(`${file.replace('.', '\\.')}:\\d+:\\d+`).test(overlay)) {
    throw new Error(`the overlay does not name ${file}:LINE:COL:\n${overlay}`);
  }
  if (!overlay.includes('<i>cursief</i> & wel')) {
    throw new Error(`the overlay does not show the source line as text:\n${overlay}`);
  }
  if (await page.$('#cb-overlay i')) throw new Error('the overlay turned the error text into markup');
  await page.screenshot({ path: screenshot });
  // Under the overlay the last good text is still there.
  if (!(await page.evaluate(bodyText)).includes(first.toLowerCase())) {
    throw new Error('the last good text is gone under the overlay');
  }

  step = 'a fix removing the overlay';
  const fixed = 'Hersteld in de browsertest, tweede versie.';
  save(`{{ vendor.short_name }} houdt zich aan de ${fixed.toLowerCase()} Beschikbaarheid: {{ service.availability }}.`);
  await page.waitForFunction((t) => !document.getElementById('cb-overlay')
    && document.body.innerText.includes(t), fixed.toLowerCase(), { timeout: TIMEOUT, polling: 50 });
  await streamOpen();
  const after = await page.evaluate(bodyText);
  if (after.includes(first.toLowerCase())) throw new Error('the old text is still on the page');
  if (!after.includes('99,8%')) throw new Error(`the parameter value is missing:\n${after}`);
  if (problems.length) throw new Error(problems.join('\n'));
  console.log(`ok: the page followed an edit, showed the overlay (${screenshot}) and cleared it`);
  await browser.close();
  process.exit(0);
} catch (e) {
  console.error(`browser test failed while ${step}: ${e && e.message ? e.message : e}`);
  if (browser) await browser.close().catch(() => {});
  process.exit(1);
}
