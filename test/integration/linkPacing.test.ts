// The engine's adaptive concurrency and bandwidth cap through the benchmark's emulated link (a
// round trip, a cap per connection, a shared bottleneck), measured where the bytes cross it. These
// assert behaviour: the pacer grows where more connections carry more and backs off on throttling,
// and no 5-second window of the link carries more than 5 % over a cap. Speed is the benchmark's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { BandwidthLimit, LinkPacer, resumableDownload, resumableUpload } from '../../src/transfer/index.js';
import { TransferManager } from '../../src/transfer/batch/transferManager.js';
import { startWanLink, type WanLink } from '../bench/wanLink.js';
import { rateFigures, sampleBytes } from '../bench/rateWindows.js';
import { BUCKET, CREDS, makeFile, sha256File, startFixture, type Fixture } from './resumeFixture.js';

const MiB = 1024 * 1024;
let fx: Fixture;
/** 40 ms away, 1 MB/s per connection, 12 MB/s for all together: more connections pay up to a dozen. */
let thin: WanLink;
let client: OssClient;
/** 20 ms away, 8 MB/s per connection, 64 MB/s shared: room for any cap the tests set. */
let wide: WanLink;
let wideClient: OssClient;

before(async () => {
  fx = await startFixture();
  const server = { host: '127.0.0.1', port: fx.server.port };
  thin = await startWanLink(server, { rttMs: 40, bytesPerSecond: MiB, sharedBytesPerSecond: 12 * MiB });
  client = new OssClient({ ...CREDS, endpoint: thin.endpoint, region: 'cn-hangzhou' });
  wide = await startWanLink(server, { rttMs: 20, bytesPerSecond: 8 * MiB, sharedBytesPerSecond: 64 * MiB });
  wideClient = new OssClient({ ...CREDS, endpoint: wide.endpoint, region: 'cn-hangzhou' });
});
after(async () => {
  await client.close();
  await wideClient.close();
  await thin.close();
  await wide.close();
  await fx.close();
});

async function seed(key: string, size: number): Promise<{ file: string; sha: string }> {
  const file = path.join(fx.dir, 'src', key);
  const sha = await makeFile(file, size);
  await fx.client.putObject({ bucket: BUCKET, key, body: { file }, contentLength: size });
  return { file, sha };
}

/** The pacer's target over a transfer, sampled every 50 ms. */
function watch(pacer: LinkPacer): { stop(): number[] } {
  const seen: number[] = [pacer.target];
  const timer = setInterval(() => seen.push(pacer.target), 50);
  return { stop: () => (clearInterval(timer), seen) };
}

test('a download with no parallelism given adds connections while they carry more, and the bytes arrive intact', async () => {
  const { sha } = await seed('pace/grow.bin', 40 * MiB);
  const pacer = new LinkPacer();
  const targets = watch(pacer);
  const conns0 = thin.stats().connections;
  const dest = path.join(fx.dir, 'out', 'grow.bin');
  await resumableDownload(client, { bucket: BUCKET, key: 'pace/grow.bin', file: dest, pacer, checkpointDir: path.join(fx.dir, 'cpt') });
  const seen = targets.stop();
  pacer.close();
  assert.equal(await sha256File(dest), sha);
  assert.equal(seen[0], 8, 'starts with a few');
  assert.ok(Math.max(...seen) > 8, `grew while the link rewarded it: ${seen.join(' ')}`);
  assert.ok(thin.stats().connections - conns0 > 8, 'and opened the connections to match');
});

test('503 SlowDown on parts makes an upload back off, and it still completes', async () => {
  const { file, sha } = await seed('pace/slow-src.bin', 24 * MiB);
  const rule = fx.server.faults.add({ op: 'UploadPart', bucket: BUCKET }, { type: 'status', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }, 4);
  const pacer = new LinkPacer();
  const targets = watch(pacer);
  await resumableUpload(client, { bucket: BUCKET, key: 'pace/slow.bin', file, pacer, retry: { baseDelayMs: 50, maxDelayMs: 200 }, checkpointDir: path.join(fx.dir, 'cpt') });
  const seen = targets.stop();
  pacer.close();
  assert.equal(fx.server.faults.hits(rule), 4);
  // The answers come once each throttled part's body is in: the target then drops by the back-off factor.
  const peak = seen.indexOf(Math.max(...seen));
  assert.ok(seen.slice(peak).some((n) => n <= Math.floor(seen[peak]! * 0.7)), `backed off from ${seen[peak]}: ${seen.join(' ')}`);
  const head = await fx.client.headObject({ bucket: BUCKET, key: 'pace/slow.bin' });
  assert.equal(head.size, 24 * MiB);
  const back = path.join(fx.dir, 'out', 'slow-back.bin');
  await resumableDownload(fx.client, { bucket: BUCKET, key: 'pace/slow.bin', file: back, disableCheckpoint: true });
  assert.equal(await sha256File(back), sha);
});

/** A cap that also records when each grant it makes may leave: exactly what it lets through, when. */
class RecordingLimit extends BandwidthLimit {
  readonly grants: Array<{ t: number; bytes: number }> = [];
  override reserve(bytes: number): number {
    const wait = super.reserve(bytes);
    this.grants.push({ t: performance.now() + wait, bytes });
    return wait;
  }
  /** The grants as a running byte count, for rateFigures. */
  samples(): Array<{ t: number; bytes: number }> {
    let total = 0;
    return [...this.grants].sort((a, b) => a.t - b.t).map((g) => ({ t: g.t, bytes: (total += g.bytes) }));
  }
}

