// `npm run bench`: times this engine against ali-oss and against the raw limit (one stream, and
// as many streams as the engine runs parts) on one local test server, each variant in its own
// process. BENCH_SIZE sets the size (bytes, or with K/M/G suffix; default 1G); BENCH_PART_MB /
// BENCH_PARALLEL override the engine's defaults (ali-oss gets the same values); BENCH_ROUNDS
// (default 3) repeats the whole set in a rotated order and reports each variant's median, and each
// ratio as the median of the rounds' own ratios. BENCH_SMALL=1000x4K times many small files
// instead (smallFilesBench.ts); BENCH_SYNC=2000x16K times folder sync (syncBench.ts).
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Crc64 } from '../../src/oss/crc/crc64.js';
import { FastCrc64 } from '../../src/oss/crc/crc64Wasm.js';
import { OssClient } from '../../src/oss/index.js';
import { DEFAULT_UPLOAD_PARALLEL, defaultPartSize } from '../../src/transfer/index.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { fmt, median, roundRatio } from './benchFigures.js';
import type { VariantName, VariantSpec } from './benchVariant.js';
import { rateFigures, sampleBytes } from './rateWindows.js';
import { parseSmallFiles, runSmallFilesBench } from './smallFilesBench.js';
import { runSyncBench } from './syncBench.js';
import { bundleVariant, runMeasured, settleDisk, type Measured } from './variantProcess.js';
import { describeWanProfile, parseWanProfile, startWanLink, type WanLink } from './wanLink.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const CREDS = { accessKeyId: 'bench-ak', accessKeySecret: 'bench-sk' };
const BUCKET = 'bench';

function parseSize(s: string | undefined): number {
  if (!s) return GiB;
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)i?B?$/i.exec(s.trim());
  if (!m) throw new Error(`BENCH_SIZE: cannot read ${JSON.stringify(s)} (try 256M or 1G)`);
  const unit = { '': 1, K: 1024, M: MiB, G: GiB }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Math.round(Number(m[1]) * unit);
}

/** Random file written in 4 MiB chunks; returns its CRC-64 (computed while writing). */
async function makeFile(file: string, size: number): Promise<string> {
  const fh = await fsp.open(file, 'w');
  const crc = new Crc64();
  try {
    for (let off = 0; off < size; off += 4 * MiB) {
      const chunk = randomBytes(Math.min(4 * MiB, size - off));
      crc.update(chunk);
      await fh.write(chunk, 0, chunk.length, off);
    }
  } finally {
    await fh.close();
  }
  return crc.digest();
}

/** CRC-64 throughput in MB/s over 64 KB chunks (what a socket delivers), for both implementations. */
function crcSpeed(): { js: number; wasm: number } {
  const buf = randomBytes(64 * MiB);
  const time = (crc: { update(d: Uint8Array): unknown }): number => {
    // Warm up over the whole buffer: WebAssembly starts in V8's baseline tier and is optimised in
    // the background (here within the first 8 MiB), so the figure is the optimised code's.
    for (let p = 0; p < buf.length; p += 65536) crc.update(buf.subarray(p, p + 65536));
    const t0 = process.hrtime.bigint();
    for (let rep = 0; rep < 4; rep++) for (let p = 0; p < buf.length; p += 65536) crc.update(buf.subarray(p, p + 65536));
    return (4 * 64) / (Number(process.hrtime.bigint() - t0) / 1e9);
  };
  return { js: time(new Crc64()), wasm: time(new FastCrc64()) };
}

const UPLOADS: VariantName[] = ['raw-put', 'raw-parallel-put', 'alioss-upload', 'alioss-upload-defaults', 'engine-upload', 'engine-upload-limited'];
const DOWNLOADS: VariantName[] = ['raw-get', 'raw-parallel-get', 'alioss-get', 'engine-download', 'engine-download-limited'];
/** Only run when BENCH_LIMIT asks for them. */
const LIMITED: VariantName[] = ['engine-upload-limited', 'engine-download-limited'];

interface ReportContext {
  size: number;
  rounds: number;
  rawStreams: number;
  /** The emulated link's shared cap, bytes/s: what "of limit" is a share of. */
  sharedLimit?: number;
}

