// One benchmark variant, run in its own process so its peak RSS, CPU time and file-system calls
// are its own. The parent (run.ts) passes a BENCH_SPEC and reads one JSON line back.
import { createWriteStream, promises as fsp } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { OssClient } from '../../src/oss/index.js';
import { BandwidthLimit, LinkPacer, timingFor, resumableDownload, resumableUpload, startRequests, type DownloadOptions, type UploadOptions } from '../../src/transfer/index.js';
import { countFsCalls, type FsCounts } from './fsCallCounter.js';
import { rateFigures, sampleBytes, type RateFigures } from './rateWindows.js';
import type { SmallVariantSpec } from './smallFilesSpec.js';
import { runSmallVariant, type AliSmallClient } from './smallFilesVariant.js';

export type VariantName =
  | 'engine-upload'
  | 'engine-upload-limited'
  | 'engine-download-limited'
  | 'alioss-upload'
  | 'alioss-upload-defaults'
  | 'raw-put'
  | 'raw-parallel-put'
  | 'engine-download'
  | 'alioss-get'
  | 'raw-get'
  | 'raw-parallel-get';

export interface Connection {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
}

export interface VariantSpec extends Connection {
  kind: 'big';
  variant: VariantName;
  key: string;
  /** upload source or download destination */
  file: string;
  size: number;
  /** Undefined: the engine's own choice (adaptive); ali-oss and the raw variants always get a number. */
  partSize?: number;
  parallel?: number;
  checkpointDir: string;
  /** The -limited variants: the cap in bytes per second, and who keeps it. */
  bandwidthLimit?: number;
  bandwidthLimitBy?: 'client' | 'server';
}

export interface VariantReport {
  variant: string;
  seconds: number;
  cpuSeconds: number;
  /** kernel share of cpuSeconds (file flushes show up here) */
  systemSeconds: number;
  maxRssMb: number;
  /** File-system calls while the clock ran (fsCallCounter.ts). */
  fs: FsCounts;
  crc64?: string;
  /** Time the CompleteMultipartUpload request took, as the client saw it. */
  completeSeconds?: number;
  /** Small files: how many moved. */
  files?: number;
  /** The -limited variants: the bytes the engine moved (its progress), over time (see rateWindows.ts). */
  movedRates?: RateFigures;
}

let completeSeconds: number | undefined;
let movedRates: RateFigures | undefined;

interface AliClient extends AliSmallClient {
  multipartUpload(name: string, file: string, options: Record<string, unknown>): Promise<unknown>;
  get(name: string, file: string, options?: Record<string, unknown>): Promise<unknown>;
}

type AliConstructor = new (o: Record<string, unknown>) => AliClient;

/**
 * Our client as the extension builds it: Signature V4, its default. BENCH_SIGNATURE=v1 signs as
 * ali-oss does by default (V1), for equal settings: the test server verifies every signature in the
 * same thread as the emulated link, and V4 costs it several HMACs more per request.
 */
function ours(c: Connection, connections?: number): OssClient {
  const signatureVersion = process.env.BENCH_SIGNATURE === 'v1' ? 'v1' : 'v4';
  return new OssClient({ accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, endpoint: c.endpoint, region: 'cn-hangzhou', signatureVersion, ...(connections ? { connections } : {}) });
}

function aliFactory(c: Connection, OSS: AliConstructor | undefined): () => AliClient {
  return () => {
    if (!OSS) throw new Error('ali-oss was not loaded');
    return new OSS({
      endpoint: c.endpoint, accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret,
      bucket: c.bucket, region: 'oss-cn-hangzhou', timeout: 600_000,
    });
  };
}

/** `parallel` slices of the file, as many raw streams at once: what the link carries in parallel, no engine around it. */
function slices(size: number, parallel: number): Array<{ start: number; length: number }> {
  const n = Math.max(1, Math.min(parallel, size));
  const each = Math.ceil(size / n);
  return Array.from({ length: n }, (_, i) => ({ start: i * each, length: Math.max(0, Math.min(each, size - i * each)) }));
}

