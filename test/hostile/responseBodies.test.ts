// Response bodies a hostile or broken server can send: hundreds of megabytes of padding, a page of
// a million entries, a flood of tiny elements, and error pages built to make text clean-up slow.
// The client must stop reading at a cap, fail with InvalidResponse naming the operation and the
// limit, stay within bounded memory (measured in a child process, see bodyChild.ts) and never
// freeze the event loop. Legitimate documents of the largest size OSS sends must still pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import { OssError } from '../../src/oss/index.js';
import { drainRequest, startHostileServer, streamChunks } from './hostileServer.js';

const CHILD = path.join(__dirname, 'bodyChild.ts');
const LIMIT = { timeout: 120_000 };
const MiB = 1024 * 1024;
// Far above what reading up to the cap costs, far below what buffering these bodies costs.
const MAX_GROWTH_MB = 100;

interface ChildResult {
  ok: boolean;
  name?: string;
  code?: string;
  status?: number;
  message?: string;
  growthMb: number;
}

/** Runs one operation in a child with a bounded heap; a crash (out of memory) fails the test with its stderr. */
function runChild(endpoint: string, operation: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', '--max-old-space-size=512', CHILD, endpoint, operation], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`child exited with ${code ?? signal}: ${out.slice(-2000)} ${err.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as ChildResult);
    });
  });
}

/** The parts one after another, produced lazily (no part is spread into an array). */
function* chain(...parts: Iterable<string>[]): Generator<string> {
  for (const p of parts) yield* p;
}

function* repeatChunk(chunk: string, totalBytes: number): Generator<string> {
  for (let sent = 0; sent < totalBytes; sent += chunk.length) yield chunk;
}

function* entries(count: number, entry: (i: number) => string, perChunk = 1000): Generator<string> {
  for (let i = 0; i < count; i += perChunk) {
    let s = '';
    for (let j = i; j < Math.min(count, i + perChunk); j++) s += entry(j);
    yield s;
  }
}

function xmlHead(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/xml', 'x-oss-request-id': 'hostile-big' });
}

test('a 200 MB whitespace-padded listing fails with InvalidResponse at the cap, memory bounded, reading stopped', LIMIT, async () => {
  let written: Promise<number> | undefined;
  const s = await startHostileServer(async (_req, res) => {
    xmlHead(res);
    written = streamChunks(
      res,
      chain(
        ['<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name>'],
        repeatChunk(' '.repeat(64 * 1024), 200 * MiB),
        ['<IsTruncated>false</IsTruncated></ListBucketResult>'],
      ),
    );
  });
  try {
    const r = await runChild(s.endpoint, 'listObjectsV2');
    assert.equal(r.ok, false);
    assert.equal(r.code, 'InvalidResponse', r.message);
    assert.equal(r.status, 200);
    assert.match(r.message ?? '', /ListObjectsV2/);
    assert.match(r.message ?? '', /more than 64 KiB in a row without an XML tag/);
    assert.ok(r.growthMb < MAX_GROWTH_MB, `the process grew by ${r.growthMb} MB`);
    const sent = await written;
    assert.ok(sent !== undefined && sent < 100 * MiB, `the server wrote ${sent} bytes of a 200 MB body`);
  } finally {
    await s.close();
  }
});

test('200 MB of well-formed elements stop at the 16 MiB byte cap, memory bounded', LIMIT, async () => {
  let written: Promise<number> | undefined;
  const s = await startHostileServer(async (_req, res) => {
    xmlHead(res);
    written = streamChunks(
      res,
      chain(
        ['<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name>'],
        repeatChunk(`<Pad>${'p'.repeat(60 * 1024)}</Pad>\n`, 200 * MiB),
        ['<IsTruncated>false</IsTruncated></ListBucketResult>'],
      ),
    );
  });
  try {
    const r = await runChild(s.endpoint, 'listObjectsV2');
    assert.equal(r.ok, false);
    assert.equal(r.code, 'InvalidResponse', r.message);
    assert.match(r.message ?? '', /larger than 16 MiB.*ListObjectsV2/);
    assert.ok(r.growthMb < MAX_GROWTH_MB, `the process grew by ${r.growthMb} MB`);
    const sent = await written;
    assert.ok(sent !== undefined && sent < 100 * MiB, `the server wrote ${sent} bytes of a 200 MB body`);
  } finally {
    await s.close();
  }
});

test('a listing page of 1.1 million entries fails clearly, not with a stack overflow or out of memory', LIMIT, async () => {
  const s = await startHostileServer(async (_req, res) => {
    xmlHead(res);
    await streamChunks(
      res,
      chain(
        ['<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>'],
        entries(1_100_000, (i) => `<Contents><Key>k${i}</Key><Size>0</Size></Contents>`),
        ['</ListBucketResult>'],
      ),
    );
  });
  try {
    const r = await runChild(s.endpoint, 'listAllObjects');
    assert.equal(r.ok, false);
    assert.equal(r.name, 'OssError', r.message);
    assert.equal(r.code, 'InvalidResponse', r.message);
    assert.match(r.message ?? '', /ListObjectsV2/);
    assert.ok(r.growthMb < MAX_GROWTH_MB, `the process grew by ${r.growthMb} MB`);
  } finally {
    await s.close();
  }
});

