// `npm run package`: bundles the extension (esbuild) and packs dist/oss-transfer.vsix with vsce.
// vsce's warnings and errors (stderr) pass through untouched. Its file listing (stdout) is replaced by
// a shorter one of our own: the listing ends with a remark in red that the one bundled file is "large",
// because vsce flags any file over 85 % of the package, which a bundled extension's only script always
// is (it holds the extension and all of its dependencies; the .vsix is about 340 KiB). When vsce fails,
// its whole listing is printed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import { formatBytes } from '../src/vscode/presentation/quantityFormat.js';
import { projectRoot, vsixPath } from './e2e/projectPaths.js';

function fail(msg: string): never {
  process.stderr.write(`[package] FAILED ${msg}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? path.resolve(process.argv[outIndex + 1] ?? fail('--out needs a path')) : vsixPath;

  const build = spawnSync(process.execPath, [path.join(projectRoot, 'esbuild.mjs'), '--production'], { cwd: projectRoot, stdio: 'inherit' });
  if (build.status !== 0) fail(`esbuild exited with ${build.status}`);

  const vsce = path.join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', out], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  if (r.status !== 0 || !fs.existsSync(out)) {
    process.stdout.write(r.stdout ?? '');
    fail(`vsce package exited with ${r.status}`);
  }
  // The files as vsce chose them (.vscodeignore), with their sizes before compression.
  const files = await listFiles({ cwd: projectRoot, packageManager: PackageManager.None });
  const sizes = files.sort().map((f) => `${f} ${formatBytes(fs.statSync(path.join(projectRoot, f)).size)}`);
  process.stdout.write(`[package] ${path.relative(projectRoot, out)} (${formatBytes(fs.statSync(out).size)}): ${sizes.join(', ')}\n`);
}

void main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
