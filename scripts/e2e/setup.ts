// Idempotent set-up for `npm start` and the e2e tests: Debian packages, the ripgrep cache trick, and
// code-server installed into ./.cache/code-server. Each step says what it does, skips itself when already
// done, and on failure says what failed and how to do it by hand.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AptSetupError, ensureAptPackages as ensureApt, type AptHost } from './aptPackages.js';
import {
  aptLogFile, aptPackages, chromiumPath, codeServerBin, codeServerConfig, codeServerDataHome, codeServerDir, codeServerInstallLog, codeServerVersion,
  ripgrepCacheFolder, ripgrepTarballName,
} from './projectPaths.js';

export class SetupError extends Error {
  constructor(readonly step: string, message: string, readonly hint?: string) {
    super(`${step}: ${message}${hint ? `\n  next step: ${hint}` : ''}`);
  }
}

function say(msg: string): void {
  process.stdout.write(`[setup] ${msg}\n`);
}

/** Runs a command: quiet (output returned), shown, or with `logFile` its output appended there. */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean; logFile?: string } = {}) {
  let fd: number | undefined;
  if (opts.logFile) {
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    fd = fs.openSync(opts.logFile, 'a');
    fs.writeSync(fd, `\n=== ${new Date().toISOString()} ${[cmd, ...args].join(' ')}\n`);
  }
  try {
    const r = spawnSync(cmd, args, {
      cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8',
      stdio: fd !== undefined ? ['ignore', fd, fd] : opts.quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The last lines of a log, for a failure message. */
function logTail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l}`).join('\n');
  } catch {
    return '    (no log written)';
  }
}

export function ensureAptPackages(): void {
  const step = 'apt packages';
  if (process.platform !== 'linux') throw new SetupError(step, 'this set-up supports Debian Linux only');
  const host: AptHost = {
    logFile: aptLogFile,
    run: (cmd, args, o = {}) => run(cmd, args, { env: o.env, quiet: true, logFile: o.logFile }),
    say: (msg) => say(`${step}: ${msg}`),
    isRoot: () => typeof process.getuid !== 'function' || process.getuid() === 0,
  };
  try {
    ensureApt(host, aptPackages);
  } catch (err) {
    if (err instanceof AptSetupError) throw new SetupError(step, err.message, err.hint);
    throw err;
  }
}

/** The tarball path @vscode/ripgrep looks at before downloading; it uses os.tmpdir() (TMPDIR). */
export function ripgrepTarballPath(tmp = os.tmpdir()): string {
  return path.join(tmp, ripgrepCacheFolder, ripgrepTarballName);
}

export function ensureRipgrepCache(): string {
  const step = 'ripgrep cache';
  const target = ripgrepTarballPath();
  say(`${step}: code-server's ripgrep would download a binary at install time (offline here), so Debian's rg goes to ${target}`);
  if (fs.existsSync(target) && fs.statSync(target).size > 0) {
    const list = run('tar', ['-tzf', target], { quiet: true });
    if (list.status === 0 && list.stdout.split('\n').some((l) => l.replace(/^\.\//, '') === 'rg')) {
      say(`${step}: already in place`);
      return target;
    }
    say(`${step}: existing tarball is not usable, rebuilding it`);
  }
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new SetupError(step, `${rg} not found`, 'apt-get install --no-install-recommends ripgrep');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-stage-'));
  try {
    fs.copyFileSync(rg, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    const tmpTar = `${target}.partial`;
    const r = run('tar', ['-czf', tmpTar, '-C', staging, 'rg'], { quiet: true });
    if (r.status !== 0) throw new SetupError(step, `tar failed: ${r.stderr.trim()}`);
    fs.renameSync(tmpTar, target); // atomic, so a half-written tarball is never picked up
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  say(`${step}: written`);
  return target;
}

export function codeServerInstalled(): boolean {
  if (!fs.existsSync(codeServerBin)) return false;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(codeServerDir, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    // The postinstall fills lib/vscode/node_modules; without it code-server starts but the workbench fails.
    const vscodeModules = path.join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
    return pkg.version === codeServerVersion && fs.existsSync(vscodeModules) && fs.existsSync(path.join(codeServerDir, '.install-ok'));
  } catch {
    return false;
  }
}

export function ensureCodeServer(): void {
  const step = 'code-server';
  say(`${step}: want code-server@${codeServerVersion} (VS Code 1.100) in ${codeServerDir}`);
  if (codeServerInstalled()) {
    say(`${step}: already installed`);
    return;
  }
  fs.mkdirSync(codeServerDir, { recursive: true });
  fs.rmSync(path.join(codeServerDir, '.install-ok'), { force: true });
  // Its own package.json keeps this install out of the project's dependencies and lock file.
  fs.writeFileSync(path.join(codeServerDir, 'package.json'),
    JSON.stringify({ name: 'oss-transfer-code-server', private: true, description: 'code-server for npm start and e2e' }, null, 2));
  say(`${step}: npm install code-server@${codeServerVersion} (builds native modules; about 1-3 minutes; npm's output goes to ${codeServerInstallLog})`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: os.tmpdir(), // where the ripgrep cache was placed
    npm_config_yes: 'true',
    // npm 11 asks for dependency install scripts to be approved; code-server's postinstall (and the nested npm
    // install it runs in lib/vscode) must build native modules, so allow them for this pinned install only.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    // code-server's postinstall.sh refuses to run as root unless npm_config_unsafe_perm=true, a flag npm 9
    // removed (npm 11 warns "Unknown cli config --unsafe-perm"). The shell npm runs scripts with sets it
    // for the scripts alone, so npm itself is given no option it does not know.
    npm_config_script_shell: rootScriptShell(),
  };
  const r = run('npm', ['install', '--no-save', '--no-package-lock', `code-server@${codeServerVersion}`], { cwd: codeServerDir, env, logFile: codeServerInstallLog });
  if (r.status !== 0 || !fs.existsSync(codeServerBin)) {
    throw new SetupError(step, `npm install failed (exit ${r.status}); the end of ${codeServerInstallLog}:\n${logTail(codeServerInstallLog)}`,
      `the ripgrep tarball must exist at ${ripgrepTarballPath()} and the apt packages must be installed`);
  }
  const version = run(process.execPath, [codeServerBin, '--config', codeServerConfig, '--version'], {
    quiet: true, env: { ...process.env, XDG_DATA_HOME: codeServerDataHome },
  });
  if (version.status !== 0 || !version.stdout.includes(codeServerVersion)) {
    throw new SetupError(step, `installed but \`code-server --version\` failed: ${(version.stderr || version.stdout).trim().slice(0, 500)}`);
  }
  fs.writeFileSync(path.join(codeServerDir, '.install-ok'), `${version.stdout.trim()}\n`);
  say(`${step}: installed (${version.stdout.split('\n').find((l) => l.startsWith(codeServerVersion)) ?? codeServerVersion})`);
}

/**
 * The shell npm runs install scripts with: /bin/sh with npm_config_unsafe_perm=true, which is what
 * code-server's postinstall.sh checks for (as root) before it builds its native modules.
 */
function rootScriptShell(): string {
  const file = path.join(codeServerDir, 'script-shell.sh');
  const text = '#!/bin/sh\n# npm runs code-server\'s install scripts with this shell (see ensureCodeServer in scripts/e2e/setup.ts).\nnpm_config_unsafe_perm=true exec /bin/sh "$@"\n';
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text, { mode: 0o755 });
  return file;
}

export function ensureChromium(): void {
  const step = 'chromium';
  if (!fs.existsSync(chromiumPath)) {
    throw new SetupError(step, `${chromiumPath} not found`, 'apt-get install --no-install-recommends chromium, or set CHROMIUM_PATH');
  }
  say(`${step}: ${chromiumPath} present`);
}

/** Runs every step; `withBrowser` false skips nothing today but keeps the door open for `npm start` without tests. */
export function ensureSetup(): void {
  ensureAptPackages();
  ensureRipgrepCache();
  ensureCodeServer();
  ensureChromium();
}

if (require.main === module) {
  try {
    ensureSetup();
    say('done');
  } catch (err) {
    process.stderr.write(`[setup] FAILED ${err instanceof SetupError ? err.message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  }
}
