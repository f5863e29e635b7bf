import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { planDownloads } from '../../src/vscode/planning/downloadPlan.js';
import { refuseLinkedFolders } from '../../src/vscode/planning/linkedFolderGuard.js';

async function fixture(): Promise<{ root: string; outside: string; done: () => Promise<void> }> {
  const base = await mkdtemp(path.join(tmpdir(), 'linked-guard-'));
  const root = path.join(base, 'chosen');
  const outside = path.join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  return { root, outside, done: () => rm(base, { recursive: true, force: true }) };
}

const sel = (...keys: string[]) => [{ basePrefix: '', objects: keys.map((key) => ({ key, size: 1 })) }];

test('a key below a symlinked folder inside the chosen folder is refused; other keys are kept', async () => {
  const fx = await fixture();
  try {
    await symlink(fx.outside, path.join(fx.root, 'docs'));
    await mkdir(path.join(fx.root, 'real'));
    const plan = await refuseLinkedFolders(fx.root, planDownloads(fx.root, sel('docs/a.txt', 'docs/deep/b.txt', 'real/c.txt', 'top.txt', 'docs/sub/')));
    assert.deepEqual(plan.downloads.map((d) => d.key).sort(), ['real/c.txt', 'top.txt']);
    assert.deepEqual(plan.refused.map((r) => r.key).sort(), ['docs/a.txt', 'docs/deep/b.txt', 'docs/sub/']);
    assert.match(plan.refused[0]!.reason, /"docs" in the chosen folder is a link/);
    assert.deepEqual(await readdir(fx.outside), [], 'nothing was created through the link');
  } finally {
    await fx.done();
  }
});

test('a file standing where a folder is needed is refused with its name', async () => {
  const fx = await fixture();
  try {
    await writeFile(path.join(fx.root, 'notes'), 'x');
    const plan = await refuseLinkedFolders(fx.root, planDownloads(fx.root, sel('notes/a.txt')));
    assert.equal(plan.downloads.length, 0);
    assert.match(plan.refused[0]!.reason, /"notes" in the chosen folder is a file/);
  } finally {
    await fx.done();
  }
});

test('a link above the chosen folder, and folders not created yet, are fine', async () => {
  const fx = await fixture();
  try {
    const linkToRoot = path.join(path.dirname(fx.root), 'via-link');
    await symlink(fx.root, linkToRoot);
    const plan = await refuseLinkedFolders(linkToRoot, planDownloads(linkToRoot, sel('new/dir/a.txt', 'b.txt')));
    assert.deepEqual(plan.downloads.map((d) => d.key).sort(), ['b.txt', 'new/dir/a.txt']);
    assert.equal(plan.refused.length, 0);
  } finally {
    await fx.done();
  }
});
