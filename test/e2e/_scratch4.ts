import { chromium } from 'playwright-core';
import * as fs from 'node:fs';
import { startCodeServer, seedUserData, installVsix } from '../../scripts/e2e/codeServerInstance.js';
import { Workbench, waitUntil } from './support/workbench.js';
const hb = () => fs.readdirSync('/tmp/f-smoke').filter(n => n.startsWith('heartbeat-'));
async function main() {
  for (const f of hb()) fs.rmSync('/tmp/f-smoke/' + f);
  const base = fs.mkdtempSync('/tmp/f-smoke/run-');
  const ud = base + '/ud', ex = base + '/ex', ws = base + '/ws';
  fs.mkdirSync(ws, { recursive: true }); fs.writeFileSync(ws + '/hello.txt', 'hi');
  seedUserData(ud);
  installVsix(process.argv[2], { userDataDir: ud, extensionsDir: ex });
  const cs = await startCodeServer({ userDataDir: ud, extensionsDir: ex, folder: ws, logFile: base + '/cs.log' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(cs.url);
  const wb = new Workbench(page);
  await wb.waitForReady();
  await waitUntil(() => hb().length === 1, 'first host');
  const first = hb()[0]; const pid = Number(first.split('-')[1]);
  console.log('first host', first);
  const t0 = Date.now();
  await page.reload();
  await wb.waitForReady();
  await waitUntil(() => hb().length === 2, 'second host');
  console.log('second host after', Date.now() - t0, hb());
  let alive = true; try { process.kill(pid, 0); } catch { alive = false; }
  console.log('old pid alive?', alive, 'old heartbeat age', Date.now() - Number(fs.readFileSync('/tmp/f-smoke/' + first, 'utf8')));
  await new Promise(r => setTimeout(r, 3000));
  try { process.kill(pid, 0); alive = true } catch { alive = false; }
  console.log('after 3s old pid alive?', alive, 'heartbeat age', Date.now() - Number(fs.readFileSync('/tmp/f-smoke/' + first, 'utf8')));
  await browser.close(); await cs.stop();
}
main().catch(e => { console.error(e); process.exit(1); });