function printReport(results: Map<VariantName, Measured[]>, { size, rounds, rawStreams, sharedLimit }: ReportContext): void {
  const gib = size / GiB;
  const mbps = (r: Measured) => size / MiB / r.seconds;
  const conns = [...results.values()].every((rs) => rs.every((r) => r.connections !== undefined));
  console.log(
    `\nmedian of ${rounds} round(s); MB/s range in brackets; "of raw": share of what ${rawStreams} raw streams at once carry in that round` +
      (sharedLimit ? `; "of limit": share of the link's shared cap (${fmt(sharedLimit / MiB)} MB/s)` : '') +
      (conns ? '; conns: connections opened through the emulated WAN' : ''),
  );
  console.log(
    `${'variant'.padEnd(24)}    MB/s   [min - max]     of raw${sharedLimit ? '  of limit' : ''}  peak RSS MB  CPU s/GiB  (of it kernel)  machine CPU s/GiB until on disk${conns ? '  conns' : ''}`,
  );
  for (const v of [...UPLOADS, ...DOWNLOADS]) {
    const rs = results.get(v);
    if (!rs) continue;
    const speeds = rs.map(mbps);
    const range = `[${fmt(Math.min(...speeds), 0)} - ${fmt(Math.max(...speeds), 0)}]`;
    // Paired per round, as the ratios below: the link's capacity at that moment.
    const link = results.get(UPLOADS.includes(v) ? 'raw-parallel-put' : 'raw-parallel-get');
    const share = link ? `${fmt(roundRatio(rs, link, (r) => 1 / r.seconds).median * 100, 0)} %` : '';
    const ofLimit = sharedLimit ? `${fmt(((median(speeds) * MiB) / sharedLimit) * 100, 0)} %`.padStart(10) : '';
    console.log(
      `${v.padEnd(24)} ${fmt(median(speeds)).padStart(7)}   ${range.padEnd(14)} ${share.padStart(7)}${ofLimit} ${fmt(median(rs.map((r) => r.maxRssMb))).padStart(12)} ` +
        `${fmt(median(rs.map((r) => r.cpuSeconds)) / gib, 2).padStart(10)} ${fmt(median(rs.map((r) => r.systemSeconds)) / gib, 2).padStart(14)}` +
        (rs.every((r) => r.machineSeconds !== undefined) ? fmt(median(rs.map((r) => r.machineSeconds!)) / gib, 2).padStart(17) : '') +
        (conns ? fmt(median(rs.map((r) => r.connections!)), 0).padStart(28) : ''),
    );
  }
  const ratio = (a: VariantName, b: VariantName, what: string, partsOnly = false) => {
    const xs = results.get(a);
    const ys = results.get(b);
    if (!xs || !ys) return;
    const n = Math.min(xs.length, ys.length);
    const secs = (r: Measured) => (partsOnly ? r.seconds - (r.completeSeconds ?? 0) : r.seconds);
    const speed = roundRatio(xs, ys, (r) => 1 / secs(r));
    const cpu = roundRatio(xs, ys, (r) => r.cpuSeconds);
    const withMachine = xs.slice(0, n).every((x, i) => x.machineSeconds !== undefined && ys[i]!.machineSeconds !== undefined);
    const machine = withMachine ? ` (machine, until on disk: ${fmt(roundRatio(xs, ys, (r) => r.machineSeconds!).median, 2)}x)` : '';
    console.log(`${what.padEnd(46)} speed ${speed.text}   CPU ${fmt(cpu.median, 2)}x${machine}`);
  };
  console.log('\nratios (median of per-round ratios [min-max]; CPU: ours / theirs, lower is better)');
  ratio('engine-upload', 'alioss-upload-defaults', "engine upload vs ali-oss's own defaults (1 MiB parts x 5)");
  ratio('engine-upload', 'alioss-upload', '  vs ali-oss multipartUpload at fixed settings');
  ratio('engine-upload', 'alioss-upload', '  part phases only (without Complete)', true);
  ratio('engine-upload', 'raw-put', 'engine upload vs raw PutObject');
  ratio('engine-upload', 'raw-parallel-put', `engine upload vs ${rawStreams} raw PutObjects at once`);
  ratio('engine-download', 'alioss-get', 'engine download vs ali-oss get');
  ratio('engine-download', 'raw-get', 'engine download vs raw GetObject');
  ratio('engine-download', 'raw-parallel-get', `engine download vs ${rawStreams} raw ranged GETs at once`);
  const completes = (['alioss-upload', 'alioss-upload-defaults', 'engine-upload'] as const).filter((v) => results.get(v)?.some((r) => r.completeSeconds !== undefined));
  if (completes.length > 0) {
    console.log("\nthe test server's CompleteMultipartUpload (median seconds, and the part phase's speed alone):");
    for (const v of completes) {
      const rs = results.get(v)!;
      const partsMbps = median(rs.map((r) => size / MiB / (r.seconds - (r.completeSeconds ?? 0))));
      console.log(`  ${v.padEnd(22)} Complete ${fmt(median(rs.map((r) => r.completeSeconds ?? 0)), 2)} s; parts alone ${fmt(partsMbps)} MB/s`);
    }
  }
}

