// Screenshots for every e2e step and, when a step fails, the extension's log and code-server's log,
// all under test-results/e2e/ so CI keeps them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { e2eResultsDir } from '../../../scripts/e2e/projectPaths.js';

function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'step';
}

/** Every file below `dir` whose name matches, depth first. */
export function findFiles(dir: string, match: (name: string, full: string) => boolean): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(full, match));
    else if (match(e.name, full)) out.push(full);
  }
  return out;
}

/** The "OSS" LogOutputChannel's files (one per window/extension-host session) under the user-data dir. */
export function extensionLogFiles(userDataDir: string): string[] {
  return findFiles(path.join(userDataDir, 'logs'), (name) => /(^|[-\s])OSS\.log$/.test(name)).sort();
}

export function readExtensionLog(userDataDir: string): string {
  return extensionLogFiles(userDataDir).map((f) => `==> ${f} <==\n${fs.readFileSync(f, 'utf8')}`).join('\n');
}

export class Artifacts {
  readonly dir: string;

  constructor(suite: string, private readonly userDataDir: string, private readonly codeServerLog: string) {
    this.dir = path.join(e2eResultsDir, safeName(suite));
    fs.rmSync(this.dir, { recursive: true, force: true }); // no stale pictures or logs from an earlier run
    fs.mkdirSync(this.dir, { recursive: true });
  }

  async screenshot(page: Page, name: string): Promise<string> {
    const file = path.join(this.dir, `${safeName(name)}.png`);
    await page.screenshot({ path: file, timeout: 15_000 });
    return file;
  }

  /** Copies the extension's and code-server's logs beside the failure screenshot. */
  saveLogs(name: string): string[] {
    const saved: string[] = [];
    const base = safeName(name);
    const ext = readExtensionLog(this.userDataDir);
    const extFile = path.join(this.dir, `${base}.OSS.log`);
    fs.writeFileSync(extFile, ext || `(no OSS.log found under ${this.userDataDir}/logs)\n`);
    saved.push(extFile);
    for (const f of findFiles(path.join(this.userDataDir, 'logs'), (n) => /^(exthost|remoteexthost|remoteagent)\.log$/.test(n))) {
      const dest = path.join(this.dir, `${base}.${path.basename(path.dirname(f))}.${path.basename(f)}`);
      fs.copyFileSync(f, dest);
      saved.push(dest);
    }
    if (fs.existsSync(this.codeServerLog)) {
      const dest = path.join(this.dir, `${base}.code-server.log`);
      fs.copyFileSync(this.codeServerLog, dest);
      saved.push(dest);
    }
    return saved;
  }
}
