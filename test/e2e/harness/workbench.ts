// Page-object helpers for VS Code's workbench as rendered by code-server (1.100). They wait for DOM state instead of
// sleeping, drive the UI with the keyboard the way a user would (F1 palette, Ctrl+P, Ctrl+G), and read back what a
// user sees (row texts, widget texts) so scenarios can assert on it.
import type { Frame, Locator, Page } from 'playwright-core';

export const SHORT = 10_000;
export const LONG = 30_000;

const norm = (s: string): string => s.replace(/\u00a0/g, ' ');

// Plain JavaScript on purpose: tsx compiles functions passed to page.evaluate with helpers (`__name`) that do not
// exist in the page, so scripts with inner named functions are passed as source text.
const RECORD_NOTIFICATIONS_SCRIPT = `(() => {
  if (window.__e2eNotifications) return;
  const seen = [];
  window.__e2eNotifications = seen;
  const scan = () => {
    for (const t of document.querySelectorAll('.notifications-toasts .notification-toast-container')) {
      const text = (t.querySelector('.notification-list-item-message')?.textContent ?? '').trim();
      const progress = !!t.querySelector('.monaco-progress-container.active');
      if (text && !seen.some((s) => s.text === text && s.progress === progress)) seen.push({ text, progress });
    }
  };
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });
  scan();
})()`;

export class Workbench {
  constructor(readonly page: Page) {}

  /** The workbench shell is up and the explorer shows the workspace folder. */
  async waitReady(timeout = 90_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
    await this.page.locator('.part.statusbar').waitFor({ state: 'visible', timeout });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
  }

  // ---------------------------------------------------------------- quick input (palette, quick open, pickers)

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private async openQuickInput(key: string): Promise<void> {
    await this.page.keyboard.press(key);
    await this.quickInput.waitFor({ state: 'visible', timeout: SHORT });
  }

  /** Rows currently listed by the quick input, as their visible labels. */
  async quickPickLabels(): Promise<string[]> {
    const rows = this.quickInput.locator('.quick-input-list .monaco-list-row');
    return (await rows.allInnerTexts()).map(norm);
  }

