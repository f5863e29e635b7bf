// Runs code-server (real VS Code 1.100 in the browser) with an isolated user-data and extensions folder,
// used by `npm start` and by the e2e harness.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerBin, codeServerConfig, codeServerDataHome } from './projectPaths.js';

const codeServerEnv = { XDG_DATA_HOME: codeServerDataHome };

/** Keeps the trust dialog, welcome page, tips, telemetry and update checks out of the way. */
export const seededSettings: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'files.simpleDialog.enable': true,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'workbench.layoutControl.enabled': false,
};

export function seedUserData(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  const file = path.join(userDir, 'settings.json');
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // first run, or a file the user broke: start from our defaults
  }
  fs.writeFileSync(file, JSON.stringify({ ...current, ...seededSettings, ...extra }, null, 2));
}

function codeServerArgs(dirs: { userDataDir: string; extensionsDir: string }): string[] {
  return [codeServerBin, '--config', codeServerConfig, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
}

/** Installs (or reinstalls) the packaged extension into the isolated extensions folder. */
export function installVsix(vsix: string, dirs: { userDataDir: string; extensionsDir: string }): void {
  if (!fs.existsSync(vsix)) throw new Error(`the extension package ${vsix} does not exist; run \`npm run package\``);
  const r = spawnSync(process.execPath, [...codeServerArgs(dirs), '--force', '--install-extension', vsix], {
    encoding: 'utf8', env: { ...process.env, ...codeServerEnv },
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}): ${out.trim().slice(-2000)}`);
  }
}

export interface CodeServerOptions {
  userDataDir: string;
  extensionsDir: string;
  folder: string;                 // opened as the workspace
  port?: number;                  // 0 = any free port
  env?: Record<string, string>;   // e.g. OSS_* for the environment profile; the extension host inherits them
  logFile?: string;               // code-server's own stdout/stderr
}

export interface CodeServerHandle {
  url: string;                    // the workbench URL with the folder opened
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServerHandle> {
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  const args = [
    ...codeServerArgs(opts),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${opts.port ?? 0}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened',
    opts.folder,
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...codeServerEnv, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() also ends the extension host and other children
  });
  const log = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  let output = ''; // the tail, for error messages; the whole log goes to logFile
  const onData = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
    log?.write(b);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  // code-server has its own process group; if this process ends without stop() (a crash, process.exit),
  // take the group down with it rather than leave a server and its extension host running.
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  child.once('exit', () => process.off('exit', killGroup));

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output.slice(-2000)}`)), 60_000);
      const check = () => {
        const m = /HTTP server listening on https?:\/\/[^:\s]+:(\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (code ${code}, signal ${signal}):\n${output.slice(-2000)}`));
      });
    });
  } catch (err) {
    killGroup();
    log?.end();
    throw err;
  }

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, 5000);
    await exited;
    clearTimeout(timer);
    log?.end();
  };
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.folder)}`;
  return { url, port, process: child, stop };
}