/**
 * Where the test server keeps its objects. A real OSS server never shares the client's disk, but a
 * local one does: its writes (a GiB per upload variant) then queue in front of the client's
 * checkpoint fsyncs and flushes, and their writeback lands in the client's measurements. So the
 * server's data goes to /dev/shm when it exists and has room for every uploaded copy (about six
 * times the size), else beside the client's files; BENCH_SERVER_DIR picks the place explicitly.
 */
async function serverDataDir(clientDir: string, size: number): Promise<string> {
  const chosen = process.env.BENCH_SERVER_DIR;
  if (chosen) return fsp.mkdtemp(path.join(chosen, 'oss-bench-server-'));
  try {
    const s = await fsp.statfs('/dev/shm');
    if (s.bavail * s.bsize > 6 * size + GiB) return await fsp.mkdtemp('/dev/shm/oss-bench-server-');
  } catch {
    // no /dev/shm (macOS, Windows) or not usable
  }
  return path.join(clientDir, 'server');
}

interface BenchSetup {
  /** The bench's own client, straight to the server: seeding and checks. */
  direct: OssClient;
  server: OssServer;
  link: WanLink | undefined;
  /** The emulated link's shared cap, bytes/s, when it has one. */
  sharedLimit: number | undefined;
  /** Where the variants connect: the server, or the emulated WAN in front of it. */
  variantEndpoint: string;
  dir: string;
  rounds: number;
  only: string[] | undefined;
}

/** "20MB" (MB/s as the report counts them, 2^20 bytes) or a number of bytes per second. */
function parseLimit(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(MB)?$/i.exec(text.trim());
  if (!m) throw new Error(`BENCH_LIMIT: cannot read ${JSON.stringify(text)} (try 20MB)`);
  return Math.round(Number(m[1]) * (m[2] ? MiB : 1));
}

