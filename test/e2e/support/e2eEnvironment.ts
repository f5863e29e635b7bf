// One e2e environment: the local OSS server (test/server) with demo data, code-server with the packaged
// .vsix in isolated user-data/extensions folders, and Debian's Chromium driven by playwright-core.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startOssServer, type OssServer } from '../../server/index.js';
import { OssClient } from '../../../src/oss/index.js';
import { demoBuckets, seedDemoData } from '../../../scripts/demoData.js';
import { installVsix, seedUserData, startCodeServer, type CodeServerHandle } from '../../../scripts/e2e/codeServerInstance.js';
import { chromiumPath, vsixPath } from '../../../scripts/e2e/projectPaths.js';
import { Artifacts } from './artifacts.js';
import { useDisplayLanguage } from './displayLanguage.js';
import { Workbench } from './workbench.js';

export const e2eCredentials = { accessKeyId: 'LTAI-e2e-key', accessKeySecret: 'e2e-secret-value-0123456789' };
const MiB = 1024 * 1024;

export interface E2eOptions {
  suite: string;
  /** size of videos/big-demo.bin; the default keeps seeding fast while still many parts */
  largeSize?: number;
  /** files created in the opened workspace folder, relative path -> content */
  workspaceFiles?: Record<string, Buffer>;
  /** extra user settings (e.g. ossTransfer.partSizeMB) */
  settings?: Record<string, unknown>;
  /** where the OSS server listens (default 127.0.0.1, which never goes through a proxy) */
  serverHost?: string;
  /** false: code-server starts without the OSS_* variables, so there is no environment profile. Default true. */
  envProfile?: boolean;
  /**
   * Files for a home folder of code-server's own (HOME points there), relative path -> content,
   * made once the OSS server runs (e.g. a credentials file naming its endpoint).
   */
  homeFiles?: (server: OssServer) => Promise<Record<string, string>> | Record<string, string>;
  /** VS Code's display language, e.g. 'zh-cn' (a language pack and argv.json's `locale`, see support/displayLanguage.ts) */
  locale?: string;
}

export interface E2eEnvironment {
  server: OssServer;
  client: OssClient;          // the test's own client, for checks next to the UI
  page: Page;
  wb: Workbench;
  browser: Browser;
  codeServer: CodeServerHandle;
  root: string;
  workspace: string;
  /** code-server's HOME when `homeFiles` was given. */
  home?: string;
  userDataDir: string;
  artifacts: Artifacts;
  close(): Promise<void>;
}

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export async function startE2eEnvironment(opts: E2eOptions): Promise<E2eEnvironment> {
  if (!fs.existsSync(vsixPath)) throw new Error(`${vsixPath} is missing: run \`npm run package\` (npm run test:e2e does it)`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-e2e-'));
  const dataDir = path.join(root, 'oss-data');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const workspace = path.join(root, 'workspace');
  const codeServerLog = path.join(root, 'code-server.log');
  fs.mkdirSync(workspace, { recursive: true });
  for (const [rel, content] of Object.entries(opts.workspaceFiles ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), content);
  }

  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const close = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        process.stderr.write(`[e2e] cleanup failed: ${String(err)}\n`);
      }
    }
    if (!process.env.E2E_KEEP) fs.rmSync(root, { recursive: true, force: true });
  };

  try {
    const server = await startOssServer({ port: 0, host: opts.serverHost ?? '127.0.0.1', dataDir, credentials: [e2eCredentials], buckets: [...demoBuckets] });
    cleanups.push(() => server.close());
    const client = new OssClient({ endpoint: server.endpoint, ...e2eCredentials });
    cleanups.push(() => client.close());
    await seedDemoData(client, { largeSize: opts.largeSize ?? 64 * MiB });
    server.stats.reset();

    let home: string | undefined;
    if (opts.homeFiles) {
      home = path.join(root, 'home');
      for (const [rel, content] of Object.entries(await opts.homeFiles(server))) {
        fs.mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
        fs.writeFileSync(path.join(home, rel), content);
      }
    }
    seedUserData(userDataDir, opts.settings ?? {});
    if (opts.locale) useDisplayLanguage(opts.locale, { root, userDataDir, extensionsDir });
    installVsix(vsixPath, { userDataDir, extensionsDir });
    const codeServer = await startCodeServer({
      userDataDir, extensionsDir, folder: workspace, logFile: codeServerLog,
      env: {
        ...(opts.envProfile === false ? {} : { OSS_ACCESS_KEY_ID: e2eCredentials.accessKeyId, OSS_ACCESS_KEY_SECRET: e2eCredentials.accessKeySecret, OSS_ENDPOINT: server.endpoint }),
        ...(home ? { HOME: home } : {}),
      },
    });
    cleanups.push(() => codeServer.stop());

    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 60_000 });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
    const wb = new Workbench(page);
    await page.goto(codeServer.url);
    await wb.waitForReady();
    // The activity-bar icon comes from the installed .vsix's package.json: proof it was installed.
    await wb.activityItem('OSS Transfer').waitFor({ timeout: 60_000 });
    await wb.resizeSideBar(460);

    return {
      server, client, page, wb, browser, codeServer, root, workspace, userDataDir, ...(home ? { home } : {}),
      artifacts: new Artifacts(opts.suite, userDataDir, codeServerLog), close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Runs one e2e step: a screenshot afterwards; on failure a screenshot plus the extension's and
 * code-server's logs, then the error goes on (no retry hides it).
 */
export async function step(env: E2eEnvironment, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    try {
      const shot = await env.artifacts.screenshot(env.page, `${name}-FAILED`);
      const logs = env.artifacts.saveLogs(`${name}-FAILED`);
      process.stderr.write(`[e2e] ${name} failed; screenshot ${shot}; logs ${logs.join(', ')}\n`);
      // Close a menu or quick pick the failure left open, so the next test starts from a clean window.
      await env.page.keyboard.press('Escape');
      await env.page.keyboard.press('Escape');
    } catch (saveErr) {
      process.stderr.write(`[e2e] could not save failure artifacts: ${String(saveErr)}\n`);
    }
    throw err;
  }
  await env.artifacts.screenshot(env.page, name);
}
