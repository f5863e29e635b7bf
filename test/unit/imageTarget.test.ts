import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactDuration, describeTarget, imageTargetSetting, readImageTarget, type ImageTarget } from '../../src/vscode/markdown/imageTarget.js';

test('no setting, null or {} means no target', () => {
  for (const raw of [undefined, null, {}]) assert.deepEqual(readImageTarget(raw), { none: true });
});

test('each link kind reads back what the command wrote', () => {
  const targets: ImageTarget[] = [
    { profile: 'Work', bucket: 'docs-img', prefix: 'guide/', link: { kind: 'public' } },
    { profile: 'Work', bucket: 'docs-img', prefix: '', link: { kind: 'customDomain', origin: 'https://img.example.com', basePath: '/assets' } },
    { profile: 'Environment (OSS_ACCESS_KEY_ID)', bucket: 'demo-bucket', prefix: 'a/b/', link: { kind: 'presigned', expiresSeconds: 5400 } },
  ];
  for (const t of targets) {
    const setting = imageTargetSetting(t);
    assert.deepEqual(readImageTarget(JSON.parse(JSON.stringify(setting))), { target: t });
  }
  assert.deepEqual(imageTargetSetting(targets[2]!), { profile: 'Environment (OSS_ACCESS_KEY_ID)', bucket: 'demo-bucket', prefix: 'a/b/', link: 'presigned', expiry: '1h30m' });
  assert.equal(JSON.stringify(imageTargetSetting(targets[1]!)), '{"profile":"Work","bucket":"docs-img","prefix":"","link":"customDomain","domain":"https://img.example.com/assets"}');
});

test('hand-written values are forgiven where the meaning is clear: no link is public, no expiry is 7 days, a prefix gets its /', () => {
  assert.deepEqual(readImageTarget({ profile: ' Work ', bucket: 'b', prefix: '/shots' }), { target: { profile: 'Work', bucket: 'b', prefix: 'shots/', link: { kind: 'public' } } });
  assert.deepEqual(readImageTarget({ profile: 'Work', bucket: 'b', link: 'presigned' }), { target: { profile: 'Work', bucket: 'b', prefix: '', link: { kind: 'presigned', expiresSeconds: 604800 } } });
  assert.deepEqual(readImageTarget({ profile: 'Work', bucket: 'b', link: 'presigned', expiry: 3600 }), { target: { profile: 'Work', bucket: 'b', prefix: '', link: { kind: 'presigned', expiresSeconds: 3600 } } });
});

test('a broken target says what is wrong with it', () => {
  const problem = (raw: unknown) => {
    const r = readImageTarget(raw);
    assert.ok('problem' in r, `${JSON.stringify(raw)} is refused`);
    return r.problem;
  };
  assert.match(problem('demo-bucket'), /not an object/);
  assert.match(problem({ bucket: 'b' }), /no "profile"/);
  assert.match(problem({ profile: 'p' }), /no "bucket"/);
  assert.match(problem({ profile: 'p', bucket: 'b', prefix: 3 }), /"prefix" is not a string/);
  assert.match(problem({ profile: 'p', bucket: 'b', prefix: 'a//b' }), /empty/);
  assert.match(problem({ profile: 'p', bucket: 'b', prefix: '../x' }), /"\.\."/);
  assert.match(problem({ profile: 'p', bucket: 'b', link: 'cdn' }), /"link" is "cdn"/);
  assert.match(problem({ profile: 'p', bucket: 'b', link: 'customDomain' }), /no "domain"/);
  assert.match(problem({ profile: 'p', bucket: 'b', link: 'customDomain', domain: 'ftp://x.example.com' }), /http or https/);
  assert.match(problem({ profile: 'p', bucket: 'b', link: 'presigned', expiry: '30d' }), /at most 7 days/);
  assert.match(problem({ profile: 'p', bucket: 'b', link: 'presigned', expiry: 'soon' }), /not a duration/);
});

test('durations are written compactly and the target is described in words', () => {
  assert.equal(compactDuration(604800), '7d');
  assert.equal(compactDuration(90), '1m30s');
  assert.equal(compactDuration(86400 + 3600), '1d1h');
  assert.equal(describeTarget({ profile: 'Work', bucket: 'b', prefix: 'p/', link: { kind: 'presigned', expiresSeconds: 604800 } }), 'oss://b/p/ (Work), presigned links valid 7 days');
  assert.equal(describeTarget({ profile: 'Work', bucket: 'b', prefix: '', link: { kind: 'customDomain', origin: 'https://i.example.com', basePath: '' } }), 'oss://b/ (Work), links on https://i.example.com');
});
