// An interrupted sync resumed in a new process sends nothing twice (issue 16): a child syncing 300
// small files in a subfolder and one multipart file (at the top, so it starts first) is SIGKILLed mid-way; a second process plans again and runs.
// Every object that was on the server at the kill stays the very same server file (no PutObject of
// it again), the big file resumes from its checkpoint (its finished parts are not sent again), and
// in the end the bucket matches the folder byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fsp, statSync } from 'node:fs';
import * as path from 'node:path';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { BUCKET, CREDS, startFixture, type Fixture } from './resumeFixture.js';
import type { SyncKillSpec } from './syncKillChild.js';

const SMALL = 300;
const PART = 256 * 1024;
const BIG = 24 * PART;
const CHILD = path.join(__dirname, 'syncKillChild.ts');

let fx: Fixture;
let spec: SyncKillSpec;

before(async () => {
  fx = await startFixture();
  const localDir = path.join(fx.dir, 'site');
  await fsp.mkdir(path.join(localDir, 'assets'), { recursive: true });
  for (let i = 0; i < SMALL; i++) await fsp.writeFile(path.join(localDir, 'assets', `a${String(i).padStart(3, '0')}.bin`), randomBytes(2048 + (i % 7) * 100));
  await fsp.writeFile(path.join(localDir, 'a-big.bin'), randomBytes(BIG));
  spec = { endpoint: fx.server.endpoint, ...CREDS, bucket: BUCKET, localDir, prefix: 'site/', stateDir: path.join(fx.dir, 'state'), checkpointDir: path.join(fx.dir, 'cpt'), partSize: PART };
});
after(async () => {
  await fx.close();
});

function runChild(kill?: () => boolean): Promise<{ killed: boolean; code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, SYNC_KILL_SPEC: JSON.stringify(spec) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = kill && setInterval(() => {
      if (!killed && kill()) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 2);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ killed, code, out, err });
    });
  });
}

function serverFileOf(key: string): string | undefined {
  const p = fx.server.objectPath(BUCKET, key);
  if (!p) return undefined;
  const st = statSync(p);
  return `${st.ino} ${st.mtimeMs}`;
}

test('a sync killed mid-way and run again in a new process sends nothing twice and ends byte-identical', { timeout: 300_000 }, async () => {
  const stats = fx.server.stats;
  // Every request waits a little, so both the small files and the big file's parts are still under
  // way at the kill whatever the machine's load (without it one kind can finish before the other starts).
  const slowPuts = fx.server.faults.add({ op: 'PutObject' }, { type: 'stall', ms: 150 }, Infinity);
  const slowParts = fx.server.faults.add({ op: 'UploadPart' }, { type: 'stall', ms: 200 }, Infinity);
  const first = await runChild(() => stats.get('PutObject').requests >= 40 && stats.get('UploadPart').requests >= 6);
  fx.server.faults.remove(slowPuts);
  fx.server.faults.remove(slowParts);
  // Requests the child had fully sent may still land during their stall: let them, before looking.
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(first.killed, `the first run ended before the kill point (${first.code}): ${first.err}`);

  const atKill = new Map<string, string>();
  for (const o of await listAllObjects(fx.client, BUCKET, spec.prefix)) atKill.set(o.key, serverFileOf(o.key)!);
  assert.ok(atKill.size > 0 && atKill.size < SMALL, `some but not all files landed before the kill (${atKill.size})`);
  assert.ok(!atKill.has('site/a-big.bin'), 'the multipart file was not finished');
  const partsBefore = stats.get('UploadPart').requests;
  const putsBefore = stats.get('PutObject').requests;

  const second = await runChild();
  assert.equal(second.code, 0, second.err);
  const plan = JSON.parse(second.out.split('\n').find((l) => l.startsWith('PLAN '))!.slice(5)) as { upload: number; unchanged: number };
  assert.equal(plan.unchanged, atKill.size, 'what landed before the kill is planned as unchanged');
  assert.equal(plan.upload, SMALL + 1 - atKill.size);
  for (const [k, v] of atKill) assert.equal(serverFileOf(k), v, `${k} was sent again`);
  assert.equal(stats.get('PutObject').requests - putsBefore, SMALL - atKill.size, 'one PutObject per file not yet there');
  const resentParts = stats.get('UploadPart').requests - partsBefore;
  assert.ok(resentParts < BIG / PART, `the big file resumed: ${resentParts} parts sent of ${BIG / PART}`);
  assert.ok(partsBefore + resentParts <= BIG / PART + 2, `parts finished before the kill were not sent again (${partsBefore} + ${resentParts}; at most 2 were in flight)`);

  for (const o of await listAllObjects(fx.client, BUCKET, spec.prefix)) {
    const rel = o.key.slice(spec.prefix.length);
    assert.ok((await fsp.readFile(fx.server.objectPath(BUCKET, o.key)!)).equals(await fsp.readFile(path.join(spec.localDir, rel))), `${rel} differs`);
  }
  assert.equal((await listAllObjects(fx.client, BUCKET, spec.prefix)).length, SMALL + 1);
  const third = await runChild();
  assert.match(third.out, /PLAN \{"upload":0,"unchanged":301\}/, 'a third run has nothing to do');
});
