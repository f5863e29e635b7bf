// The XML body limits as the body streams in: bytes, tags and the longest run without a tag,
// counted across chunk boundaries, with the body destroyed the moment one is passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { BodyLimitError, XML_BODY_LIMITS, bodyLimitMessage, readBoundedText, type BodyLimits } from '../../src/oss/xml/responseLimits.js';

const limits: BodyLimits = { bytes: 100, tags: 5, run: 10 };

function body(chunks: string[]): Readable {
  return Readable.from(chunks.map((c) => Buffer.from(c)), { objectMode: false });
}

async function limitHit(chunks: string[]): Promise<BodyLimitError> {
  const b = body(chunks);
  const e = await readBoundedText(b, limits).catch((x: unknown) => x);
  assert.ok(e instanceof BodyLimitError, String(e));
  assert.ok(b.destroyed, 'the body is destroyed at the limit');
  return e;
}

test('a body within every limit comes back whole, joined across chunks, as UTF-8', async () => {
  assert.equal(await readBoundedText(body(['<a>中', '文</a>']), limits), '<a>中文</a>');
  // Exactly at each limit still passes: 5 tags, 10 bytes from a '<' to the next.
  assert.equal(await readBoundedText(body(['<a>', '12345678', '</a><b/><c/><d/>']), limits), '<a>12345678</a><b/><c/><d/>');
  const wide = { bytes: 100, tags: 100, run: 100 };
  assert.equal((await readBoundedText(body(['<a>', 'y'.repeat(93), '</a>']), wide)).length, 100);
});

test('past the byte limit: BodyLimitError bytes, body destroyed', async () => {
  const b = body(['<a>', 'y'.repeat(93), '</a>', '!']);
  const e = await readBoundedText(b, { bytes: 100, tags: 100, run: 100 }).catch((x: unknown) => x);
  assert.ok(e instanceof BodyLimitError && e.exceeded === 'bytes' && e.limit === 100, String(e));
  assert.match(e.message, /larger than 100 bytes/);
  assert.ok(b.destroyed);
});

test('past the tag limit, counted across chunks', async () => {
  const e = await limitHit(['<a><b', '><c><d', '><e><f>']);
  assert.equal(e.exceeded, 'tags');
  assert.equal(e.limit, 5);
});

test('a run without "<" is measured across chunk boundaries, before the first tag and after the last', async () => {
  assert.equal((await limitHit(['<a>12345', '6789'])).exceeded, 'run');
  assert.equal((await limitHit(['12345', '67', '8901<a>'])).exceeded, 'run');
  assert.equal((await limitHit(['<a>' + 'x'.repeat(9)])).exceeded, 'run');
  assert.equal((await limitHit(['<a>1', '2345678', '9</a>'])).exceeded, 'run');
  // A '<' starts a new run.
  assert.equal(await readBoundedText(body(['<a>12345', '678<b>1234', '5678']), limits), '<a>12345678<b>12345678');
});

test('the message names the operation and the limit, and how far real OSS documents are from it', () => {
  const { bytes, tags, run } = XML_BODY_LIMITS;
  assert.equal(bytes, 16 * 1024 * 1024);
  assert.match(bodyLimitMessage(new BodyLimitError('bytes', bytes), 'ListObjectsV2'), /larger than 16 MiB, the most this client reads in one ListObjectsV2 response \(the fullest OSS pages are under 4 MiB\)/);
  assert.match(bodyLimitMessage(new BodyLimitError('tags', tags), 'ListParts'), /more than 200000 XML tags.*ListParts/);
  assert.match(bodyLimitMessage(new BodyLimitError('run', run), 'DeleteMultipleObjects'), /more than 64 KiB in a row without an XML tag.*DeleteMultipleObjects/);
});