async function bigFileBench(s: BenchSetup): Promise<void> {
  const size = parseSize(process.env.BENCH_SIZE);
  // The engine gets a part size or parallelism only when told to: otherwise it adapts.
  const forcedPart = process.env.BENCH_PART_MB ? Math.round(Number(process.env.BENCH_PART_MB) * MiB) : undefined;
  const forcedParallel = process.env.BENCH_PARALLEL ? Number(process.env.BENCH_PARALLEL) : undefined;
  // ali-oss "at fixed settings": those, or the engine's fixed defaults before it adapted.
  const fixed = { up: forcedPart ?? defaultPartSize(size, 'upload'), down: forcedPart ?? defaultPartSize(size, 'download'), parallel: forcedParallel ?? DEFAULT_UPLOAD_PARALLEL };
  const rawStreams = Number(process.env.BENCH_RAW_STREAMS ?? forcedParallel ?? 16);
  const limit = process.env.BENCH_LIMIT ? parseLimit(process.env.BENCH_LIMIT) : undefined;
  const limitBy = process.env.BENCH_LIMIT_BY === 'server' ? 'server' : 'client';
  const { direct: client, dir, rounds, only } = s;
  console.log(
    `bench: ${fmt(size / MiB, 0)} MiB, engine ${forcedPart || forcedParallel ? `part ${forcedPart ? fmt(forcedPart / MiB) : 'auto'} MiB, parallel ${forcedParallel ?? 'auto'}` : 'at its defaults (adaptive)'}, ` +
      `ali-oss at fixed settings: part up ${fmt(fixed.up / MiB)} / down ${fmt(fixed.down / MiB)} MiB x ${fixed.parallel}, raw streams ${rawStreams}` +
      `${limit ? `, bandwidth limit ${fmt(limit / MiB)} MB/s (${limitBy})` : ''}, ${rounds} round(s)`,
  );
  const src = path.join(dir, 'source.bin');
  const crc = await makeFile(src, size);
  const base = { kind: 'big' as const, endpoint: s.variantEndpoint, ...CREDS, bucket: BUCKET, size, checkpointDir: path.join(dir, 'cpt') };
  // What each upload left on the server must be the source: one object, or raw-parallel-put's slices.
  const checkUpload = async (variant: VariantName, key: string): Promise<void> => {
    if (variant === 'raw-parallel-put') {
      let total = 0;
      for (let i = 0; i < rawStreams && total < size; i++) total += (await client.headObject({ bucket: BUCKET, key: `${key}-${i}` })).size;
      if (total !== size) throw new Error(`${variant}: the uploaded slices hold ${total} bytes, not ${size}`);
      return;
    }
    const head = await client.headObject({ bucket: BUCKET, key });
    if (head.size !== size || head.crc64 !== crc) throw new Error(`${variant}: the uploaded object does not match the source`);
  };
  const uploads: Array<[VariantName, string]> = [
    ['raw-put', 'bench/raw'],
    ['raw-parallel-put', 'bench/raw-parallel'],
    ['alioss-upload', 'bench/alioss'],
    ['alioss-upload-defaults', 'bench/alioss-defaults'],
    ['engine-upload', 'bench/engine'],
    ['engine-upload-limited', 'bench/engine-limited'],
  ];
  const settings = (variant: VariantName, direction: 'up' | 'down'): Pick<VariantSpec, 'partSize' | 'parallel' | 'bandwidthLimit' | 'bandwidthLimitBy'> => {
    if (variant.startsWith('raw-parallel')) return { parallel: rawStreams };
    if (variant.startsWith('alioss')) return { partSize: direction === 'up' ? fixed.up : fixed.down, parallel: fixed.parallel };
    if (!variant.startsWith('engine')) return {};
    const out: Pick<VariantSpec, 'partSize' | 'parallel' | 'bandwidthLimit' | 'bandwidthLimitBy'> = {};
    if (forcedPart !== undefined) out.partSize = forcedPart;
    if (forcedParallel !== undefined) out.parallel = forcedParallel;
    if (LIMITED.includes(variant)) Object.assign(out, { bandwidthLimit: limit, bandwidthLimitBy: limitBy });
    return out;
  };
  const skip = (variant: VariantName) => (only && !only.includes(variant)) || (LIMITED.includes(variant) && limit === undefined);
  // Bytes across the link while a variant runs: the emulated WAN's deliveries, else the server's body bytes.
  const counter = (direction: 'up' | 'down') => () =>
    s.link ? s.link.stats()[direction === 'up' ? 'bytesUp' : 'bytesDown'] : s.server.stats.total()[direction === 'up' ? 'bytesIn' : 'bytesOut'];
  const measure = async (spec: VariantSpec, direction: 'up' | 'down'): Promise<Measured> => {
    const conns0 = s.link?.stats().connections;
    const sampler = LIMITED.includes(spec.variant) ? sampleBytes(counter(direction)) : undefined;
    const r = await runMeasured(spec, spec.variant);
    if (sampler) r.rates = rateFigures(sampler.stop());
    if (conns0 !== undefined) r.connections = s.link!.stats().connections - conns0;
    return r;
  };
  const results = new Map<VariantName, Measured[]>();
  const keep = (r: Measured) => results.set(r.variant as VariantName, [...(results.get(r.variant as VariantName) ?? []), r]);
  for (let round = 0; round < rounds; round++) {
    // Rotate the order every round so no variant always runs first (on a cold page cache) or last.
    const order = <T>(list: T[]): T[] => list.map((_, i) => list[(i + round) % list.length]!);
    for (const [variant, key] of order(uploads)) {
      if (skip(variant)) continue;
      settleDisk();
      const spec: VariantSpec = { ...base, variant, key, file: src, ...settings(variant, 'up') };
      const r = await measure(spec, 'up');
      await checkUpload(variant, key);
      keep(r);
    }
    // The downloads read the engine's upload; seed it directly when that variant was skipped.
    if (round === 0 && !results.has('engine-upload')) await client.putObject({ bucket: BUCKET, key: 'bench/engine', body: { file: src } });
    for (const variant of order(DOWNLOADS)) {
      if (skip(variant)) continue;
      settleDisk();
      const dest = path.join(dir, `${variant}.out`);
      const spec: VariantSpec = { ...base, variant, key: 'bench/engine', file: dest, ...settings(variant, 'down') };
      const r = await measure(spec, 'down');
      if ((await fsp.stat(dest)).size !== size) throw new Error(`${variant}: wrong size downloaded`);
      if (r.crc64 !== undefined && r.crc64 !== crc) throw new Error(`${variant}: CRC-64 differs from the source`);
      await fsp.rm(dest, { force: true });
      keep(r);
    }
  }
  printReport(results, { size, rounds, rawStreams, ...(s.sharedLimit ? { sharedLimit: s.sharedLimit } : {}) });
  if (limit !== undefined) printLimitReport(results, limit, limitBy, s.link !== undefined);
}

