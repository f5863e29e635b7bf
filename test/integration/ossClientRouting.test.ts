// Per-bucket endpoints: a bucket that lives on another server (another region) is reached once
// setBucketEndpoint names it, while the other buckets stay on the client's endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAll, rejectsWith, startHarness, BUCKET } from './ossClientHarness.js';

test('setBucketEndpoint routes one bucket elsewhere (URL or host:port), others unchanged', { timeout: 30_000 }, async () => {
  const home = await startHarness();
  const away = await startHarness({ buckets: ['far-bucket'] });
  try {
    const c = home.client();
    await rejectsWith(c.listObjectsV2({ bucket: 'far-bucket' }), 'NoSuchBucket');

    c.setBucketEndpoint('far-bucket', away.server.endpoint);
    assert.equal(c.bucketEndpoint('far-bucket'), away.server.endpoint);
    assert.equal(c.bucketEndpoint(BUCKET), home.server.endpoint);
    await c.putObject({ bucket: 'far-bucket', key: 'k', body: 'far away' });
    assert.ok(away.server.objectPath('far-bucket', 'k'));
    assert.equal((await readAll((await c.getObject({ bucket: 'far-bucket', key: 'k' })).body)).toString(), 'far away');
    const url = c.presignUrl({ bucket: 'far-bucket', key: 'k', expiresSeconds: 60 });
    assert.ok(url.startsWith(away.server.endpoint));
    assert.equal(await (await fetch(url)).text(), 'far away');

    await c.putObject({ bucket: BUCKET, key: 'k', body: 'at home' });
    assert.ok(home.server.objectPath(BUCKET, 'k'));
    assert.equal(away.server.objectPath(BUCKET, 'k'), undefined);

    // A host without a scheme takes the client's scheme; listing must not undo a pinned route.
    const c2 = home.client();
    c2.setBucketEndpoint('far-bucket', away.server.endpoint.replace('http://', ''));
    assert.equal(c2.bucketEndpoint('far-bucket'), away.server.endpoint);
    await c2.listBuckets();
    assert.equal((await c2.headObject({ bucket: 'far-bucket', key: 'k' })).size, 8);
    assert.throws(() => c2.setBucketEndpoint('far-bucket', 'http://x.test/path'), /without a path/);
  } finally {
    await home.close();
    await away.close();
  }
});
