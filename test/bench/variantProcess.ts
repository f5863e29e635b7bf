// Runs one bench variant in a child process (benchVariant.ts, bundled once with esbuild) and adds
// what only the parent can see: the whole machine's busy CPU from the variant's start until its
// bytes are on disk.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { VariantReport } from './benchVariant.js';
import type { RateFigures } from './rateWindows.js';

/** `rates`: the -limited variants' bytes over time, measured at the link (see rateWindows.ts). */
export type Measured = VariantReport & { machineSeconds?: number; connections?: number; rates?: RateFigures };

let variantScript = '';

/**
 * Bundles the variant script once (as the extension ships: one esbuild bundle), so every child
 * runs plain JavaScript and its RSS and CPU are not inflated by on-the-fly TypeScript compiling.
 * `vscode` is the tests' fake (test/unit/support/fakeVscodeTransfers.ts): the small-files bench can
 * drive TransferManager through the real Transfers UI (BENCH_SMALL_UI=1).
 */
export async function bundleVariant(outDir: string): Promise<void> {
  const esbuild = await import('esbuild');
  const outfile = path.join(outDir, 'benchVariant.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'benchVariant.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    external: ['ali-oss'],
    alias: { vscode: path.join(__dirname, '..', 'unit', 'support', 'fakeVscodeTransfers.ts') },
    logLevel: 'error',
  });
  variantScript = outfile;
}

/** Runs a variant; `name` names its CPU profile when BENCH_PROFILE=<dir> asks for one (open it in Chrome DevTools). */
function runVariant(spec: object, name: string): Promise<VariantReport> {
  if (!variantScript) throw new Error('bundleVariant() first');
  return new Promise((resolve, reject) => {
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
    const child = spawn(process.execPath, [...profile, variantScript], {
      env: { ...process.env, BENCH_SPEC: JSON.stringify(spec), NODE_PATH: path.join(__dirname, '..', '..', 'node_modules') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH '));
      if (code !== 0 || !line) return reject(new Error(`${name} failed (exit ${code})`));
      resolve(JSON.parse(line.slice(6)) as VariantReport);
    });
  });
}

/**
 * Flushes dirty pages before a variant starts. Each variant leaves a GiB or more of writes in the
 * page cache (the server's part files and its Complete copy, or a downloaded file); without this
 * the next variant pays for the previous one's writeback, which favours whoever runs first.
 */
export function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/**
 * Busy CPU seconds of the whole machine so far (every process and kernel thread), from /proc/stat;
 * undefined where there is none. A variant's window runs until its bytes are on disk (a `sync`
 * after it), so writeback that a client leaves to the kernel's threads is counted too, and so is the
 * test server's share — the same for every variant — and whatever else runs on the machine.
 */
function machineBusySeconds(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + (f[7] ?? 0);
    return Number.isFinite(busy) ? busy / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a variant and adds the machine's busy CPU from its start until its data is on disk. */
export async function runMeasured(spec: object, name: string): Promise<Measured> {
  const m0 = machineBusySeconds();
  const r = await runVariant(spec, name);
  settleDisk();
  const m1 = machineBusySeconds();
  return m0 !== undefined && m1 !== undefined ? { ...r, machineSeconds: m1 - m0 } : r;
}