/**
 * The engine's options as the variant passes them: only what the bench was told to fix. With
 * BENCH_TRACE=1 the transfer gets a LinkPacer made here (the same one it would make itself) whose
 * target, requests in flight and rate go to stderr twice a second.
 */
function engineOptions(spec: VariantSpec): { opts: Partial<UploadOptions>; done(): void } {
  const opts: Partial<UploadOptions> = { bucket: spec.bucket, key: spec.key, file: spec.file, checkpointDir: spec.checkpointDir };
  if (spec.partSize !== undefined) opts.partSize = spec.partSize;
  if (spec.parallel !== undefined) opts.parallel = spec.parallel;
  // One BandwidthLimit, as the engine would make from the number, which the pacer below watches too.
  const limit = spec.bandwidthLimit !== undefined ? new BandwidthLimit(spec.bandwidthLimit) : undefined;
  if (limit) opts.bandwidthLimit = limit;
  if (spec.bandwidthLimitBy !== undefined) opts.bandwidthLimitBy = spec.bandwidthLimitBy;
  const traced = process.env.BENCH_TRACE === '1';
  if ((!traced && !limit) || spec.parallel !== undefined || spec.bandwidthLimitBy === 'server') return { opts, done: () => undefined };
  // The LinkPacer the engine would make for itself, made here to watch it: every byte it is told
  // of (BENCH_LIMIT: the bytes moved, sampled as the parent samples the link), and with
  // BENCH_TRACE its target, requests in flight and MB/s twice a second on stderr.
  const direction = spec.variant.startsWith('engine-upload') ? 'upload' : 'download';
  const pacer = new LinkPacer({ initial: startRequests(spec.bandwidthLimit), ...timingFor(direction), ...(limit ? { limit } : {}) });
  opts.pacer = pacer;
  let moved = 0;
  const report = pacer.moved.bind(pacer);
  pacer.moved = (n) => {
    moved += n;
    report(n);
  };
  const sampler = limit ? sampleBytes(() => moved) : undefined;
  const t0 = performance.now();
  let last = 0;
  const timer = traced
    ? setInterval(() => {
        const mbps = (moved - last) / 1024 / 1024 / 0.5;
        last = moved;
        process.stderr.write(`  ${spec.variant} t=${((performance.now() - t0) / 1000).toFixed(1)}s target=${pacer.target} in flight=${pacer.inFlight} ${mbps.toFixed(1)} MB/s\n`);
      }, 500)
    : undefined;
  return {
    opts,
    done: () => {
      if (timer) clearInterval(timer);
      if (sampler) movedRates = rateFigures(sampler.stop());
      pacer.close();
    },
  };
}

