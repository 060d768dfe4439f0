// Drives the Microsoft 365 Agents Playground's chat UI with headless Chromium (playwright-core).
//
// Scenarios only talk to a `PlaygroundChat`: send text, click a card button, wait for the bot's
// reply by its visible text, take a screenshot. Selectors live here, so a Playground upgrade that
// changes its DOM is fixed in one place.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const MESSAGE_HEADER = '[aria-label="Message header"]';
const MESSAGE_AUTHOR = '[aria-label="Message author"]';
const DEFAULT_TIMEOUT_MS = 15_000;

/** Raised when the bot's reply does not show up; carries what the chat did show, for the log. */
export class ReplyNotSeenError extends Error {}

export class PlaygroundChat {
  /**
   * @param {{url: string, artifactsDir: string, chromiumPath?: string, botName?: string}} options
   */
  static async open({ url, artifactsDir, chromiumPath = '/usr/bin/chromium', botName = 'Test Bot' }) {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'fr-FR' });
    // The Playground page asks a CDN for fonts; this machine (and CI) only reaches loopback.
    await context.route('**/*', (route) =>
      LOOPBACK_HOSTS.has(new URL(route.request().url()).hostname) ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    const chat = new PlaygroundChat(browser, page, artifactsDir, botName);
    await mkdir(artifactsDir, { recursive: true });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.getByRole('textbox').waitFor({ timeout: 30_000 });
    return chat;
  }

  constructor(browser, page, artifactsDir, botName) {
    this.browser = browser;
    this.page = page;
    this.artifactsDir = artifactsDir;
    this.botName = botName;
  }

  /** Visible text of every message in the open conversation, oldest first. */
  async messages() {
    return this.page.locator(MESSAGE_HEADER).evaluateAll(
      (headers, authorSelector) =>
        headers.map((header) => {
          const message = header.parentElement.parentElement;
          const author = header.querySelector(authorSelector)?.innerText.trim() ?? '';
          const body = message.innerText.split('\n').slice(author ? 2 : 1).join('\n');
          return { author, text: body.replace(/\n{2,}/g, '\n').trim() };
        }),
      MESSAGE_AUTHOR,
    );
  }

  /** Texts of the bot's messages, oldest first. */
  async botMessages() {
    return (await this.messages()).filter((m) => m.author === this.botName).map((m) => m.text);
  }

  /**
   * Waits until a bot message after the first `skip` ones matches `expected` (RegExp or string);
   * returns the bot messages that arrived after `skip`.
   */
  async waitForBotMessage(expected, { skip = 0, timeout = DEFAULT_TIMEOUT_MS } = {}) {
    const matches = (text) => (expected instanceof RegExp ? expected.test(text) : text.includes(expected));
    const deadline = Date.now() + timeout;
    let arrived = [];
    while (Date.now() < deadline) {
      arrived = (await this.botMessages()).slice(skip);
      if (arrived.some(matches)) return arrived;
      await this.page.waitForTimeout(100);
    }
    throw new ReplyNotSeenError(
      `No bot message matching ${expected} within ${timeout} ms. Bot messages seen after the action:\n` +
        (arrived.length ? arrived.map((t) => `  | ${t.replaceAll('\n', '\n  | ')}`).join('\n') : '  (none)'),
    );
  }

  /** Types `text` in the compose box as a person would, then waits for a reply matching `expected`. */
  async say(text, expected, options = {}) {
    const skip = (await this.botMessages()).length;
    const box = this.page.getByRole('textbox');
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    return this.waitForBotMessage(expected, { skip, ...options });
  }

  /** Clicks the last card button named `title` (the newest card) and waits for a reply. */
  async click(title, expected, options = {}) {
    const skip = (await this.botMessages()).length;
    await this.page
      .getByRole('button', { name: title, exact: true })
      .last()
      .click({ timeout: options.timeout ?? DEFAULT_TIMEOUT_MS });
    return this.waitForBotMessage(expected, { skip, ...options });
  }

  /** Names of the buttons shown in the newest bot message that has any. */
  async lastCardButtons() {
    const bot = this.page
      .locator(MESSAGE_HEADER)
      .filter({ has: this.page.locator(MESSAGE_AUTHOR, { hasText: this.botName }) })
      .locator('xpath=../..');
    for (let i = (await bot.count()) - 1; i >= 0; i--) {
      const names = await bot.nth(i).locator('.ac-adaptiveCard button').allInnerTexts();
      if (names.length) return names.map((n) => n.trim());
    }
    return [];
  }

  /** Saves `<artifactsDir>/<name>.png` (what a person sees) and returns its path. */
  async screenshot(name) {
    const file = path.join(this.artifactsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Screenshot of the whole conversation: the viewport is made as tall as the chat's scrolled
   * content (long cards are cut in a normal screenshot), then put back.
   */
  async screenshotWholeChat(name) {
    const viewport = this.page.viewportSize();
    const hidden = await this.page.locator(MESSAGE_HEADER).first().evaluate((header) => {
      for (let node = header.parentElement; node; node = node.parentElement) {
        if (node.scrollHeight > node.clientHeight + 1 && getComputedStyle(node).overflowY !== 'visible') {
          return node.scrollHeight - node.clientHeight;
        }
      }
      return 0;
    });
    await this.page.setViewportSize({ width: viewport.width, height: Math.min(viewport.height + hidden + 40, 12_000) });
    await this.page.waitForTimeout(300);
    try {
      return await this.screenshot(name);
    } finally {
      await this.page.setViewportSize(viewport);
    }
  }

  /** Saves the whole conversation as text next to the screenshots. */
  async saveTranscript(name = 'transcript') {
    const lines = (await this.messages()).map((m) => `[${m.author || 'moi'}]\n${m.text}\n`);
    const file = path.join(this.artifactsDir, `${name}.txt`);
    await writeFile(file, lines.join('\n'));
    return file;
  }

  async close() {
    await this.browser.close();
  }
}
