// The image-upload settings as the extension reads them from VS Code (fake `vscode`): the target of
// a trusted workspace counts, an untrusted workspace's is ignored (said once) so a folder nobody
// trusted cannot choose where pasted images are published; broken values are said once; the target
// is saved where it will count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, recorder } from './support/fakeVscodeTransfers.js';

installFakeVscode();

const TARGET = 'imageUpload.target';
const mine = { profile: 'Me', bucket: 'my-notes', prefix: 'img/', link: 'presigned', expiry: '1d' };
const theirs = { profile: 'Environment (OSS_ACCESS_KEY_ID)', bucket: 'public-site', prefix: '', link: 'public' };

async function fresh(setup: Partial<Pick<typeof recorder, 'trusted' | 'folders'>> & { user?: Record<string, unknown>; workspace?: Record<string, unknown> }) {
  const { ImageUploadSettings } = await import('../../src/vscode/markdown/imageUploadSettings.js');
  const { Logger } = await import('../../src/vscode/logger.js');
  recorder.reset();
  recorder.config = { ...setup.user };
  recorder.workspaceConfig = { ...setup.workspace };
  recorder.configUpdates = [];
  recorder.trusted = setup.trusted ?? true;
  recorder.folders = setup.folders;
  const lines: string[] = [];
  const channel = { warn: (m: string) => lines.push(m), info: (m: string) => lines.push(m) };
  return { settings: new ImageUploadSettings(new Logger(channel as never)), lines };
}

test('a trusted workspace\'s target counts over the user\'s', async () => {
  const { settings, lines } = await fresh({ user: { [TARGET]: mine }, workspace: { [TARGET]: theirs } });
  assert.deepEqual(settings.target(), { profile: theirs.profile, bucket: 'public-site', prefix: '', link: { kind: 'public' } });
  assert.deepEqual(lines, []);
});

test('an untrusted workspace\'s target is ignored, said once; the user\'s own target still counts', async () => {
  const { settings, lines } = await fresh({ trusted: false, user: { [TARGET]: mine }, workspace: { [TARGET]: theirs } });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(settings.target(), { profile: 'Me', bucket: 'my-notes', prefix: 'img/', link: { kind: 'presigned', expiresSeconds: 86400 } });
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /not trusted, so its ossTransfer\.imageUpload\.target is ignored/);
  assert.deepEqual(recorder.messages.map((m) => m.actions), [['Open Settings']]);
  const alone = await fresh({ trusted: false, workspace: { [TARGET]: theirs } });
  assert.equal(alone.settings.target(), undefined, 'with no target of the user\'s, nothing is offered');
});

test('a broken target is said once and counts as none; a broken name pattern falls back to the default', async () => {
  const { settings, lines } = await fresh({ user: { [TARGET]: { profile: 'Me' }, 'imageUpload.namePattern': '{date}.{ext}' } });
  for (let i = 0; i < 3; i++) {
    assert.equal(settings.target(), undefined);
    assert.equal(settings.namePattern(), '{date}-{hash}.{ext}');
  }
  assert.deepEqual(lines, [
    'Setting ossTransfer.imageUpload.target has no "bucket": images are not uploaded until it is fixed (or set again with "OSS: Set Image Upload Target…").',
    'Setting ossTransfer.imageUpload.namePattern has no {hash}: without it two different images could get the same name and one would replace the other: using "{date}-{hash}.{ext}".',
  ]);
  recorder.config['imageUpload.namePattern'] = ' {yyyy}/{hash}.{ext} ';
  assert.equal(settings.namePattern(), '{yyyy}/{hash}.{ext}');
});

test('the target is saved in the workspace when it will count there, else in the user settings', async () => {
  const target = { profile: 'Me', bucket: 'my-notes', prefix: 'img/', link: { kind: 'public' as const } };
  const cases = [
    { setup: { folders: [{}] }, where: 'workspace', scope: 2 },
    { setup: { folders: undefined }, where: 'user-no-folder', scope: 1 },
    { setup: { folders: [{}], trusted: false }, where: 'user-untrusted', scope: 1 },
  ];
  for (const c of cases) {
    const { settings } = await fresh(c.setup);
    assert.equal(await settings.saveTarget(target), c.where);
    assert.deepEqual(recorder.configUpdates, [{ key: TARGET, value: { profile: 'Me', bucket: 'my-notes', prefix: 'img/', link: 'public' }, target: c.scope }]);
    assert.deepEqual(settings.target(), target, `${c.where}: read back`);
  }
});

test('clearing removes the target from every scope that holds one', async () => {
  const { settings } = await fresh({ folders: [{}], user: { [TARGET]: mine }, workspace: { [TARGET]: theirs } });
  assert.equal(await settings.clearTarget(), true);
  assert.equal(settings.target(), undefined);
  assert.equal(await settings.clearTarget(), false);
});
