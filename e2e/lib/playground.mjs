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
// The compose box, a Lexical editor (cards' Input.Text fields are text boxes too).
const COMPOSE_BOX = '[role="textbox"][contenteditable="true"]';
const DEFAULT_TIMEOUT_MS = 15_000;

/** Raised when the bot's reply does not show up; carries what the chat did show, for the log. */
export class ReplyNotSeenError extends Error {}

export class PlaygroundChat {
  /**
   * @param {{url: string, artifactsDir: string, chromiumPath?: string, botName?: string}} options
   */
  static async open({ url, artifactsDir, chromiumPath = '/usr/bin/chromium', botName = 'Test Bot', browser = null, name = '' }) {
    const ownsBrowser = browser === null;
    browser ??= await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'fr-FR' });
    // The Playground page asks a CDN for fonts; this machine (and CI) only reaches loopback.
    await context.route('**/*', (route) =>
      LOOPBACK_HOSTS.has(new URL(route.request().url()).hostname) ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    const chat = new PlaygroundChat(browser, page, artifactsDir, botName, { ownsBrowser, name });
    await mkdir(artifactsDir, { recursive: true });
    try {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      await page.locator(COMPOSE_BOX).waitFor({ timeout: 30_000 });
    } catch (error) {
      await chat.close(); // a browser left open would keep the test runner alive
      throw error;
    }
    return chat;
  }

  constructor(browser, page, artifactsDir, botName, { ownsBrowser = true, name = '' } = {}) {
    this.browser = browser;
    this.page = page;
    this.artifactsDir = artifactsDir;
    this.botName = botName;
    this.ownsBrowser = ownsBrowser;
    /** Who is signed in to this Playground (for file names); empty for the first one. */
    this.name = name;
    /** Set by every action and wait: the scenario screenshots the chats it touched. */
    this.touched = false;
  }

  /** Visible text of every message in the open conversation, oldest first. */
  async messages() {
    return this.page.locator(MESSAGE_HEADER).evaluateAll(
      (headers, authorSelector) =>
        headers.map((header) => {
          const message = header.parentElement.parentElement;
          const author = header.querySelector(authorSelector)?.innerText.trim() ?? '';
          const body = message.innerText.split('\n').slice(author ? 2 : 1).join('\n');
          // No-break spaces (French typography: « 64,5 % », « 13 800 ») are compared as spaces, and
          // non-breaking hyphens (« IND‑23 » on the summary card) as hyphens.
          return { author, text: body.replace(/\n{2,}/g, '\n').replace(/[\u00a0\u202f]/g, ' ').replace(/\u2011/g, '-').trim() };
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
    this.touched = true;
    const matches = matcher(expected);
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
    this.touched = true;
    const skip = (await this.botMessages()).length;
    const box = this.page.locator(COMPOSE_BOX);
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    return this.waitForBotMessage(expected, { skip, ...options });
  }

  /** Clicks the last card button named `title` (the newest card) and waits for a reply. */
  async click(title, expected, options = {}) {
    this.touched = true;
    const skip = (await this.botMessages()).length;
    await this.page
      .getByRole('button', { name: title, exact: true })
      .last()
      .click({ timeout: options.timeout ?? DEFAULT_TIMEOUT_MS });
    return this.waitForBotMessage(expected, { skip, ...options });
  }

  /** How many bot messages match `expected` (RegExp or string): "exactly once" is checked with it. */
  async countBotMessages(expected) {
    this.touched = true;
    return (await this.botMessages()).filter(matcher(expected)).length;
  }

  /** The newest Adaptive Card that has input fields (a form). */
  lastForm() {
    return this.page.locator('.ac-adaptiveCard').filter({ has: this.page.locator('input, textarea') }).last();
  }

  /**
   * Types into the form's field labelled `label` inside the card section that shows `section`
   * (e.g. the indicator code `IND-05 —`): what a person does, field by field.
   */
  async fillForm(section, label, value) {
    this.touched = true;
    const container = this.lastForm().locator('.ac-container').filter({ hasText: section }).last();
    await container.getByLabel(label, { exact: true }).fill(value);
  }

  /** The URL behind the newest card's `Action.OpenUrl` button named `title` (the Playground shows it as a link). */
  async lastCardLink(title) {
    this.touched = true;
    const link = this.page.locator('.ac-adaptiveCard').getByRole('link', { name: title, exact: true }).last();
    return link.getAttribute('title');
  }

  /**
   * Waits until every image of the newest card that has images is loaded and drawn (the browser
   * fetched it from the bot); returns their natural sizes. Fails when one is broken or never loads.
   */
  async waitForCardImages({ timeout = DEFAULT_TIMEOUT_MS } = {}) {
    this.touched = true;
    const images = this.page.locator('.ac-adaptiveCard').filter({ has: this.page.locator('img') }).last().locator('img');
    const deadline = Date.now() + timeout;
    let sizes = [];
    while (Date.now() < deadline) {
      sizes = await images.evaluateAll((all) => all.map((img) => ({ src: img.src, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight })));
      if (sizes.some((image) => image.complete && image.width === 0)) break;
      if (sizes.length && sizes.every((image) => image.complete && image.width > 0)) return sizes;
      await this.page.waitForTimeout(200);
    }
    throw new ReplyNotSeenError(`card images not displayed within ${timeout} ms: ${JSON.stringify(sizes)}`);
  }

  /** Scrolls the chat so that the top of the newest card (or of the element matching `selector` in it) is in view. */
  async scrollToLastCard(selector = null) {
    const card = this.page.locator('.ac-adaptiveCard').last();
    await (selector ? card.locator(selector).first() : card).evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await this.page.waitForTimeout(200);
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
    if (this.ownsBrowser) await this.browser.close();
    else await this.page.context().close();
  }
}

function matcher(expected) {
  return (text) => (expected instanceof RegExp ? expected.test(text) : text.includes(expected));
}
