// The demo data that `npm start` and the e2e tests put on the local OSS server: two buckets with folders
// and files of several sizes, one large enough to watch progress and resume. Content is generated
// (deterministic pseudo-random bytes), never committed, and seeded through the real OSS client.
import { createCipheriv, createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { OssClient, OssError } from '../src/oss/index.js';

export interface DemoObject {
  bucket: string;
  key: string;
  size: number;
  /** text objects are readable in an editor; binary ones are pseudo-random bytes */
  kind: 'text' | 'binary';
}

export const demoBuckets = ['demo-bucket', 'demo-archive'] as const;
export const largeObjectKey = 'videos/big-demo.bin';
const MiB = 1024 * 1024;
export const defaultLargeSize = 256 * MiB;

export function demoObjects(largeSize = defaultLargeSize): DemoObject[] {
  const [main, archive] = demoBuckets;
  return [
    { bucket: main, key: 'README.txt', size: 1200, kind: 'text' },
    { bucket: main, key: 'docs/getting-started.md', size: 6 * 1024, kind: 'text' },
    { bucket: main, key: 'docs/notes/todo list.txt', size: 700, kind: 'text' },
    { bucket: main, key: 'images/photo-small.bin', size: 150 * 1024, kind: 'binary' },
    { bucket: main, key: 'images/photo-large.bin', size: 3 * MiB, kind: 'binary' },
    { bucket: main, key: 'datasets/medium-24MiB.bin', size: 24 * MiB, kind: 'binary' },
    { bucket: main, key: largeObjectKey, size: largeSize, kind: 'binary' },
    { bucket: archive, key: 'backups/2026-01-01.tar', size: 5 * MiB, kind: 'binary' },
    { bucket: archive, key: 'logs/app.log', size: 40 * 1024, kind: 'text' },
    { bucket: archive, key: 'reports/2026 Q1 résumé.txt', size: 2 * 1024, kind: 'text' },
  ];
}

/** Deterministic bytes for an object: AES-CTR keystream seeded by bucket/key, or readable text lines. */
export function demoContent(obj: DemoObject): Readable {
  const seed = createHash('sha256').update(`${obj.bucket}/${obj.key}`).digest();
  const chunk = 1024 * 1024;
  let left = obj.size;
  let line = 0;
  const cipher = createCipheriv('aes-256-ctr', seed, Buffer.alloc(16));
  const zeros = Buffer.alloc(chunk);
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const n = Math.min(chunk, left);
      let out: Buffer;
      if (obj.kind === 'binary') {
        out = cipher.update(zeros.subarray(0, n));
      } else {
        let text = '';
        while (text.length < n) text += `${obj.key} line ${++line}: demo content for OSS Transfer.\n`;
        out = Buffer.from(text).subarray(0, n);
      }
      left -= n;
      this.push(out);
    },
  });
}

async function exists(client: OssClient, obj: DemoObject): Promise<boolean> {
  try {
    const head = await client.headObject({ bucket: obj.bucket, key: obj.key });
    return head.size === obj.size;
  } catch (err) {
    if (err instanceof OssError && (err.code === 'NoSuchKey' || err.status === 404)) return false;
    throw err;
  }
}

export interface SeedResult {
  uploaded: DemoObject[];
  skipped: DemoObject[];
}

/**
 * Creates the demo buckets and objects that are missing (or have the wrong size); idempotent, so a
 * persistent data folder is seeded once and later runs only check it.
 */
export async function seedDemoData(client: OssClient, opts: { largeSize?: number; log?: (msg: string) => void } = {}): Promise<SeedResult> {
  const log = opts.log ?? (() => undefined);
  const existing = new Set((await client.listBuckets({})).buckets.map((b) => b.name));
  for (const bucket of demoBuckets) {
    if (!existing.has(bucket)) {
      log(`creating bucket ${bucket}`);
      await client.createBucket({ bucket });
    }
  }
  const result: SeedResult = { uploaded: [], skipped: [] };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-demo-'));
  try {
    for (const obj of demoObjects(opts.largeSize)) {
      if (await exists(client, obj)) {
        result.skipped.push(obj);
        continue;
      }
      log(`uploading ${obj.bucket}/${obj.key} (${formatSize(obj.size)})`);
      // Through a temp file so the client streams a file region, as the extension's engine does.
      const file = path.join(tmp, 'object');
      await pipeline(demoContent(obj), fs.createWriteStream(file));
      await client.putObject({
        bucket: obj.bucket, key: obj.key, body: { file },
        contentType: obj.kind === 'text' ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      });
      fs.rmSync(file, { force: true });
      result.uploaded.push(obj);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}

export function formatSize(n: number): string {
  if (n >= MiB) return `${(n / MiB).toFixed(n % MiB ? 1 : 0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB`;
  return `${n} B`;
}

/** CLI: seeds a running server, e.g. `node --import tsx scripts/demoData.ts --endpoint http://127.0.0.1:9000`. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const endpoint = flag('--endpoint') ?? process.env.OSS_ENDPOINT;
  const accessKeyId = process.env.OSS_ACCESS_KEY_ID;
  const accessKeySecret = process.env.OSS_ACCESS_KEY_SECRET;
  if (!endpoint || !accessKeyId || !accessKeySecret) {
    throw new Error('give --endpoint (or OSS_ENDPOINT) and set OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET');
  }
  const largeMB = flag('--large-mb');
  const client = new OssClient({ endpoint, accessKeyId, accessKeySecret });
  try {
    const r = await seedDemoData(client, { largeSize: largeMB ? Number(largeMB) * MiB : undefined, log: (m) => console.log(`[demo-data] ${m}`) });
    console.log(`[demo-data] ${r.uploaded.length} uploaded, ${r.skipped.length} already there`);
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`[demo-data] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
