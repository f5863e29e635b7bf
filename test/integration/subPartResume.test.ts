// Issue 17: a download paused or cut in the middle of its 16 MiB parts keeps what reached the disk.
// The checkpoint records the flushed start of each part in flight; a new process resumes each part
// from there with a narrower Range, fetches under 1 MiB per connection again (the server's own byte
// counters say so), and ends byte-identical with the object's CRC-64. A tampered record never makes
// a wrong file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { resumableDownload, TransferError, type TransferProgress } from '../../src/transfer/index.js';
import { decodeCheckpoint, encodeCheckpoint, type DownloadCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { BUCKET, CREDS, exists, makeFile, sha256File, startFixture, type Fixture } from './resumeFixture.js';

const MiB = 1024 * 1024;
const PART = 16 * MiB; // the default download part
const PARALLEL = 3;
const SIZE = 3 * PART + 777; // three full parts and a small last one
const KEY = 'subpart/big.bin';
const CHILD = path.join(__dirname, 'killChild.ts');

let fx: Fixture;
let sha: string;

before(async () => {
  fx = await startFixture();
  const src = path.join(fx.dir, 'src.bin');
  sha = await makeFile(src, SIZE);
  await fx.client.putObject({ bucket: BUCKET, key: KEY, body: { file: src }, contentLength: SIZE });
});
after(async () => {
  await fx.close();
});

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

/** resumableDownload in a process of its own (killChild.ts); `killWhen` polled every 20 ms sends SIGKILL. */
function runChild(dest: string, cptFile: string, killWhen?: () => Promise<boolean>): Promise<ChildRun> {
  const spec = { direction: 'download', endpoint: fx.server.endpoint, ...CREDS, bucket: BUCKET, key: KEY, file: dest, cptFile, partSize: PART, parallel: PARALLEL };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, KILL_CHILD_SPEC: JSON.stringify(spec) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let polling = false;
    const timer = killWhen
      ? setInterval(() => {
          if (polling || killed) return;
          polling = true;
          void killWhen()
            .then((yes) => {
              if (yes && !killed) {
                killed = true;
                child.kill('SIGKILL');
              }
            })
            .finally(() => (polling = false));
        }, 20)
      : undefined;
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

async function readCpt(cptFile: string): Promise<DownloadCheckpoint | undefined> {
  const text = await fsp.readFile(cptFile, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const d = decodeCheckpoint(text);
  return d.ok && d.checkpoint.direction === 'download' ? d.checkpoint : undefined;
}

const partialBytes = (cpt: DownloadCheckpoint | undefined): number => (cpt?.partial ?? []).reduce((n, p) => n + p.bytes, 0);

/** Every part request serves `bytes` and then hangs: each connection is stopped mid-part. */
function stallEveryPartAfter(bytes: number): string {
  return fx.server.faults.add({ op: 'GetObject', key: KEY }, { type: 'stall', ms: 10 * 60_000, afterBytes: bytes }, Infinity);
}

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The resume in a new process: byte-identical, the object's CRC-64, nothing left beside the file. */
async function resumeInNewProcess(dest: string, cptFile: string): Promise<{ fetched: number }> {
  const before = fx.server.stats.get('GetObject').bytesOut;
  const r = await runChild(dest, cptFile);
  assert.equal(r.code, 0, `the resume failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout.split('RESULT ')[1]!) as { crc64: string; resumed: boolean; verifiedBy: string };
  const head = await fx.client.headObject({ bucket: BUCKET, key: KEY });
  assert.deepEqual([result.resumed, result.verifiedBy, result.crc64], [true, 'crc64', head.crc64], 'resumed, and the CRC-64 combined across the split is the object\'s');
  assert.equal(await sha256File(dest), sha, 'byte-identical');
  assert.equal(await exists(cptFile), false);
  assert.deepEqual((await fsp.readdir(path.dirname(dest))).sort(), [path.basename(dest)]);
  return { fetched: fx.server.stats.get('GetObject').bytesOut - before };
}

test('paused mid-part: every byte received is kept, and a new process fetches only the rest of each part', async () => {
  const dir = path.join(fx.dir, 'paused');
  const dest = path.join(dir, 'big.bin');
  const cptFile = path.join(fx.dir, 'paused.cpt');
  const cut = 5 * MiB + 12_345; // mid-part, not on a write batch boundary
  const stall = stallEveryPartAfter(cut);
  fx.server.stats.reset();
  const ac = new AbortController();
  const reports: TransferProgress[] = [];
  const run = resumableDownload(fx.client, { bucket: BUCKET, key: KEY, file: dest, cptFile, partSize: PART, parallel: PARALLEL, signal: ac.signal, onProgress: (p) => reports.push(p) });
  // Received by the client, not only sent by the server (the socket buffers hold some for a while).
  await waitFor(() => (reports.at(-1)?.transferredBytes ?? 0) >= PARALLEL * cut, 'every connection to stall mid-part');
  ac.abort();
  await assert.rejects(run, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
  fx.server.faults.remove(stall);
  const served = fx.server.stats.get('GetObject').bytesOut;
  assert.equal(served, PARALLEL * cut, 'the first three parts stopped where the server stalled');

  const cpt = await readCpt(cptFile);
  assert.deepEqual(cpt?.parts, [], 'no part finished');
  assert.deepEqual(
    cpt?.partial?.map((p) => [p.partNumber, p.bytes]),
    [[1, cut], [2, cut], [3, cut]],
    'the checkpoint records what reached the disk of each part in flight',
  );
  // The last report says what a resume keeps: exactly what the checkpoint holds.
  assert.equal(reports.at(-1)!.keptBytes, served);

  const { fetched } = await resumeInNewProcess(dest, cptFile);
  assert.equal(fetched, SIZE - served, 'nothing fetched twice');
  console.log(`# paused mid-part: kept ${served} B, fetched ${fetched} B on resume, ${served + fetched - SIZE} B twice`);
});

test('cut mid-part by SIGKILL: the flushed progress saved while it ran is kept; under 1 MiB per connection comes down again', async () => {
  const dir = path.join(fx.dir, 'killed');
  const dest = path.join(dir, 'big.bin');
  const cptFile = path.join(fx.dir, 'killed.cpt');
  const cut = 7 * MiB + 54_321;
  const stall = stallEveryPartAfter(cut);
  fx.server.stats.reset();
  // Killed 3 s after the server sent its bytes: the engine saves flushed progress every second while
  // parts move. Nothing in the child cooperates with the kill.
  let sentAt = 0;
  const first = await runChild(dest, cptFile, async () => {
    if (!sentAt && fx.server.stats.get('GetObject').bytesOut >= PARALLEL * cut) sentAt = Date.now();
    return sentAt > 0 && Date.now() - sentAt >= 3000;
  });
  assert.ok(first.killed, `the first run was killed (${first.code}: ${first.stderr})`);
  fx.server.faults.remove(stall);
  const served = fx.server.stats.get('GetObject').bytesOut;
  assert.ok(partialBytes(await readCpt(cptFile)) > 0, 'the killed run had recorded progress inside its parts');

  const { fetched } = await resumeInNewProcess(dest, cptFile);
  const twice = served + fetched - SIZE;
  assert.ok(twice < PARALLEL * MiB, `fetched again ${twice} B over ${PARALLEL} connections: under 1 MiB each`);
  console.log(`# SIGKILL mid-part: ${served} B before the kill, ${fetched} B on resume, ${twice} B twice`);
});

/** A download stopped mid-part in this process, its checkpoint then rewritten by `edit` (re-checksummed, as a tamperer would). */
async function stoppedWithCheckpoint(name: string, edit: (cpt: DownloadCheckpoint) => void): Promise<{ dest: string; cptFile: string }> {
  const dest = path.join(fx.dir, name, 'big.bin');
  const cptFile = path.join(fx.dir, `${name}.cpt`);
  const stall = stallEveryPartAfter(3 * MiB);
  const base = fx.server.stats.get('GetObject').bytesOut;
  const ac = new AbortController();
  let received = 0;
  const run = resumableDownload(fx.client, {
    bucket: BUCKET, key: KEY, file: dest, cptFile, partSize: PART, parallel: PARALLEL, signal: ac.signal, onProgress: (p) => (received = p.transferredBytes),
  });
  await waitFor(() => fx.server.stats.get('GetObject').bytesOut - base >= PARALLEL * 3 * MiB && received >= PARALLEL * 3 * MiB, 'the parts to stall');
  ac.abort();
  await assert.rejects(run);
  fx.server.faults.remove(stall);
  const cpt = (await readCpt(cptFile))!;
  assert.equal(cpt.partial?.length, PARALLEL);
  edit(cpt);
  await fsp.writeFile(cptFile, encodeCheckpoint(cpt));
  return { dest, cptFile };
}

test('a tampered partial CRC-64: that part is fetched whole again and the file is right', async () => {
  const { dest, cptFile } = await stoppedWithCheckpoint('wrong-crc', (cpt) => {
    cpt.partial![1]!.crc64 = crc64ToString(12345n);
  });
  const before = fx.server.stats.get('GetObject').bytesOut;
  const logs: string[] = [];
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: KEY, file: dest, cptFile, partSize: PART, parallel: PARALLEL, onLog: (m) => logs.push(m) });
  assert.equal(r.resumed, true);
  assert.equal(await sha256File(dest), sha);
  assert.equal(fx.server.stats.get('GetObject').bytesOut - before, SIZE - 2 * 3 * MiB, 'the two intact records were kept, part 2 came again whole');
  assert.ok(logs.some((l) => /part 2 does not match the temporary file/.test(l)), logs.join('\n'));
});

test('a partial record the plan cannot hold (past the part, a part that does not exist, a finished part) sets the checkpoint aside', async () => {
  const edits: Array<[string, (cpt: DownloadCheckpoint) => void]> = [
    ['whole-part', (cpt) => void (cpt.partial![0]!.bytes = PART)],
    ['no-such-part', (cpt) => void (cpt.partial![0]!.partNumber = 9)],
    ['also-finished', (cpt) => void cpt.parts.push({ partNumber: cpt.partial![0]!.partNumber, crc64: cpt.partial![0]!.crc64 })],
  ];
  for (const [name, edit] of edits) {
    const { dest, cptFile } = await stoppedWithCheckpoint(name, edit);
    const before = fx.server.stats.get('GetObject').bytesOut;
    const r = await resumableDownload(fx.client, { bucket: BUCKET, key: KEY, file: dest, cptFile, partSize: PART, parallel: PARALLEL });
    assert.equal(r.resumed, false, `${name}: started over`);
    assert.equal(await sha256File(dest), sha, `${name}: byte-identical`);
    assert.equal(fx.server.stats.get('GetObject').bytesOut - before, SIZE, `${name}: every byte fetched afresh`);
    assert.deepEqual(await fsp.readdir(path.dirname(dest)), ['big.bin'], `${name}: the old temp file is gone`);
  }
});

test('a record claiming more than was written, with the CRC-64 of what the file holds there: caught by the object CRC, never a wrong file', async () => {
  const claimed = 5 * MiB;
  let tempFile = '';
  const { dest, cptFile } = await stoppedWithCheckpoint('overclaim', (cpt) => {
    tempFile = cpt.tempFile;
    const p = cpt.partial![0]!;
    p.bytes = claimed;
  });
  // The tamperer's CRC is right for the file: the first 3 MiB of data, then the zeros never written.
  const fh = await fsp.open(tempFile, 'r');
  const buf = Buffer.alloc(claimed);
  await fh.read(buf, 0, claimed, 0);
  await fh.close();
  const cpt = (await readCpt(cptFile))!;
  cpt.partial![0]!.crc64 = crc64ToString(crc64(buf));
  await fsp.writeFile(cptFile, encodeCheckpoint(cpt));
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  await fsp.writeFile(dest, 'previous content');
  await assert.rejects(
    resumableDownload(fx.client, { bucket: BUCKET, key: KEY, file: dest, cptFile, partSize: PART, parallel: PARALLEL }),
    (e: unknown) => e instanceof TransferError && e.code === 'CrcMismatch',
  );
  assert.equal(await fsp.readFile(dest, 'utf8'), 'previous content', 'the destination is untouched');
  assert.equal(await exists(tempFile), false, 'the bad temp file is discarded');
  assert.equal(await exists(cptFile), false);
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: KEY, file: dest, cptFile, partSize: PART, parallel: PARALLEL });
  assert.equal(r.resumed, false);
  assert.equal(await sha256File(dest), sha);
});
