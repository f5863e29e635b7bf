// Page helpers that drive the VS Code workbench (code-server 4.100 = VS Code 1.100) the way a person does:
// activity bar, view panes, tree rows, context menus, quick picks, notifications, the simple file dialog.
// Every wait is on the DOM; no fixed sleeps.
import type { Locator, Page } from 'playwright-core';

const LONG = 60_000;

/** Polls `check` (a DOM or server condition) until it holds; the failure names what was awaited. */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = LONG, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function exact(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

export class Workbench {
  constructor(readonly page: Page) {}

  async waitForReady(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: LONG });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: LONG });
    // The side bar is restored last (Explorer or whichever container was open before a reload).
    await this.page.locator('.monaco-workbench .part.sidebar .pane-header, .monaco-workbench .part.sidebar .composite.title').first().waitFor({ timeout: LONG });
  }

  /**
   * The whole activity-bar entry, not its inner label: a badge (e.g. "1 waiting for you" after a
   * reload restored a transfer) covers the label and would take the click; it is inside the entry.
   */
  activityItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item:has(> .action-label[aria-label^="${title}"])`).first();
  }

  /** True when the side bar is open and shows the container titled `title`. */
  async containerShowing(title: string): Promise<boolean> {
    const label = this.page.locator('.part.sidebar .composite.title .title-label h2').first();
    if (!(await this.page.locator('.part.sidebar').isVisible()) || !(await label.isVisible())) return false;
    return ((await label.textContent()) ?? '').trim().toLowerCase() === title.toLowerCase();
  }

  /**
   * Shows a view container from the activity bar. Clicking the icon of the container already showing
   * closes the side bar, so look first and click only when needed (again if a click toggled it shut).
   */
  async openContainer(title: string): Promise<void> {
    const item = this.activityItem(title);
    await item.waitFor({ timeout: LONG });
    for (let attempt = 0; ; attempt++) {
      if (await this.containerShowing(title)) return;
      if (attempt === 3) throw new Error(`the side bar does not show ${title} after ${attempt} clicks on its icon`);
      await item.click();
      try {
        await waitUntil(() => this.containerShowing(title), `the side bar to show ${title}`, 10_000);
        return;
      } catch {
        // the click hit a container that was just being restored and closed it: look again
      }
    }
  }

  /** Drags the side bar's edge so it is `width` pixels wide (wider rows keep descriptions readable). */
  async resizeSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('the side bar is not showing');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 8 });
    await this.page.mouse.up();
    await waitUntil(async () => Math.abs(((await this.page.locator('.part.sidebar').boundingBox())?.width ?? 0) - width) < 12,
      `the side bar to be ${width}px wide`, 10_000);
  }

  /** A view pane by its title (e.g. "Buckets"), inside the visible side bar. */
  pane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator('.pane-header .title', { hasText: exact(title) }) });
  }

  async expandPane(title: string): Promise<Locator> {
    const pane = this.pane(title);
    const header = pane.locator('.pane-header').first();
    await header.waitFor({ timeout: LONG });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane;
  }

  async collapsePane(title: string): Promise<void> {
    const header = this.pane(title).locator('.pane-header').first();
    if ((await header.count()) === 0) return;
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  }

  /** A tree row in a pane whose label is exactly `label`. */
  row(pane: Locator, label: string): Locator {
    return pane.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact(label) }) }).first();
  }

  /**
   * Clicks a view's title-bar action (e.g. "Apply Sync") by its title. The pane header shows its
   * actions on hover, so hover first and try again until the click lands.
   */
  async paneAction(pane: Locator, title: string): Promise<void> {
    const header = pane.locator('.pane-header').first();
    const action = header.locator(`.actions .action-label[aria-label="${title}"], .actions .action-label[title="${title}"]`).first();
    let lastError: unknown;
    try {
      await waitUntil(async () => {
        try {
          await header.hover({ timeout: 5_000 });
          await action.click({ timeout: 3_000 });
          return true;
        } catch (err) {
          lastError = err;
          return false;
        }
      }, `the "${title}" button of the view to take a click`, LONG, 200);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last attempt: ${String(lastError).split('\n')[0]}`);
    }
  }

  /** A status-bar entry whose text is `text` (its icon aside), e.g. "Sync site". */
  statusBarItem(text: string): Locator {
    return this.page.locator('.part.statusbar .statusbar-item').filter({ has: this.page.locator('.statusbar-item-label', { hasText: exact(text) }) }).first();
  }

  async rowDescription(row: Locator): Promise<string> {
    return ((await row.locator('.label-description').first().textContent()) ?? '').trim();
  }

  async expandRow(row: Locator): Promise<void> {
    await row.waitFor({ timeout: LONG });
    if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.locator('.monaco-tl-twistie').click();
      await waitUntil(async () => (await row.getAttribute('aria-expanded')) === 'true', 'the tree row to expand');
    }
  }

  /** Right-clicks `target` and picks a context-menu entry by its title. */
  async contextMenu(target: Locator, entry: string): Promise<void> {
    await target.click({ button: 'right' });
    const item = this.page.getByRole('menuitem', { name: exact(entry) });
    try {
      await item.first().waitFor({ timeout: LONG });
    } catch (err) {
      const offered = (await this.page.getByRole('menuitem').allInnerTexts()).map((t) => t.split('\n')[0]).filter(Boolean);
      await this.page.keyboard.press('Escape');
      throw new Error(`context menu has no "${entry}"; it offers ${JSON.stringify(offered)} (${(err as Error).message.split('\n')[0]})`);
    }
    // VS Code's menu ignores a mouse-up that comes right after it opened (it guards against the
    // right-click's own release), so a quick click can be lost: choose the entry by keyboard instead.
    await item.first().hover();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: LONG });
  }

  /**
   * Clicks an inline action (icon button) of a tree row, e.g. "Resume". The buttons show on hover or
   * selection, and a view that redraws (progress) can swap the row under the mouse, so select the row
   * and try again until the click lands.
   */
  async inlineAction(row: Locator, title: string): Promise<void> {
    await row.waitFor({ timeout: LONG });
    const action = row.locator(`.actions .action-label[aria-label="${title}"], .actions .action-label[title="${title}"]`).first();
    await clickUntilTaken(`the "${title}" button of the row`, async () => {
      if ((await row.getAttribute('aria-selected')) !== 'true') await row.click({ timeout: 5_000 });
      await row.hover({ timeout: 5_000 });
      await action.click({ timeout: 3_000 });
    });
  }

  /**
   * Clicks an action (icon button) in a view's title bar, e.g. "Pause All" on Transfers. VS Code
   * shows them while the mouse is over the view, so hover the header and try until the click lands.
   */
  async viewTitleAction(paneTitle: string, title: string): Promise<void> {
    const header = (await this.expandPane(paneTitle)).locator('.pane-header').first();
    const action = header.locator(`.actions .action-label[aria-label="${title}"], .actions .action-label[title="${title}"]`).first();
    await clickUntilTaken(`the "${title}" button of the ${paneTitle} view`, async () => {
      await header.hover({ timeout: 5_000 });
      await action.click({ timeout: 3_000 });
    });
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  async waitForQuickInput(): Promise<Locator> {
    const qi = this.quickInput();
    await qi.waitFor({ state: 'visible', timeout: LONG });
    return qi;
  }

  /** Waits until the open quick input's title is `title` (exactly) or matches it. */
  async waitForQuickInputTitle(title: string | RegExp): Promise<void> {
    const qi = await this.waitForQuickInput();
    const el = qi.locator('.quick-input-title');
    const ok = (t: string) => (typeof title === 'string' ? t.trim() === title : title.test(t.trim()));
    await waitUntil(async () => (await qi.isVisible()) && ok((await el.textContent()) ?? ''), `a quick input titled ${String(title)}`);
  }

  /** Picks the quick-pick entry whose label is `label` (typing filters; clicking picks). */
  async pick(label: string, opts: { placeholder?: RegExp } = {}): Promise<void> {
    const qi = await this.waitForQuickInput();
    if (opts.placeholder) {
      await qi.locator(`.quick-input-box input`).and(this.page.locator(':visible')).waitFor();
      const ph = (await qi.locator('.quick-input-box input').getAttribute('placeholder')) ?? '';
      if (!opts.placeholder.test(ph)) throw new Error(`quick pick placeholder "${ph}" does not match ${opts.placeholder}`);
    }
    const rowLocator = qi.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact(label) }) }).first();
    await rowLocator.waitFor({ timeout: LONG });
    await rowLocator.click();
  }

  /** All labels currently offered by the quick pick (for readable assertion messages). */
  async quickPickLabels(): Promise<string[]> {
    const qi = await this.waitForQuickInput();
    await qi.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: LONG });
    return (await qi.locator('.quick-input-list .monaco-list-row .label-name').allTextContents()).map((s) => s.trim());
  }

  /** Types into the open quick input / input box and accepts with Enter. */
  async typeAndAccept(text: string): Promise<void> {
    const qi = await this.waitForQuickInput();
    const input = qi.locator('.quick-input-box input');
    await input.fill(text);
    await input.press('Enter');
  }

  /** Runs a command from the command palette by its title ("OSS: Refresh All"). */
  async runCommand(title: string): Promise<void> {
    const qi = this.quickInput();
    const input = qi.locator('.quick-input-box input');
    // The palette can close again as it opens when a view just opened takes the focus (seen once in
    // CI right after a walkthrough button opened the Buckets view): open it again, a few times.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await qi.waitFor({ state: 'visible', timeout: attempt < 3 ? 10_000 : LONG });
        await input.fill(`>${title}`, { timeout: attempt < 3 ? 5_000 : LONG });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        await this.page.keyboard.press('Escape');
      }
    }
    const rowLocator = qi.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact(title) }) }).first();
    await rowLocator.waitFor({ timeout: LONG });
    await rowLocator.click();
  }

  /** Notification toasts whose message matches, once their fade-in has finished (so screenshots show them). */
  notification(message: RegExp | string): Locator {
    return this.page.locator('.notifications-toasts .notification-toast-container').filter({
      has: this.page.locator('.notification-toast.notification-fade-in-done .notification-list-item-message', { hasText: message }),
    });
  }

  notificationButton(toast: Locator, label: string): Locator {
    return toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: exact(label) }).first();
  }

  /** The messages of all visible notification toasts. */
  async notificationMessages(): Promise<string[]> {
    return (await this.page.locator('.notifications-toasts .notification-list-item-message').allTextContents()).map((s) => s.trim());
  }

  /**
   * Answers VS Code's simple file dialog (files.simpleDialog.enable) with a folder path: the path box is a
   * quick input holding a path; we type the folder (trailing slash) and press the dialog's accept button.
   */
  async chooseFolderInSimpleDialog(folder: string): Promise<void> {
    const qi = await this.waitForQuickInput();
    const input = qi.locator('.quick-input-box input');
    const target = folder.endsWith('/') ? folder : `${folder}/`;
    // The dialog writes its starting folder into the box right after it opens; typing before that gets
    // our path appended to it. So wait for the starting value, then type until the box holds our path.
    await waitUntil(async () => (await input.inputValue()).length > 0, 'the file dialog to show its starting folder');
    await waitUntil(async () => {
      if ((await input.inputValue()) === target) return true;
      await input.fill(target);
      return false;
    }, `the file dialog to show ${target}`, LONG, 250);
    // Inside the folder the list shows at least '..'; then the dialog's accept button (OK, or the
    // extension's openLabel) takes the folder.
    await qi.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: LONG });
    await qi.locator('.quick-input-action .monaco-button').filter({ hasText: /\S/ }).first().click();
  }
}

/**
 * Tries `attempt` (hover, then click) until it goes through: VS Code shows a row's or a view's
 * actions only under the mouse, and a redraw can swallow a click. The last failure is reported.
 */
async function clickUntilTaken(what: string, attempt: () => Promise<void>): Promise<void> {
  let lastError: unknown;
  const tryClick = async () => {
    try {
      await attempt();
      return true;
    } catch (err) {
      lastError = err;
      return false;
    }
  };
  try {
    await waitUntil(tryClick, `${what} to take a click`, LONG, 200);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last attempt: ${String(lastError).split('\n')[0]}`);
  }
}