/** How close each -limited variant stayed to the cap: over the whole transfer and over every 5-second window. */
function printLimitReport(results: Map<VariantName, Measured[]>, limit: number, by: string, wan: boolean): void {
  console.log(
    `\nbandwidth limit ${fmt(limit / MiB)} MB/s kept by the ${by}, sampled every 100 ms ${wan ? 'as bytes the emulated WAN delivered' : "at the test server's body counters"} ("at the link") ` +
      "and as the engine's progress counted them (\"as moved\": a download's bytes once read off the socket)",
  );
  const pct = (x: number | undefined) => (x === undefined ? '-' : `${fmt(x / MiB)} MB/s (${fmt((x / limit) * 100, 1)} %)`);
  for (const v of LIMITED) {
    for (const r of results.get(v) ?? []) {
      for (const [where, f] of [['at the link', r.rates], ['as moved', r.movedRates]] as const) {
        if (!f) continue;
        console.log(`  ${v.padEnd(24)} ${where.padEnd(11)} over ${fmt(f.seconds)} s: ${pct(f.mean)}; busiest 5-s window ${pct(f.maxWindow)}, quietest ${pct(f.minWindow)}`);
      }
    }
  }
}

async function main(): Promise<void> {
  const sync = process.env.BENCH_SYNC ? parseSmallFiles(process.env.BENCH_SYNC) : undefined;
  const small = sync ?? (process.env.BENCH_SMALL ? parseSmallFiles(process.env.BENCH_SMALL) : undefined);
  // What the server will hold at most: six copies of the big file, or every variant's small files.
  const footprint = small ? 2 * small.count * Math.max(small.size, 4096) : parseSize(process.env.BENCH_SIZE);
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
  const only = process.env.BENCH_ONLY?.split(',');
  const dir = await fsp.mkdtemp(path.join(tmpdir(), 'oss-bench-'));
  const serverDir = await serverDataDir(dir, footprint);
  const server = await startOssServer({ port: 0, dataDir: serverDir, credentials: [CREDS], buckets: [BUCKET] });
  const client = new OssClient({ ...CREDS, endpoint: server.endpoint, region: 'cn-hangzhou' });
  // BENCH_WAN="30ms,25MB": the variants reach the server through a relay adding that round trip
  // and per-connection cap, optionally a shared cap and losses (the bench's own checks still go direct).
  const wan = process.env.BENCH_WAN ? parseWanProfile(process.env.BENCH_WAN) : undefined;
  let link: WanLink | undefined;
  try {
    if (wan) link = await startWanLink({ host: '127.0.0.1', port: server.port }, wan);
    console.log(`server data in ${serverDir}${serverDir.startsWith('/dev/shm/') ? " (in memory: a real server never shares the client's disk)" : " (on disk, shared with the client's files)"}`);
    console.log(`server ${server.endpoint}${wan ? ` through an emulated WAN (${describeWanProfile(wan)})` : ''}, load average ${fmt(loadavg()[0]!, 2)}`);
    await bundleVariant(dir);
    const s: BenchSetup = { direct: client, server, link, sharedLimit: wan?.sharedBytesPerSecond, variantEndpoint: link?.endpoint ?? server.endpoint, dir, rounds, only };
    if (sync) {
      await runSyncBench({
        ...sync,
        connection: { endpoint: s.variantEndpoint, ...CREDS, bucket: BUCKET },
        direct: client,
        dir,
        rounds,
        only,
      });
    } else if (small) {
      await runSmallFilesBench({
        ...small,
        connection: { endpoint: s.variantEndpoint, ...CREDS, bucket: BUCKET },
        direct: client,
        dir,
        rounds,
        only,
        ...(link ? { connectionsSoFar: () => link!.stats().connections } : {}),
      });
    } else {
      await bigFileBench(s);
    }
    if (link && wan?.lossRate) console.log(`\nthe emulated WAN stalled ${link.stats().stalls} time(s) for lost segments over the whole run`);
    console.log(`\nload average at the end: ${loadavg().map((l) => fmt(l, 2)).join(' ')} (other work on the machine shows here)`);
    if (!small) {
      const speed = crcSpeed();
      console.log(`\nCRC-64 on one core: ${fmt(speed.wasm, 0)} MB/s (engine, WebAssembly), ${fmt(speed.js, 0)} MB/s (src/oss JS)`);
    }
  } finally {
    await client.close();
    await link?.close();
    await server.close();
    await fsp.rm(serverDir, { recursive: true, force: true });
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
