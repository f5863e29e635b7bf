// File names up to 255 bytes are legal on Linux, macOS and NTFS. The temp file, the default
// `<file>.cpt`, its lock and its own temp files add suffixes, so every such name must still fit
// (shortened with a hash when needed), be found again on resume, and errors must name the user's file.
import { test, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { resumableDownload, resumableUpload, TransferError } from '../../src/transfer/index.js';
import { BUCKET, exists, makeFile, sha256File, startFixture, wrapClient, type Fixture } from './resumeFixture.js';

const PART = 100 * 1024;
let fx: Fixture;

before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

const NAMES = [
  { label: '255 bytes of UTF-8', name: '文'.repeat(85) },
  { label: '250 ASCII bytes', name: 'n'.repeat(246) + '.bin' },
];
for (const n of NAMES) assert.ok(Buffer.byteLength(n.name) === 255 || Buffer.byteLength(n.name) === 250);

/** Every name in the folder fits in 255 bytes, and the folder holds something beside `name`. */
async function sidecarsFit(dir: string, name: string): Promise<string[]> {
  const names = await fsp.readdir(dir);
  for (const x of names) assert.ok(Buffer.byteLength(x) <= 255, `${x} is ${Buffer.byteLength(x)} bytes`);
  return names.filter((x) => x !== name);
}

for (const { label, name } of NAMES) {
  test(`upload of a file named with ${label}: interrupted, resumed from its checkpoint beside the file, nothing left`, async () => {
    const dir = path.join(fx.dir, 'up', String(Buffer.byteLength(name)));
    const file = path.join(dir, name);
    const size = 5 * PART;
    const sha = await makeFile(file, size);
    const key = `long/up/${name}`;
    const deny = fx.server.faults.add({ op: 'UploadPart', key, partNumber: 3 }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
    try {
      await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key, file, partSize: PART, parallel: 1 }), (e: unknown) => {
        assert.equal((e as { code?: string }).code, 'AccessDenied', String(e));
        return true;
      });
    } finally {
      fx.server.faults.remove(deny);
    }
    const left = await sidecarsFit(dir, name);
    assert.equal(left.filter((x) => x.endsWith('.cpt')).length, 1, `a checkpoint was kept: ${left.join(', ')}`);

    fx.server.stats.reset();
    const r = await resumableUpload(fx.client, { bucket: BUCKET, key, file, partSize: PART, parallel: 1 });
    assert.equal(r.resumed, true);
    assert.equal(fx.server.stats.get('UploadPart').bytesIn, 3 * PART, 'only the missing parts were sent');
    assert.equal(await sha256File(fx.server.objectPath(BUCKET, key)!), sha);
    assert.deepEqual(await fsp.readdir(dir), [name], 'no checkpoint, lock or temp file left');
  });

  for (const mode of ['beside the file', 'in a checkpoint folder'] as const) {
    test(`download to a file named with ${label}, checkpoint ${mode}: interrupted, resumed, nothing left`, async () => {
      const size = 5 * PART;
      const src = path.join(fx.dir, 'seed', `${Buffer.byteLength(name)}-${mode.length}`);
      const sha = await makeFile(src, size);
      const key = `long/down/${mode.length}/${name}`;
      await fx.client.putObject({ bucket: BUCKET, key, body: { file: src } });
      const dir = path.join(fx.dir, 'down', `${Buffer.byteLength(name)}-${mode.length}`);
      const dest = path.join(dir, name);
      const checkpointDir = mode === 'in a checkpoint folder' ? path.join(fx.dir, 'cpts') : undefined;
      let calls = 0;
      const revoking = wrapClient(fx.client, {
        getObject: async (o) => {
          if (++calls > 2) throw Object.assign(new Error('AccessDenied'), { code: 'AccessDenied', status: 403, retryable: false });
          return fx.client.getObject(o);
        },
      });
      await assert.rejects(resumableDownload(revoking, { bucket: BUCKET, key, file: dest, partSize: PART, parallel: 1, checkpointDir }), (e: unknown) => {
        assert.equal((e as { code?: string }).code, 'AccessDenied', String(e));
        return true;
      });
      const left = await sidecarsFit(dir, name);
      assert.equal(left.filter((x) => x.includes('.osstmp-')).length, 1, `the temp file was kept: ${left.join(', ')}`);

      fx.server.stats.reset();
      const r = await resumableDownload(fx.client, { bucket: BUCKET, key, file: dest, partSize: PART, parallel: 1, checkpointDir });
      assert.equal(r.resumed, true);
      assert.equal(fx.server.stats.get('GetObject').bytesOut, 3 * PART, 'only the missing parts were fetched');
      assert.equal(await sha256File(dest), sha);
      assert.deepEqual(await fsp.readdir(dir), [name], 'no checkpoint, lock or temp file left');
    });
  }
}

test('errors about the temp file, the checkpoint and the lock of a long-named file name that file', async () => {
  const name = '文'.repeat(85);
  const dir = path.join(fx.dir, 'errors');
  const dest = path.join(dir, name);
  const src = path.join(fx.dir, 'seed', 'errors');
  await makeFile(src, 3 * PART);
  const key = `long/errors/${name}`;
  await fx.client.putObject({ bucket: BUCKET, key, body: { file: src } });

  // The temp file cannot be sized: the disk is full.
  const probe = await fsp.open(path.join(fx.dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { truncate: (...a: unknown[]) => Promise<void>; sync: (...a: unknown[]) => Promise<void> };
  await probe.close();
  const full = (): Promise<never> => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
  const m1 = mock.method(proto, 'truncate', full);
  try {
    await assert.rejects(resumableDownload(fx.client, { bucket: BUCKET, key, file: dest, partSize: PART }), (e: unknown) => {
      assert.ok(e instanceof TransferError && e.code === 'DiskFull', String(e));
      assert.ok(e.message.includes(dest), e.message);
      return true;
    });
  } finally {
    m1.mock.restore();
  }

  // The checkpoint cannot be flushed.
  const file = path.join(fx.dir, 'errors-up', name);
  await makeFile(file, 3 * PART);
  const m2 = mock.method(proto, 'sync', full);
  try {
    await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key, file, partSize: PART }), (e: unknown) => {
      assert.ok(e instanceof TransferError && e.code === 'DiskFull', String(e));
      assert.ok(e.message.includes(file), e.message);
      return true;
    });
  } finally {
    m2.mock.restore();
  }

  // The same transfer twice at once: the refusal names the file, not only its lock.
  const first = resumableUpload(fx.client, { bucket: BUCKET, key, file, partSize: PART });
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key, file, partSize: PART }), (e: unknown) => {
    assert.ok(e instanceof TransferError && e.code === 'AlreadyRunning', String(e));
    assert.ok(e.message.includes(file), e.message);
    return true;
  });
  await first;
  assert.ok(!(await exists(file + '.cpt')));
});