test('an 8 MB/s cap shared by an upload and a download at once: no 5-second window of what it lets through, nor of the upload at the link, passes it by more than 5 %', async () => {
  const cap = 8 * MiB;
  const up = await seed('pace/cap-src.bin', 32 * MiB);
  const down = await seed('pace/cap-down.bin', 32 * MiB);
  const limit = new RecordingLimit(cap);
  const upLink = sampleBytes(() => wide.stats().bytesUp);
  const dest = path.join(fx.dir, 'out', 'cap-down.bin');
  const started = performance.now();
  await Promise.all([
    resumableUpload(wideClient, { bucket: BUCKET, key: 'pace/cap-up.bin', file: up.file, bandwidthLimit: limit, disableCheckpoint: true }),
    resumableDownload(wideClient, { bucket: BUCKET, key: 'pace/cap-down.bin', file: dest, bandwidthLimit: limit, disableCheckpoint: true }),
  ]);
  const seconds = (performance.now() - started) / 1000;
  const u = rateFigures(upLink.stop());
  // Measured where the cap acts (each upload chunk and each downloaded chunk waits for its grant), not
  // through progress callbacks: those report at most every 250 ms, so a window between two of them
  // can hold a quarter second more than five seconds' worth of bytes.
  const granted = limit.samples();
  const f = rateFigures(granted);
  assert.equal(await sha256File(dest), down.sha);
  assert.ok(granted[granted.length - 1]!.bytes >= 64 * MiB, `every byte both ways went through the cap (${granted[granted.length - 1]!.bytes})`);
  assert.ok(seconds >= 6.5, `64 MiB at 8 MB/s takes about 8 s, not ${seconds.toFixed(1)} s`);
  assert.ok(f.maxWindow !== undefined && f.maxWindow <= cap * 1.05, `both together, busiest 5-s window ${(f.maxWindow! / MiB).toFixed(2)} MB/s`);
  // The upload is paced before its bytes leave: at the link it keeps its share just the same.
  assert.ok(u.maxWindow !== undefined && u.maxWindow <= cap * 1.05, `the upload at the link, busiest 5-s window ${(u.maxWindow! / MiB).toFixed(2)} MB/s`);
});

test('the manager applies ossTransfer.bandwidthLimit across its files: three downloads share one cap', async () => {
  const cap = 6 * MiB;
  const specs = [];
  for (let i = 0; i < 3; i++) {
    await seed(`pace/many-${i}.bin`, 24 * MiB);
    specs.push({ direction: 'download' as const, profileId: 'p', bucket: BUCKET, key: `pace/many-${i}.bin`, file: path.join(fx.dir, 'out', `many-${i}.bin`), size: 24 * MiB });
  }
  // The manager's own cap, recording what it lets the downloads read and when (the emulated link
  // itself may run ahead of that by the socket buffers of each connection, see README "Bandwidth
  // limit"; progress reports, every 250 ms, would blur a 5-second window by 5 %).
  const limit = new RecordingLimit(0);
  const mgr = new TransferManager({
    clientFor: async () => wideClient,
    checkpointDir: path.join(fx.dir, 'mgr-cpt'),
    settings: () => ({ concurrentFiles: 16, disableCheckpoint: false, bandwidthLimit: cap }),
    bandwidthLimit: limit,
  });
  try {
    const started = performance.now();
    const r = await mgr.startBatch('three', specs).result;
    const seconds = (performance.now() - started) / 1000;
    const granted = limit.samples();
    const f = rateFigures(granted);
    assert.equal(r.done.length, 3);
    assert.equal(limit.bytesPerSecond, cap, 'the setting reached the cap');
    assert.ok(granted[granted.length - 1]!.bytes >= 72 * MiB, `every file's bytes went through the cap (${granted[granted.length - 1]!.bytes})`);
    assert.ok(seconds >= 9, `72 MiB at 6 MB/s takes about 12 s, not ${seconds.toFixed(1)} s`);
    assert.ok(f.maxWindow !== undefined && f.maxWindow <= cap * 1.05, `busiest 5-s window ${(f.maxWindow! / MiB).toFixed(2)} MB/s`);
    assert.ok(f.mean <= cap * 1.05, `mean ${(f.mean / MiB).toFixed(2)} MB/s`);
  } finally {
    await mgr.close();
  }
});

test('a cap kept by the server: every part request carries its share as x-oss-traffic-limit, and the server holds the link to the cap', async () => {
  const cap = 2 * MiB;
  const { file } = await seed('pace/server-src.bin', 10 * MiB);
  fx.server.stats.reset();
  const sampler = sampleBytes(() => thin.stats().bytesUp);
  await resumableUpload(client, { bucket: BUCKET, key: 'pace/server.bin', file, bandwidthLimit: cap, bandwidthLimitBy: 'server', disableCheckpoint: true });
  const f = rateFigures(sampler.stop());
  const limits = fx.server.stats.trafficLimits('UploadPart');
  assert.ok(limits.length >= 2, 'a multipart upload');
  assert.deepEqual([...new Set(limits)], [(cap * 8) / 4], 'four requests of a quarter of the cap each');
  assert.equal(fx.server.stats.get('UploadPart').requests, limits.length, 'every part carried it');
  assert.ok(f.maxWindow === undefined || f.maxWindow <= cap * 1.05, `busiest 5-s window ${((f.maxWindow ?? 0) / MiB).toFixed(2)} MB/s`);
  assert.ok(f.mean <= cap * 1.05, `mean ${(f.mean / MiB).toFixed(2)} MB/s`);
  await fsp.rm(file);
});
