import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ABANDONED_TEMP_AGE_MS,
  STALE_TEMP_AGE_MS,
  beginTemp,
  checkpointLockPath,
  endTemp,
  parseTempName,
  sidecarStem,
  sweepStaleTemps,
} from '../../src/transfer/checkpoint/checkpointFiles.js';

/** The pid of a process that has already exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  assert.ok(r.pid > 0);
  return r.pid;
}

async function folderWith(t: { after: (fn: () => Promise<void>) => void }, files: Record<string, number>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cpt-files-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const now = Date.now();
  for (const [name, ageMs] of Object.entries(files)) {
    const p = path.join(dir, name);
    await writeFile(p, 'x');
    const when = new Date(now - ageMs);
    await utimes(p, when, when);
  }
  return dir;
}

test('temp names carry the writer pid; old names without one still parse; others do not', () => {
  const tmp = beginTemp('/d/x.cpt');
  endTemp(tmp);
  assert.match(path.basename(tmp), new RegExp(`^x\\.cpt\\.tmp-${process.pid}-[0-9a-f]{8}$`));
  assert.deepEqual(parseTempName(path.basename(tmp)), { checkpoint: 'x.cpt', pid: process.pid });
  assert.deepEqual(parseTempName('x.cpt.tmp-0123abcd'), { checkpoint: 'x.cpt' });
  assert.equal(parseTempName('x.cpt'), undefined);
  assert.equal(parseTempName('x.cpt.tmp-12-xyz'), undefined);
  assert.equal(checkpointLockPath('/d/x.cpt'), '/d/x.cpt.lock');
});

test('stale temp files are removed only when no live writer can still rename them', async (t) => {
  const old = STALE_TEMP_AGE_MS + 60_000;
  const dead = deadPid();
  const live = process.ppid; // the test runner: alive for the whole test
  const files = {
    'a.cpt': old,
    'a.cpt.lock': old,
    [`a.cpt.tmp-${dead}-00000001`]: old, // its writer was killed: gone
    [`a.cpt.tmp-${dead}-00000002`]: 1000, // too young to judge (a writer on another host, a slow disk)
    [`a.cpt.tmp-${live}-00000003`]: old, // another live process may be about to rename it
    [`a.cpt.tmp-${live}-00000004`]: ABANDONED_TEMP_AGE_MS + 60_000, // a day old: the pid was reused
    [`a.cpt.tmp-${process.pid}-00000005`]: old, // ours, not being written
    'b.cpt.tmp-00000006': old, // written before names carried a pid
    'b.cpt.lock.stale-0123456789abcdef': old, // a takeover killed half-way
    'notes.txt.tmp-00000007': old, // not a checkpoint's temp file
    'custom.state.tmp-00000008': old, // a checkpoint with another extension: only when named
  };
  const dir = await folderWith(t, files);
  const removed = await sweepStaleTemps(dir, { extension: '.cpt' });
  assert.deepEqual(
    removed.map((p) => path.basename(p)).sort(),
    [`a.cpt.tmp-${dead}-00000001`, `a.cpt.tmp-${live}-00000004`, `a.cpt.tmp-${process.pid}-00000005`, 'b.cpt.tmp-00000006', 'b.cpt.lock.stale-0123456789abcdef'].sort(),
  );
  assert.deepEqual(
    (await readdir(dir)).sort(),
    ['a.cpt', 'a.cpt.lock', `a.cpt.tmp-${dead}-00000002`, `a.cpt.tmp-${live}-00000003`, 'custom.state.tmp-00000008', 'notes.txt.tmp-00000007'].sort(),
  );
  await sweepStaleTemps(dir, { checkpoints: ['custom.state'] });
  assert.ok(!(await readdir(dir)).includes('custom.state.tmp-00000008'));
});

test('a temp file this process is writing is never swept, however old it looks', async (t) => {
  const dir = await folderWith(t, {});
  const tmp = beginTemp(path.join(dir, 'w.cpt'));
  await writeFile(tmp, '{');
  const when = new Date(Date.now() - ABANDONED_TEMP_AGE_MS - 60_000);
  await utimes(tmp, when, when);
  assert.deepEqual(await sweepStaleTemps(dir, { extension: '.cpt' }), []);
  endTemp(tmp);
  assert.deepEqual(await sweepStaleTemps(dir, { extension: '.cpt' }), [tmp]);
});

test('a missing folder sweeps nothing and does not throw', async () => {
  assert.deepEqual(await sweepStaleTemps(path.join(tmpdir(), 'no-such-folder-' + process.pid), { extension: '.cpt' }), []);
});

test('a checkpoint name too long for its suffixes lends them a shortened stem; the sweep still finds its stale temp files and locks', async (t) => {
  const long = 'q'.repeat(240) + '.cpt'; // an explicit cptFile may be this long
  const stem = sidecarStem(long);
  assert.notEqual(stem, long);
  assert.ok(stem.endsWith('.cpt'), 'the extension survives, so a sweep by extension still matches');
  assert.equal(sidecarStem('x.cpt'), 'x.cpt');
  const lock = checkpointLockPath(path.join('/d', long));
  assert.equal(lock, path.join('/d', stem + '.lock'));
  const tmp = beginTemp(path.join('/d', long));
  endTemp(tmp);
  assert.equal(path.dirname(tmp), '/d');
  for (const n of [path.basename(lock) + '.stale-0123456789abcdef', path.basename(tmp), `${stem}.tmp-4294967295-00000000`]) {
    assert.ok(Buffer.byteLength(n) <= 255, `${n.length} bytes`);
  }
  assert.deepEqual(parseTempName(path.basename(tmp)), { checkpoint: stem, pid: process.pid });

  const dead = deadPid();
  const old = STALE_TEMP_AGE_MS + 60_000;
  const dir = await folderWith(t, { [`${stem}.tmp-${dead}-00000001`]: old, [`${stem}.lock.stale-0123456789abcdef`]: old });
  assert.equal((await sweepStaleTemps(dir, { checkpoints: [long] })).length, 2, 'by the checkpoint name');
  const dir2 = await folderWith(t, { [`${stem}.tmp-${dead}-00000001`]: old });
  assert.equal((await sweepStaleTemps(dir2, { extension: '.cpt' })).length, 1, 'by extension');
  const dir3 = await folderWith(t, { [`${stem}.tmp-${dead}-00000001`]: old });
  assert.deepEqual(await sweepStaleTemps(dir3, { checkpoints: ['q'.repeat(241) + '.cpt'] }), [], "another long name's stem is not this one");
});