  /** Selects the quick-pick row whose text contains `text` (waits until it is listed). */
  async pickQuickItem(text: string, timeout = SHORT): Promise<void> {
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout });
    await row.click();
    await this.parkMouse();
    await this.quickInput.waitFor({ state: 'hidden', timeout: SHORT }).catch(() => undefined);
  }

  /** Runs a command from the Command Palette (F1) by its title, e.g. "ComfyUI: Queue Workflow". */
  async runCommand(title: string, timeout = SHORT): Promise<void> {
    await this.openQuickInput('F1');
    await this.page.keyboard.type(title);
    const rows = this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: title });
    await rows.first().waitFor({ state: 'visible', timeout });
    // "ComfyUI: Queue Workflow" is also a prefix of "ComfyUI: Queue Workflow (Front)": prefer the exact label.
    const labels = (await rows.locator('.label-name').allInnerTexts()).map(norm);
    const exact = labels.findIndex((l) => l.trim() === title);
    await rows.nth(Math.max(0, exact)).click();
    await this.parkMouse();
  }

  // ---------------------------------------------------------------- editors

  /**
   * Opens a workspace file through Quick Open (Ctrl+P) and waits until its tab is active. Only the base name is typed
   * (queries with a path separator are matched differently); the folder picks the row among equal names.
   */
  async openFile(relPath: string): Promise<void> {
    const parts = relPath.split('/');
    const name = parts.pop() ?? relPath;
    const folder = parts.join('/');
    await this.openQuickInput('Control+P');
    await this.page.keyboard.type(name);
    let row = this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: name });
    if (folder) row = row.filter({ hasText: folder });
    // The first file search of a session spawns ripgrep and can take a few seconds on a busy machine.
    await row.first().waitFor({ state: 'visible', timeout: LONG });
    await row.first().click();
    await this.parkMouse();
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: SHORT });
    await this.activeEditor.locator('.view-lines').waitFor({ state: 'visible', timeout: SHORT });
  }

  get activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Gives the active editor keyboard focus: a click on its tab (the text area could be under a code lens or hover). */
  async focusEditor(): Promise<void> {
    await this.page.locator('.editor-group-container.active .tabs-container .tab.active').first().click();
    await this.parkMouse();
  }

  /** Moves the pointer to an empty spot so no tooltip or hover covers what a screenshot should show. */
  async parkMouse(): Promise<void> {
    const size = this.page.viewportSize() ?? { width: 1440, height: 900 };
    await this.page.mouse.move(Math.round(size.width * 0.1), Math.round(size.height * 0.75));
  }

  /** Moves the cursor with Go to Line (Ctrl+G), 1-based like the status bar. */
  async gotoPosition(line: number, column: number): Promise<void> {
    await this.focusEditor();
    await this.openQuickInput('Control+G');
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: SHORT });
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: SHORT });
  }

  /** Places the cursor right after the first occurrence of `needle` in the editor text (`offset` shifts it). */
  async gotoText(needle: string, offset = needle.length): Promise<void> {
    const lines = (await this.editorText()).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const col = lines[i]!.indexOf(needle);
      if (col >= 0) return this.gotoPosition(i + 1, col + 1 + offset);
    }
    throw new Error(`"${needle}" is not in the active editor`);
  }

  /** Text of the active editor as rendered (fine for the small sample files, which fit on screen). */
  async editorText(): Promise<string> {
    const lines = this.activeEditor.locator('.view-lines .view-line');
    const items = await lines.evaluateAll((els) =>
      // The line elements are absolutely positioned; their order in the DOM is not their order on screen.
      els.map((el) => ({ top: parseFloat((el as unknown as { style: { top: string } }).style.top || '0'), text: el.textContent ?? '' })),
    );
    return items
      .sort((a, b) => a.top - b.top)
      .map((l) => norm(l.text))
      .join('\n');
  }

  /** Waits until the active editor's text matches `re` (edits land asynchronously), returning the text. */
  async waitForEditorText(re: RegExp, timeout = SHORT): Promise<string> {
    const deadline = Date.now() + timeout;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.editorText();
      if (re.test(text)) return text;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`editor text never matched ${re}:\n${text}`);
  }

  // ---------------------------------------------------------------- suggest, hover, code actions

  get suggestWidget(): Locator {
    return this.page.locator('.editor-widget.suggest-widget');
  }

  async triggerSuggest(): Promise<string[]> {
    await this.page.keyboard.press('Control+Space');
    const rows = this.suggestWidget.locator('.monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: SHORT });
    return (await this.suggestWidget.locator('.monaco-list-row .label-name').allInnerTexts()).map(norm);
  }

  /** Accepts the suggestion whose label is `label`: moves the selection there with the arrow keys, then Enter. */
  async acceptSuggestion(label: string): Promise<void> {
    const labels = (await this.suggestWidget.locator('.monaco-list-row .label-name').allInnerTexts()).map(norm);
    let index = labels.findIndex((l) => l === label);
    if (index < 0) index = labels.findIndex((l) => l.includes(label));
    if (index < 0) throw new Error(`"${label}" is not among the suggestions: ${labels.join(', ')}`);
    // Rows are virtualised: walk the focus down rather than clicking, which also works when the row is off screen.
    const focused = this.suggestWidget.locator('.monaco-list-row.focused .label-name');
    for (let guard = 0; guard < 200; guard++) {
      if (norm(await focused.innerText()) === labels[index]) break;
      await this.page.keyboard.press('ArrowDown');
    }
    await this.page.keyboard.press('Enter');
    await this.suggestWidget.waitFor({ state: 'hidden', timeout: SHORT }).catch(() => undefined);
  }

  /** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text. */
  async hoverAtCursor(): Promise<string> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-resizable-hover .monaco-hover-content').first();
    await hover.waitFor({ state: 'visible', timeout: SHORT });
    // Hovers render asynchronously ("Loading..." first): wait for real content.
    await this.page.waitForFunction((el) => !!el && !/^\s*Loading\.\.\.\s*$/.test(el.textContent ?? ''), await hover.elementHandle(), { timeout: SHORT });
    return norm(await hover.innerText());
  }

  /** Opens the quick-fix menu (Ctrl+.) and returns the listed actions. */
  async quickFixes(): Promise<string[]> {
    await this.page.keyboard.press('Control+.');
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor({ state: 'visible', timeout: SHORT });
    return (await rows.allInnerTexts()).map(norm);
  }

  /**
   * Applies the quick fix whose text contains `text`, with the keyboard: the action widget puts a pointer-blocking
   * layer over the page, so clicks are unreliable.
   */
  async applyQuickFix(text: string): Promise<void> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    const row = rows.filter({ hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: SHORT });
    const count = await rows.count();
    for (let i = 0; i <= count; i++) {
      if ((await row.getAttribute('class'))?.split(/\s+/).includes('focused')) break;
      await this.page.keyboard.press('ArrowDown');
    }
    await this.page.keyboard.press('Enter');
    await this.page
      .locator('.action-widget')
      .waitFor({ state: 'hidden', timeout: SHORT })
      .catch(() => undefined);
  }

  /** Closes whatever transient UI is open (menus, widgets, quick input), so the next step starts from a clean state. */
  async dismissAll(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
  }

  // ---------------------------------------------------------------- panels, notifications, status bar

  /**
   * Opens the Problems panel and returns one string per problem row, as shown: message, source(code) and [Ln, Col].
   * File rows (the resource headers) are left out.
   */
  async problems(): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.runCommand('Problems: Focus on Problems View');
    await panel.waitFor({ state: 'visible', timeout: SHORT });
    const rows = panel.locator('.monaco-list-row').filter({ has: this.page.locator('.marker-message-details, .marker-icon') });
    return (await rows.allInnerTexts()).map((t) =>
      norm(t)
        .replace(/\s*\n\s*/g, ' ')
        .trim(),
    );
  }

  /** Waits until `predicate` holds for the problem rows, returning them. */
  async waitForProblems(predicate: (rows: string[]) => boolean, timeout = LONG): Promise<string[]> {
    const deadline = Date.now() + timeout;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = await this.problems();
      if (predicate(rows)) return rows;
      await this.page.waitForTimeout(300);
    }
    throw new Error(`Problems panel never matched; last rows:\n${rows.join('\n') || '(none)'}`);
  }

  /**
   * Starts recording every notification toast that appears, with whether its progress bar was running. A run against
   * the mock can finish in well under a second, so polling could miss a progress notification; an observer cannot.
   */
  async recordNotifications(): Promise<void> {
    await this.page.evaluate(RECORD_NOTIFICATIONS_SCRIPT);
  }

  /** Notifications seen since recordNotifications(). */
  async recordedNotifications(): Promise<Array<{ text: string; progress: boolean }>> {
    return this.page.evaluate(() => (globalThis as unknown as { __e2eNotifications?: Array<{ text: string; progress: boolean }> }).__e2eNotifications ?? []);
  }

  /** Waits until a recorded notification satisfies `predicate`. */
  async waitForNotification(predicate: (n: { text: string; progress: boolean }) => boolean, timeout = LONG): Promise<{ text: string; progress: boolean }> {
    const deadline = Date.now() + timeout;
    let seen: Array<{ text: string; progress: boolean }> = [];
    while (Date.now() < deadline) {
      seen = await this.recordedNotifications();
      const hit = seen.find(predicate);
      if (hit) return hit;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`no matching notification; seen: ${JSON.stringify(seen)}`);
  }

  statusItem(text: string | RegExp): Locator {
    return this.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  }

  /** Reads an output channel by selecting it in the Output panel. */
  async outputChannelText(channel: string): Promise<string> {
    // The picker lists the channels that exist when it opens; an extension still activating creates its channel a
    // moment later, so reopen the picker until the channel is listed.
    const deadline = Date.now() + LONG;
    for (;;) {
      await this.runCommand('Output: Show Output Channels...');
      const picked = await this.pickQuickItem(channel, 3_000).then(
        () => true,
        (e: unknown) => e,
      );
      if (picked === true) break;
      await this.page.keyboard.press('Escape');
      if (Date.now() > deadline) throw picked;
      await this.page.waitForTimeout(500);
    }
    const editor = this.page.locator('.part.panel .output-view .monaco-editor .view-lines');
    await editor.waitFor({ state: 'visible', timeout: SHORT });
    // Only the lines on screen are rendered and the channel follows its tail: go to the top to read the start.
    await editor.click();
    await this.page.keyboard.press('Control+Home');
    await this.parkMouse();
    const lines = editor.locator('.view-line');
    const items = await lines.evaluateAll((els) =>
      els.map((el) => ({ top: parseFloat((el as unknown as { style: { top: string } }).style.top || '0'), text: el.textContent ?? '' })),
    );
    return items
      .sort((a, b) => a.top - b.top)
      .map((l) => norm(l.text))
      .join('\n');
  }

  // ---------------------------------------------------------------- side bar views

  /** Opens a view container from the activity bar by its title (e.g. "ComfyUI"). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout: LONG });
    const expanded = await item
      .locator('xpath=..')
      .getAttribute('aria-expanded')
      .catch(() => null);
    if (expanded !== 'true' && !(await this.page.locator(`.part.sidebar .composite.title`, { hasText: title }).isVisible())) {
      await item.click();
      await this.parkMouse();
    }
    await this.page.locator('.part.sidebar .composite.title', { hasText: new RegExp(title, 'i') }).waitFor({ timeout: SHORT });
  }

  /** The tree rows of the side bar's view pane titled `paneTitle`. */
  treeRows(paneTitle: string | RegExp): Locator {
    const pane = this.page.locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: paneTitle }) });
    return pane.locator('.monaco-list-row');
  }

  treeRow(paneTitle: string | RegExp, text: string | RegExp): Locator {
    return this.treeRows(paneTitle).filter({ hasText: text }).first();
  }

  async treeTexts(paneTitle: string | RegExp): Promise<string[]> {
    return (await this.treeRows(paneTitle).allInnerTexts()).map((t) =>
      norm(t)
        .replace(/\s*\n\s*/g, ' ')
        .trim(),
    );
  }

  /** Expands a collapsed tree row (no-op when already expanded). */
  async expand(row: Locator): Promise<void> {
    await row.waitFor({ state: 'visible', timeout: LONG });
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
    }
  }

  /** Right-clicks `row` and runs the context-menu entry `label` (VS Code draws its own menus in the browser). */
  async contextMenu(row: Locator, label: string | RegExp): Promise<void> {
    await row.click({ button: 'right' });
    const item = this.page.locator('.context-view .monaco-menu .action-item', { hasText: label }).first();
    await item.waitFor({ state: 'visible', timeout: SHORT });
    await item.click();
    await this.parkMouse();
  }

  // ---------------------------------------------------------------- webviews

  /**
   * The frame holding a webview's own HTML that contains `selector`. A webview is an <iframe class="webview"> whose
   * document hosts another iframe (#active-frame, loaded from fake.html) with the extension's content.
   */
  async webviewFrame(selector = 'body *', timeout = LONG): Promise<Frame> {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame.name() !== 'active-frame' && !frame.url().includes('fake.html')) continue;
        const found = await frame
          .locator(selector)
          .count()
          .catch(() => 0);
        if (found > 0) return frame;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no webview shows ${selector}`);
  }
}