async function run(spec: VariantSpec, OSS: AliConstructor | undefined): Promise<string | undefined> {
  const ali = aliFactory(spec, OSS);
  switch (spec.variant) {
    case 'engine-upload-limited':
    case 'engine-upload': {
      const c = ours(spec);
      const complete = c.completeMultipartUpload.bind(c);
      c.completeMultipartUpload = async (o) => {
        const t = process.hrtime.bigint();
        try {
          return await complete(o);
        } finally {
          completeSeconds = Number(process.hrtime.bigint() - t) / 1e9;
        }
      };
      const e = engineOptions(spec);
      const r = await resumableUpload(c, e.opts as UploadOptions);
      e.done();
      await c.close();
      return r.crc64;
    }
    case 'engine-download-limited':
    case 'engine-download': {
      const c = ours(spec);
      const e = engineOptions(spec);
      const r = await resumableDownload(c, e.opts as DownloadOptions);
      e.done();
      await c.close();
      return r.crc64;
    }
    case 'raw-put': {
      const c = ours(spec);
      await c.putObject({ bucket: spec.bucket, key: spec.key, body: { file: spec.file }, contentLength: spec.size });
      await c.close();
      return undefined;
    }
    case 'raw-parallel-put': {
      // One object per slice (`<key>-0`, `<key>-1`, ...): plain PutObjects, no multipart bookkeeping.
      const c = ours(spec);
      await Promise.all(slices(spec.size, spec.parallel!).map((s, i) => c.putObject({ bucket: spec.bucket, key: `${spec.key}-${i}`, body: { file: spec.file, ...s }, contentLength: s.length })));
      await c.close();
      return undefined;
    }
    case 'raw-get': {
      const c = ours(spec);
      const r = await c.getObject({ bucket: spec.bucket, key: spec.key });
      await pipeline(r.body, createWriteStream(spec.file, { highWaterMark: 1024 * 1024 }));
      await c.close();
      return undefined;
    }
    case 'raw-parallel-get': {
      // Ranged GETs at once, each streamed into its place in the file as raw-get streams the whole:
      // no CRC, no flush, no checkpoint.
      const c = ours(spec);
      await (await fsp.open(spec.file, 'w')).close();
      await Promise.all(
        slices(spec.size, spec.parallel!).map(async (s) => {
          const r = await c.getObject({ bucket: spec.bucket, key: spec.key, range: { start: s.start, end: s.start + s.length - 1 } });
          await pipeline(r.body, createWriteStream(spec.file, { flags: 'r+', start: s.start, highWaterMark: 1024 * 1024 }));
        }),
      );
      await c.close();
      return undefined;
    }
    case 'alioss-upload':
    case 'alioss-upload-defaults': {
      const a = ali() as AliClient & { completeMultipartUpload: (...args: unknown[]) => Promise<unknown> };
      const complete = a.completeMultipartUpload.bind(a);
      a.completeMultipartUpload = async (...args: unknown[]) => {
        const t = process.hrtime.bigint();
        try {
          return await complete(...args);
        } finally {
          completeSeconds = Number(process.hrtime.bigint() - t) / 1e9;
        }
      };
      // The defaults variant passes nothing: ali-oss then uses 1 MiB parts, 5 at a time.
      const settings = spec.variant === 'alioss-upload' ? { partSize: spec.partSize, parallel: spec.parallel } : {};
      await a.multipartUpload(spec.key, spec.file, settings);
      return undefined;
    }
    case 'alioss-get':
      await ali().get(spec.key, spec.file);
      return undefined;
  }
}

interface Clock {
  t0: bigint;
  cpu0: NodeJS.CpuUsage;
  fs0: FsCounts;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.BENCH_SPEC ?? '') as VariantSpec | (SmallVariantSpec & Connection);
  await fsp.mkdir(spec.checkpointDir, { recursive: true });
  // Loaded before the clock starts, as our bundle is: loading a library is not transfer time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const OSS = spec.variant.startsWith('alioss') ? (require('ali-oss') as AliConstructor) : undefined;
  const fsCounts = await countFsCalls();
  let clock: Clock | undefined;
  const start = (): void => {
    clock ??= { t0: process.hrtime.bigint(), cpu0: process.cpuUsage(), fs0: fsCounts() };
  };
  let crc64: string | undefined;
  let files: number | undefined;
  if (spec.kind === 'small') {
    // A raw pool above the client's 16 connections gets one connection per worker.
    const client = ours(spec, spec.variant.startsWith('raw-') && spec.concurrency > 16 ? spec.concurrency : undefined);
    files = await runSmallVariant(spec, { client, bucket: spec.bucket, ali: aliFactory(spec, OSS), start });
    await client.close();
  } else {
    start();
    crc64 = await run(spec, OSS);
  }
  const seconds = Number(process.hrtime.bigint() - clock!.t0) / 1e9;
  const cpu = process.cpuUsage(clock!.cpu0);
  const fs1 = fsCounts();
  const fs0 = clock!.fs0;
  const report: VariantReport = {
    variant: spec.variant,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    systemSeconds: cpu.system / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    fs: { fsyncs: fs1.fsyncs - fs0.fsyncs, renames: fs1.renames - fs0.renames, unlinks: fs1.unlinks - fs0.unlinks, opens: fs1.opens - fs0.opens },
    ...(crc64 !== undefined ? { crc64 } : {}),
    ...(completeSeconds !== undefined ? { completeSeconds } : {}),
    ...(files !== undefined ? { files } : {}),
    ...(movedRates !== undefined ? { movedRates } : {}),
  };
  process.stdout.write(`BENCH ${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`variant failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