test('a DeleteResult of 300,000 entries fails clearly instead of overflowing the stack', LIMIT, async () => {
  const s = await startHostileServer(async (req, res) => {
    await drainRequest(req);
    xmlHead(res);
    await streamChunks(
      res,
      chain(['<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult>'], entries(300_000, (i) => `<Deleted><Key>k${i}</Key></Deleted>`), ['</DeleteResult>']),
    );
  });
  try {
    const r = await runChild(s.endpoint, 'deleteObjects');
    assert.equal(r.ok, false);
    assert.equal(r.code, 'InvalidResponse', r.message);
    assert.match(r.message ?? '', /DeleteMultipleObjects/);
    assert.ok(r.growthMb < MAX_GROWTH_MB, `the process grew by ${r.growthMb} MB`);
  } finally {
    await s.close();
  }
});

test('8 MB of tiny elements (within the byte cap) fail clearly with memory bounded', LIMIT, async () => {
  const s = await startHostileServer(async (_req, res) => {
    xmlHead(res);
    await streamChunks(res, chain(['<ListPartsResult><IsTruncated>false</IsTruncated>'], repeatChunk('<x/>'.repeat(16 * 1024), 8 * MiB), ['</ListPartsResult>']));
  });
  try {
    const r = await runChild(s.endpoint, 'listParts');
    assert.equal(r.ok, false);
    assert.equal(r.code, 'InvalidResponse', r.message);
    assert.match(r.message ?? '', /ListParts/);
    assert.match(r.message ?? '', /200000 XML tags/);
    assert.ok(r.growthMb < MAX_GROWTH_MB, `the process grew by ${r.growthMb} MB`);
  } finally {
    await s.close();
  }
});

test('the largest documents OSS sends still pass: 1000 keys of 1023 bytes, url-encoded, with owners', LIMIT, async () => {
  // A key at OSS's 1023-byte limit, nearly all three-byte characters: 3057 characters url-encoded.
  const longKey = (i: number): string => String(i).padStart(4, '0') + '中'.repeat(339) + 'xx';
  const enc = (k: string): string => encodeURIComponent(k);
  const contents = (i: number): string =>
    `<Contents><Key>${enc(longKey(i))}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>` +
    `<ETag>&quot;5B3C1A2E053D763E1B002CC607C5A0FE&quot;</ETag><Type>Normal</Type><Size>123456789</Size>` +
    `<StorageClass>Standard</StorageClass><Owner><ID>1234567890123456</ID><DisplayName>1234567890123456</DisplayName></Owner></Contents>\n  `;
  let bodyBytes = 0;
  const s = await startHostileServer(async (req, res) => {
    if (req.method === 'POST') {
      await drainRequest(req);
      xmlHead(res);
      const deleted = [...entries(1000, (i) => `<Deleted><Key>${enc(longKey(i))}</Key></Deleted>\n`)].join('');
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult><EncodingType>url</EncodingType>${deleted}</DeleteResult>`);
      return;
    }
    xmlHead(res);
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name><EncodingType>url</EncodingType><MaxKeys>1000</MaxKeys>' +
      `<KeyCount>1000</KeyCount><IsTruncated>false</IsTruncated>\n  ${[...entries(1000, contents)].join('')}</ListBucketResult>`;
    bodyBytes = Buffer.byteLength(body);
    res.end(body);
  });
  try {
    const c = s.client();
    const page = await c.listObjectsV2({ bucket: 'b', fetchOwner: true });
    assert.ok(bodyBytes > 3.2 * MiB, `the page is ${bodyBytes} bytes`);
    assert.equal(page.objects.length, 1000);
    assert.equal(page.objects[999]!.key, longKey(999));
    assert.equal(Buffer.byteLength(page.objects[0]!.key), 1023);
    const keys = Array.from({ length: 1000 }, (_, i) => longKey(i));
    const del = await c.deleteObjects({ bucket: 'b', keys });
    assert.deepEqual(del.deleted, keys);
  } finally {
    await s.close();
  }
});

/** The longest the event loop went without running a timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = Date.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(worst, Date.now() - last);
}

test('error and non-XML bodies full of "<" are reported without freezing the event loop', LIMIT, async () => {
  const junk = '<'.repeat(64 * 1024) + '<script' + '<style'.repeat(1000);
  const s = await startHostileServer((_req, res, n) => {
    res.writeHead(n === 0 ? 502 : 200, { 'content-type': 'text/html', 'x-oss-request-id': 'hostile-junk' });
    res.end(junk);
  });
  try {
    const c = s.client();
    let first: unknown;
    let second: unknown;
    const stall = await longestStall(async () => {
      first = await c.listObjectsV2({ bucket: 'b' }).catch((e: unknown) => e);
      second = await c.listObjectsV2({ bucket: 'b' }).catch((e: unknown) => e);
    });
    assert.ok(first instanceof OssError && first.status === 502 && first.code === 'InternalError', String(first));
    assert.ok(second instanceof OssError && second.status === 200 && second.code === 'InvalidResponse', String(second));
    assert.ok(stall < 1000, `the event loop stalled for ${stall} ms`);
  } finally {
    await s.close();
  }
});

test('a 200 MB error body is cut off: the status is reported and the rest is not read', LIMIT, async () => {
  let written: Promise<number> | undefined;
  const s = await startHostileServer(async (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/xml', 'x-oss-request-id': 'hostile-503' });
    written = streamChunks(res, chain(['<Error><Code>ServiceUnavailable</Code><Message>'], repeatChunk('x'.repeat(64 * 1024), 200 * MiB), ['</Message></Error>']));
  });
  try {
    const e = await s.client().listObjectsV2({ bucket: 'b' }).catch((x: unknown) => x);
    assert.ok(e instanceof OssError && e.status === 503, String(e));
    assert.equal(e.requestId, 'hostile-503');
    const sent = await written;
    assert.ok(sent !== undefined && sent < 100 * MiB, `the server wrote ${sent} bytes of a 200 MB error body`);
  } finally {
    await s.close();
  }
});
