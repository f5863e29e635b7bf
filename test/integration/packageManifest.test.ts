// The package is ready for the Marketplace and Open VSX: the manifest carries what they show and
// what VS Code's platform rules ask (repository, bugs, homepage, a 128x128 PNG icon, categories,
// keywords, extensionKind, capabilities), `npm run package` prints no warning, and every dependency
// install script is reviewed in allowScripts (npm 11 warns about each one that is not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// The manifest's texts are %keys% of package.nls.json (issue 19); this is what VS Code shows in English.
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const english = (v: string): string => nls[/^%(.+)%$/.exec(v)?.[1] ?? ''] ?? v;

// VS Code's gallery categories (vsce refuses others).
const CATEGORIES = new Set(['AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps',
  'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes',
  'Visualization', 'Other']);

test('the manifest has what the Marketplace and Open VSX show', () => {
  assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
  assert.match(manifest.bugs?.url ?? '', /^https:\/\/github\.com\/.+\/issues$/);
  assert.match(manifest.homepage ?? '', /^https:\/\//);
  assert.ok(Array.isArray(manifest.categories) && manifest.categories.length > 0 && manifest.categories.every((c: string) => CATEGORIES.has(c)));
  assert.ok(manifest.keywords.length > 0 && manifest.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
  const png = fs.readFileSync(path.join(root, manifest.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', 'the icon is a PNG (SVG icons are refused)');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'the icon is 128x128');
});

test('VS Code\'s platform rules: where it runs, untrusted and virtual workspaces', () => {
  // Transfers read and write the workspace's files and checkpoints with Node's fs: next to the files.
  assert.deepEqual(manifest.extensionKind, ['workspace']);
  assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, true);
  assert.equal(manifest.capabilities?.virtualWorkspaces?.supported, 'limited');
  assert.match(english(manifest.capabilities.virtualWorkspaces.description), /Upload to OSS/);
  // The Explorer's "Upload to OSS…" is offered only on files on disk (a virtual workspace has none).
  const explorer = manifest.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'ossTransfer.uploadToOss');
  assert.equal(explorer.when, 'resourceScheme == file || resourceScheme == vscode-remote');
});

test('every dependency install script is reviewed in allowScripts (npm warns about each one that is not)', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
    .filter(([where, p]) => where && p.hasInstallScript)
    .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(withScripts.includes('esbuild'), 'the lock file lists esbuild\'s install script');
  for (const name of withScripts) assert.equal(typeof manifest.allowScripts?.[name], 'boolean', `${name} is allowed or denied`);
});

test('npm run package prints no warning and packs only the bundle, the manifest (with its translations and message bundles), README, LICENSE and media', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-package-'));
  try {
    const out = path.join(dir, 'x.vsix');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'package.ts'), '--out', out], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const all = `${r.stdout}\n${r.stderr}`;
    assert.doesNotMatch(all, /warn|error|large|missing/i, all);
    assert.ok(fs.statSync(out).size > 0);
    const listed = /^\[package\] .*\): (.*)$/m.exec(r.stdout)?.[1] ?? '';
    const names = listed.split(', ').map((f) => f.replace(/ [\d.]+ (B|KiB|MiB)$/, '')).sort();
    assert.deepEqual(names, [
      'LICENSE', 'README.md', 'dist/extension.js', 'l10n/bundle.l10n.json', 'l10n/bundle.l10n.zh-cn.json', 'media/icon.png', 'media/oss.svg',
      'media/screenshot.png', 'package.json', 'package.nls.json', 'package.nls.zh-cn.json',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
