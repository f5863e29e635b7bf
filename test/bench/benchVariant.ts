// One benchmark variant, run in its own process so its peak RSS and CPU time are its own. The
// parent (run.ts) passes a BENCH_SPEC and reads one JSON line back.
import { createWriteStream, promises as fsp } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { OssClient } from '../../src/oss/index.js';
import { resumableDownload, resumableUpload } from '../../src/transfer/index.js';

export type VariantName = 'engine-upload' | 'alioss-upload' | 'alioss-upload-defaults' | 'raw-put' | 'engine-download' | 'alioss-get' | 'raw-get';

export interface VariantSpec {
  variant: VariantName;
  endpoint: string;
  port: number;
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  key: string;
  /** upload source or download destination */
  file: string;
  size: number;
  partSize: number;
  parallel: number;
  checkpointDir: string;
}

export interface VariantReport {
  variant: VariantName;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  /** kernel share of cpuSeconds (file flushes show up here) */
  systemSeconds: number;
  maxRssMb: number;
  crc64?: string;
  /** Time the CompleteMultipartUpload request took, as the client saw it. */
  completeSeconds?: number;
}

let completeSeconds: number | undefined;

interface AliClient {
  multipartUpload(name: string, file: string, options: Record<string, unknown>): Promise<unknown>;
  get(name: string, file: string, options?: Record<string, unknown>): Promise<unknown>;
}

type AliConstructor = new (o: Record<string, unknown>) => AliClient;

async function run(spec: VariantSpec, OSS: AliConstructor | undefined): Promise<string | undefined> {
  const ours = () => new OssClient({ accessKeyId: spec.accessKeyId, accessKeySecret: spec.accessKeySecret, endpoint: spec.endpoint, region: 'cn-hangzhou' });
  const ali = (): AliClient => {
    if (!OSS) throw new Error('ali-oss was not loaded');
    return new OSS({
      endpoint: spec.endpoint, accessKeyId: spec.accessKeyId, accessKeySecret: spec.accessKeySecret,
      bucket: spec.bucket, region: 'oss-cn-hangzhou', timeout: 600_000,
    });
  };
  switch (spec.variant) {
    case 'engine-upload': {
      const c = ours();
      const complete = c.completeMultipartUpload.bind(c);
      c.completeMultipartUpload = async (o) => {
        const t = process.hrtime.bigint();
        try {
          return await complete(o);
        } finally {
          completeSeconds = Number(process.hrtime.bigint() - t) / 1e9;
        }
      };
      const r = await resumableUpload(c, { bucket: spec.bucket, key: spec.key, file: spec.file, partSize: spec.partSize, parallel: spec.parallel, checkpointDir: spec.checkpointDir });
      await c.close();
      return r.crc64;
    }
    case 'engine-download': {
      const c = ours();
      const r = await resumableDownload(c, { bucket: spec.bucket, key: spec.key, file: spec.file, partSize: spec.partSize, parallel: spec.parallel, checkpointDir: spec.checkpointDir });
      await c.close();
      return r.crc64;
    }
    case 'raw-put': {
      const c = ours();
      await c.putObject({ bucket: spec.bucket, key: spec.key, body: { file: spec.file }, contentLength: spec.size });
      await c.close();
      return undefined;
    }
    case 'raw-get': {
      const c = ours();
      const r = await c.getObject({ bucket: spec.bucket, key: spec.key });
      await pipeline(r.body, createWriteStream(spec.file, { highWaterMark: 1024 * 1024 }));
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

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.BENCH_SPEC ?? '') as VariantSpec;
  await fsp.mkdir(spec.checkpointDir, { recursive: true });
  // Loaded before the clock starts, as our bundle is: loading a library is not transfer time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const OSS = spec.variant.startsWith('alioss') ? (require('ali-oss') as AliConstructor) : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const crc64 = await run(spec, OSS);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const report: VariantReport = {
    variant: spec.variant,
    bytes: spec.size,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    systemSeconds: cpu.system / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(crc64 !== undefined ? { crc64 } : {}),
    ...(completeSeconds !== undefined ? { completeSeconds } : {}),
  };
  process.stdout.write(`BENCH ${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`variant failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
