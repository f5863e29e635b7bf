// Driving a Markdown editor the way a person pastes and drops images, in real VS Code.
//
// Paste goes through the browser's real clipboard: the page (granted clipboard-read/-write) writes
// a PNG with navigator.clipboard.write, then Ctrl+V in the editor makes Chromium fire a genuine,
// trusted paste event whose clipboardData carries the image file, exactly as when a screenshot tool
// filled the clipboard. Chromium re-encodes an image on its way into the clipboard, so what VS Code
// receives is read back with navigator.clipboard.read() for the byte-identity check.
//
// Drop has no such door: Playwright cannot drag a file from outside the page, and a real drag from
// the OS needs a window manager. So a drop is a synthetic dragenter/dragover/drop sequence carrying
// a DataTransfer with a File of the exact bytes (Shift held, as VS Code wants for dropping into an
// editor); VS Code's drop controller reads it like any drop from the desktop.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { E2eEnvironment } from './e2eEnvironment.js';
import { waitUntil } from './workbench.js';

/** Opens a workspace file from the Explorer and waits until its editor has focus. */
export async function openFromExplorer(env: E2eEnvironment, name: string): Promise<Locator> {
  const { wb, page } = env;
  await wb.openContainer('Explorer');
  await wb.row(page.locator('.explorer-folders-view'), name).click();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  return editor;
}

/**
 * VS Code's Markdown extension is working on this document once the heading shows in the breadcrumbs
 * (the caret goes to the top, inside the heading's section).
 */
export async function waitForMarkdownSymbols(page: Page, editor: Locator, heading: string): Promise<void> {
  await editor.locator('.view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await page.locator('.breadcrumbs-control .monaco-icon-label .label-name', { hasText: new RegExp(`^\\s*#*\\s*${heading}\\s*$`) }).first().waitFor({ timeout: 60_000 });
}

/** Puts the caret at the end of the document in the focused editor. */
export async function caretToEnd(page: Page, editor: Locator): Promise<void> {
  await editor.locator('.view-lines').first().click();
  await page.keyboard.press('Control+End');
}

/** Lets the page use the system clipboard as a person's browser would after allowing it. */
export async function allowClipboard(env: E2eEnvironment): Promise<void> {
  await env.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.codeServer.url).origin });
}

// Passed as strings: the test runner's transpiler adds helpers to functions that the page lacks.
export async function putImageOnClipboard(page: Page, png: Buffer): Promise<void> {
  await page.evaluate(`(async () => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(png.toString('base64'))}), (c) => c.charCodeAt(0));
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
  })()`);
}

/** The image the clipboard holds now, as the paste event hands it over. */
export async function clipboardImage(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(`(async () => {
    const items = await navigator.clipboard.read();
    const blob = await items[0].getType('image/png');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  })()`);
  return Buffer.from(b64 as string, 'base64');
}

/**
 * Drops a file (from outside VS Code, Shift held) into the editor below its last line, where a drop
 * lands at the end of the document.
 */
export async function dropFileOnEditor(page: Page, editor: Locator, file: { name: string; type: string; bytes: Buffer }): Promise<void> {
  const box = await editor.boundingBox();
  if (!box) throw new Error('the editor is not showing');
  const x = Math.round(box.x + 200);
  const y = Math.round(box.y + box.height - 40);
  const accepted = await page.evaluate(`(async () => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(file.bytes.toString('base64'))}), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], ${JSON.stringify(file.name)}, { type: ${JSON.stringify(file.type)} }));
    const at = () => document.elementFromPoint(${x}, ${y});
    const fire = (type) => !at().dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt, clientX: ${x}, clientY: ${y}, shiftKey: true }));
    const entered = fire('dragenter');
    fire('dragover');
    await new Promise((r) => setTimeout(r, 200));
    const over = fire('dragover');
    return entered && over && fire('drop');
  })()`);
  if (!accepted) throw new Error('the editor did not take the drop (no handler called preventDefault)');
}

/**
 * Saves the editor and returns the file's text from disk, once the disk holds what the editor shows
 * (compared without whitespace: the editor wraps long lines).
 */
export async function saveAndRead(env: E2eEnvironment, name: string, editor: Locator): Promise<string> {
  const file = path.join(env.workspace, name);
  const squeeze = (t: string) => t.replace(/\s+/g, '');
  await env.page.keyboard.press('Control+S');
  let disk = '';
  await waitUntil(async () => squeeze((disk = fs.readFileSync(file, 'utf8'))) === squeeze(await editorText(editor)), `${name} to be saved`, 30_000, 200);
  return disk;
}

/** The text the editor shows (wrapped lines joined), for waiting on an edit before saving. */
export async function editorText(editor: Locator): Promise<string> {
  return (await editor.locator('.view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** How many Markdown images the text holds (works on the editor's wrapped lines too). */
export function imageCount(text: string): number {
  return text.replace(/\s+/g, '').split('![').length - 1;
}

/** The URLs of all `![…](url)` images in Markdown text. */
export function imageLinks(markdown: string): string[] {
  return [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}
