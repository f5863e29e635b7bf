import { chromium } from 'playwright-core';
import * as fs from 'node:fs';
import { startCodeServer, seedUserData } from '../../scripts/e2e/codeServerInstance.js';
import { Workbench } from './support/workbench.js';
async function main() {
  const base = fs.mkdtempSync('/tmp/f-smoke/run-');
  const ud = base + '/ud', ex = base + '/ex', ws = base + '/ws';
  fs.mkdirSync(ws + '/sub', { recursive: true }); fs.writeFileSync(ws + '/hello.txt', 'hi');
  fs.mkdirSync(base + '/target', { recursive: true });
  seedUserData(ud);
  const cs = await startCodeServer({ userDataDir: ud, extensionsDir: ex, folder: ws, logFile: base + '/cs.log' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(20000);
  await page.goto(cs.url);
  const wb = new Workbench(page);
  await wb.waitForReady();
  await wb.runCommand('File: Open Folder...').catch(async (e) => { console.log('runCommand failed', e.message, await wb.quickPickLabels().catch(()=>[])); throw e; });
  const qi = await wb.waitForQuickInput();
  await page.screenshot({ path: '/tmp/f-smoke/dialog1.png' });
  console.log('input value', await qi.locator('.quick-input-box input').inputValue());
  console.log(await qi.locator('.quick-input-action').allInnerTexts(), await qi.locator('.monaco-button').allInnerTexts());
  await qi.locator('.quick-input-box input').fill(base + '/target/');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: '/tmp/f-smoke/dialog2.png' });
  console.log('labels', await qi.locator('.quick-input-list .monaco-list-row .label-name').allTextContents());
  await browser.close(); await cs.stop();
}
main().catch(e => { console.error(e); process.exit(1); });
