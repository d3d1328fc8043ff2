/**
 * Drives the VS Code workbench in the browser the way a person does, by keyboard and visible UI: quick open,
 * the command palette, the Problems panel, the quick fix menu and webviews. Every step waits for what it needs
 * to see (Playwright locators), never for a fixed time.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { guideImagesDir, screenshotsDir } from './paths.js';

export class Workbench {
  constructor(readonly page: Page, private readonly timeoutMs: number) {}

  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: this.timeoutMs });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: this.timeoutMs });
  }

  /** Opens a file by name through Quick Open (Ctrl+P) and waits for its text to show. */
  async openFile(name: string, expectedText: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: this.timeoutMs });
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: this.timeoutMs });
    await this.page.keyboard.press('Enter');
    await this.editorLines().filter({ hasText: expectedText }).first().waitFor({ timeout: this.timeoutMs });
  }

  /**
   * Opens a file by its absolute path through File: Open File... (the simple file dialog reads the disk as it is),
   * for a file the test has just written: Quick Open lists files from a search index that a busy machine's file
   * watcher may take minutes to update.
   */
  async openPath(path: string, expectedText: string): Promise<void> {
    const input = await this.pickCommand('File: Open File...');
    // The dialog fills in the folder it starts from and lists it; typing before the listing arrives gets overwritten.
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: this.timeoutMs });
    // Even then a late listing can put the folder back in the input, and Enter on a folder only says "Please select a
    // file." (the file's row is in that folder's listing too): type the path again while the dialog shows anything else.
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      await input.fill(path);
      await this.page.locator('.quick-input-list .monaco-list-row', { hasText: basename(path) }).first().waitFor({ timeout: this.timeoutMs });
      if ((await input.inputValue()) !== path) {
        if (Date.now() >= deadline) throw new Error(`File: Open File... kept replacing ${path} with "${await input.inputValue()}"`);
        continue;
      }
      await this.page.keyboard.press('Enter');
      try {
        await input.waitFor({ state: 'hidden', timeout: Math.min(15_000, Math.max(1, deadline - Date.now())) });
        break;
      } catch (error) {
        const shown = await input.inputValue().catch(() => path);
        if (Date.now() >= deadline) throw new Error(`File: Open File... did not open ${path}: its input shows "${shown}"`, { cause: error });
        // Still the path: the dialog is opening it on a slow machine; wait again rather than open it twice.
        if (shown === path) await input.waitFor({ state: 'hidden', timeout: Math.max(1, deadline - Date.now()) });
        if (!(await input.isVisible())) break;
      }
    }
    await this.editorLines().filter({ hasText: expectedText }).first().waitFor({ timeout: this.timeoutMs });
  }

  /**
   * Opens the quick fix menu at the cursor (Ctrl+.) and returns its rows. The editor asks the language server for
   * code actions only when the key arrives; a key pressed while the editor is still busy is sometimes dropped with
   * no menu and no error, so the key is pressed again every 15 s until the menu shows or the step's time is up.
   */
  async quickFixMenu(): Promise<Locator> {
    const menu = this.page.locator('.action-widget .monaco-list-row');
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      await this.page.keyboard.press('Control+.');
      try {
        await menu.first().waitFor({ timeout: Math.min(15_000, Math.max(1, deadline - Date.now())) });
        return menu;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
  }

  editorLines(): Locator {
    return this.page.locator('.editor-instance .view-lines');
  }

  /** Runs a command by its palette title, e.g. "Deadbolt: Show Lock Graph", picking the entry with exactly that title. */
  async runCommand(title: string): Promise<void> {
    const input = await this.pickCommand(title);
    await input.waitFor({ state: 'hidden', timeout: this.timeoutMs });
  }

  /**
   * Runs a command that answers with a quick pick of its own in the same widget ("Debug: Start Debugging" without a
   * launch.json asks "Select debugger"), and returns that pick's rows once its placeholder shows: the palette's input
   * may never be seen hidden in between, and its own rows may still be listed for a moment.
   */
  async runCommandAskingFor(title: string, placeholder: string): Promise<Locator> {
    await this.pickCommand(title);
    const widget = this.page.locator('.quick-input-widget');
    await widget.locator(`input[placeholder="${placeholder}"]`).waitFor({ timeout: this.timeoutMs });
    return widget.locator('.quick-input-list .monaco-list-row');
  }

  /** Picks the command with exactly this title in the palette; returns the quick input, which the command may reuse. */
  private async pickCommand(title: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget input');
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const entry = this.page.locator('.quick-input-list .monaco-list-row').filter({
      has: this.page.locator('.label-name', { hasText: exact }),
    });
    // The palette closes when the focus moves (a debugger opening the stopped frame's editor, a panel revealed beside
    // it), which can happen between opening it and typing or picking: open it again then, a few times, as a person
    // would. The last attempt waits the whole step's time.
    for (let attempt = 1; ; attempt++) {
      const timeout = attempt === 3 ? this.timeoutMs : 10_000;
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ timeout: this.timeoutMs });
        await input.fill(`>${title}`, { timeout });
        await entry.first().click({ timeout });
        return input;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /**
   * Picks a colour theme by its label through Preferences: Color Theme, as a person does, and waits until the
   * webviews have it (VS Code names the theme on each webview's body).
   */
  async setColorTheme(label: string): Promise<void> {
    const input = await this.pickCommand('Preferences: Color Theme');
    // The list arrives after the input; typing before it would be overwritten.
    await this.page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: this.timeoutMs });
    await input.fill(label);
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first().click({ timeout: this.timeoutMs });
    await input.waitFor({ state: 'hidden', timeout: this.timeoutMs });
  }

  /** Shows the Problems panel and returns the locator of its rows that mention `text`. */
  async problems(text: string): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await panel.waitFor({ timeout: this.timeoutMs });
    return this.page.locator('.markers-panel .monaco-list-row', { hasText: text });
  }

  /** The document inside a webview: code-server nests the page in an outer frame and an inner `active-frame`. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  /**
   * Saves a screenshot under e2e/screenshots/. One that illustrates the guide is also copied to docs/images/, but
   * only when DEADBOLT_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the tracked images untouched.
   */
  async screenshot(name: string, options: { forGuide?: boolean; clip?: Locator } = {}): Promise<string> {
    mkdirSync(screenshotsDir, { recursive: true });
    const file = join(screenshotsDir, `${name}.png`);
    if (options.clip) await options.clip.screenshot({ path: file });
    else await this.page.screenshot({ path: file });
    if (options.forGuide && process.env.DEADBOLT_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(guideImagesDir, { recursive: true });
      copyFileSync(file, join(guideImagesDir, `${name}.png`));
    }
    return file;
  }
}
