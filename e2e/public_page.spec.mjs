// The public SPASER page (`/spaser`) in headless Chromium: the demo lead publishes it through the
// chat (`spaser-bot chat`, the same bot path as Teams), then the page is checked with axe-core
// (WCAG 2.x A/AA rules, no serious or critical violation), screenshotted, its open-data CSV read,
// its spreadsheet fetched, and it is taken down again (404).
//
// Run by e2e/run.sh after the Playground scenarios, or alone with e2e/public_page.sh. Needs the
// bot running on E2E_BOT_PORT with the demo organisation loaded (run.sh and public_page.sh do).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? path.join(HERE, 'artifacts');
const PYTHON = process.env.E2E_PYTHON ?? path.join(REPO, '.venv', 'bin', 'python');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BOT = `http://127.0.0.1:${process.env.E2E_BOT_PORT ?? 3978}`;
const WORK = process.env.E2E_WORK ?? process.cwd();
const LEAD = 'camille.martin@demo-spaser.fr';
const PERSONAL = /Camille|Nadia|Martin|Benali|Calculé à partir des DECP|@demo-spaser\.fr/;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const run = promisify(execFile);

let browser;

/** What the demo lead types, through `spaser-bot chat` on the bot's own database. */
async function leadSays(...lines) {
  const child = run(PYTHON, [path.join(REPO, 'app.py'), 'chat', '--as', LEAD], {
    cwd: WORK, env: { ...process.env, SPASER_SCHEDULER: 'off' }, timeout: 120_000,
  });
  child.child.stdin.end(`${lines.join('\n')}\nquitter\n`);
  return (await child).stdout;
}

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
});

test('the page is not public until the lead publishes it', async () => {
  assert.equal((await fetch(`${BOT}/spaser`)).status, 404);
  const answer = await leadSays('publier la page SPASER');
  assert.match(answer, /La page publique du SPASER est en ligne au nom de «\s?Ville de Démoville\s?»/);
});

test('the public page passes axe-core with no serious violation and shows computed and reported indicators', async () => {
  // The page's own policy forbids scripts: axe is injected past it (bypassCSP), nothing else is.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const response = await page.goto(`${BOT}/spaser`);
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.equal(await page.locator('h1').count(), 1);
  const rows = await page.locator('tbody tr').count();
  assert.equal(rows, 24, '24 active demo indicators');
  assert.match(await page.locator('body').innerText(), /Calculé à partir des marchés notifiés \(DECP\)/);
  assert.match(await page.locator('body').innerText(), /Saisi par les directions/);
  assert.doesNotMatch(await page.content(), PERSONAL, 'nothing personal on the public page');

  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  const summary = results.violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`);
  console.log(`axe-core ${results.testEngine.version}: ${results.passes.length} rules passed, violations: ${summary.join(', ') || 'none'}`);
  assert.deepEqual(serious.map((v) => v.id), [], `serious or critical violations: ${summary}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'public-page.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // Issue 17: the tables made the page 734 px wide at a phone's width; each scrolls in its own region now.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'the page is no wider than the phone');
  // Reader 15, minor 19: the table was cut at the region's edge with no hint it scrolled; its rows are stacked now.
  assert.ok(await page.evaluate(() => [...document.querySelectorAll('.table-scroll')].every((region) => region.scrollWidth <= region.clientWidth)),
    'no table is cut at a phone\'s width');
  await page.screenshot({ path: path.join(ARTIFACTS, 'public-page-mobile.png') });
  await page.close();
});

test('the open-data CSV has one row per indicator and nothing personal', async () => {
  const response = await fetch(`${BOT}/spaser.csv`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/csv/);
  const lines = (await response.text()).trim().split('\n');
  assert.equal(lines[0], 'code,libelle,axe,unite,origine,periode,valeur,valeur_reference,periode_reference,cible,annee_cible,progression_pct,statut,remarque');
  assert.equal(lines.length, 25);
  assert.doesNotMatch(lines.join('\n'), PERSONAL);
});

test('the same indicators come as a spreadsheet that opens as it is', async () => {
  const response = await fetch(`${BOT}/spaser.xlsx`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /spreadsheetml\.sheet/);
  assert.equal(Buffer.from(await response.arrayBuffer()).subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
});

test('the lead takes the page down', async () => {
  assert.match(await leadSays('retirer la page SPASER'), /est retirée/);
  assert.equal((await fetch(`${BOT}/spaser`)).status, 404);
});
