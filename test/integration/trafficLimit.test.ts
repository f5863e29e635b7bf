// x-oss-traffic-limit end to end: the client checks the value against OSS's range before sending
// anything, and the test server refuses what OSS refuses and holds a body to what it allows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { OssError } from '../../src/oss/index.js';
import { BUCKET, startFixture, type Fixture } from './resumeFixture.js';

let fx: Fixture;
before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

test('the client refuses a trafficLimit OSS would refuse, before any request', async () => {
  fx.server.stats.reset();
  for (const bad of [819_199, 838_860_801, 1.5e6 + 0.5]) {
    await assert.rejects(
      fx.client.putObject({ bucket: BUCKET, key: 'tl/bad', body: Buffer.from('x'), trafficLimit: bad }),
      (e: unknown) => e instanceof OssError && e.code === 'InvalidArgument' && /trafficLimit/.test(e.message),
    );
    await assert.rejects(fx.client.getObject({ bucket: BUCKET, key: 'tl/bad', trafficLimit: bad }), (e: unknown) => e instanceof OssError && e.code === 'InvalidArgument');
  }
  assert.equal(fx.server.stats.total().requests, 0);
});

test('the server answers 400 InvalidArgument to a value out of range, as OSS does', async () => {
  await fx.client.putObject({ bucket: BUCKET, key: 'tl/obj', body: Buffer.from('hello') });
  await assert.rejects(
    fx.client.getObject({ bucket: BUCKET, key: 'tl/obj', headers: { 'x-oss-traffic-limit': 'abc' } }),
    (e: unknown) => e instanceof OssError && e.status === 400 && e.code === 'InvalidArgument',
  );
});

test('a body sent and fetched with a limit takes as long as the limit says, and the server saw the value', async () => {
  fx.server.stats.reset();
  const body = randomBytes(1024 * 1024);
  const bits = 8 * 1024 * 1024 * 4; // 4 MB/s: a quarter second for 1 MiB
  const t0 = performance.now();
  await fx.client.putObject({ bucket: BUCKET, key: 'tl/limited', body, trafficLimit: bits });
  const put = performance.now() - t0;
  const t1 = performance.now();
  const r = await fx.client.getObject({ bucket: BUCKET, key: 'tl/limited', trafficLimit: bits });
  const chunks: Buffer[] = [];
  for await (const c of r.body) chunks.push(c as Buffer);
  const get = performance.now() - t1;
  assert.ok(Buffer.concat(chunks).equals(body));
  assert.deepEqual(fx.server.stats.trafficLimits(), [bits, bits]);
  // No faster than the limit (slower is the machine's business).
  assert.ok(put >= 220 && get >= 220, `put ${put.toFixed(0)} ms, get ${get.toFixed(0)} ms for 1 MiB at 4 MB/s`);
});
