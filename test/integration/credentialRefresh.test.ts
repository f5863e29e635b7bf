// Credentials that change under a transfer: a multipart upload that outlives one STS token goes on
// with the next; a part refused because its token was revoked or expired on the server is re-signed
// with fresh credentials; and credentials that cannot be renewed fail the transfer in seconds with
// the service's own code, never after the engine's 90-second retry window.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { OssError, RamRoleArnProvider, type RequestLogEntry } from '../../src/oss/index.js';
import { resumableUpload } from '../../src/transfer/index.js';
import { describeError } from '../../src/vscode/presentation/errorAdvice.js';
import { startFakeSts } from '../fakes/fakeSts.js';
import { makeFile, sha256File } from './resumeFixture.js';
import { BASE, BUCKET, ROLE, onlyTemporaryKeys, startCredsFixture, type CredsFixture } from './credentialsFixture.js';

const PART = 100 * 1024;
const noDelay = { baseDelayMs: 10, maxDelayMs: 50 };
let fx: CredsFixture;

before(async () => {
  fx = await startCredsFixture();
});
after(async () => {
  await fx.close();
});

function roleProvider(): RamRoleArnProvider {
  return new RamRoleArnProvider({ base: fx.base(), roleArn: ROLE, stsEndpoint: fx.sts.endpoint });
}

/** A request-log hook that calls `act` once, right after the `n`th successful UploadPart. */
function afterParts(n: number, act: () => void): (e: RequestLogEntry) => void {
  let done = 0;
  return (e) => {
    if (e.operation === 'UploadPart' && e.status === 200 && ++done === n) act();
  };
}

async function objectSha(key: string): Promise<string> {
  const p = fx.server.objectPath(BUCKET, key);
  assert.ok(p, `${key} exists on the server`);
  return sha256File(p);
}

test('a multipart upload that outlives its STS token continues with the next one', async () => {
  fx.sts.lifetimeMs = 4_000;
  const file = path.join(fx.dir, 'span.bin');
  const sha = await makeFile(file, 8 * PART);
  const { client, log } = fx.clientWith(roleProvider());
  const issuedBefore = fx.sts.issued.length;
  fx.server.stats.reset();
  // Each part takes 0.7 s on the server: eight parts one at a time span more than one 4-second token.
  const slow = fx.server.faults.add({ op: 'UploadPart' }, { type: 'stall', ms: 700 }, Infinity);
  try {
    const r = await resumableUpload(client, { bucket: BUCKET, key: 'span.bin', file, partSize: PART, parallel: 1, disableCheckpoint: true });
    assert.equal(r.size, 8 * PART);
  } finally {
    fx.server.faults.remove(slow);
    fx.sts.lifetimeMs = 3_600_000;
  }
  assert.equal(await objectSha('span.bin'), sha, 'byte-identical');
  const partKeys = Object.keys(fx.server.stats.callers('UploadPart'));
  assert.ok(fx.sts.issued.length - issuedBefore >= 2, `STS issued ${fx.sts.issued.length - issuedBefore} credentials`);
  assert.ok(partKeys.length >= 2, `the parts were signed with ${partKeys.length} different credentials`);
  assert.ok(onlyTemporaryKeys(fx.server.stats.callers()));
  const refused = log.filter((e) => e.error);
  assert.deepEqual(refused, [], 'renewed ahead of expiry: no request was refused');
});

for (const how of ['revoked', 'expired'] as const) {
  test(`a part refused because its token was ${how} on the server is re-signed with fresh credentials`, async () => {
    const file = path.join(fx.dir, `${how}-token.bin`);
    const sha = await makeFile(file, 5 * PART);
    const provider = roleProvider();
    const refuse = (): void => {
      const c = provider.current()!;
      if (how === 'revoked') fx.server.removeCredential(c.accessKeyId);
      else fx.server.addCredential({ ...c, securityToken: c.securityToken!, expiresAt: new Date(Date.now() - 1) });
    };
    const { client, log } = fx.clientWith(provider, afterParts(2, refuse));
    const issuedBefore = fx.sts.issued.length;
    await resumableUpload(client, { bucket: BUCKET, key: `${how}.bin`, file, partSize: PART, parallel: 1, disableCheckpoint: true, retry: noDelay });
    assert.equal(await objectSha(`${how}.bin`), sha, 'byte-identical');
    const code = how === 'revoked' ? 'InvalidAccessKeyId' : 'SecurityTokenExpired';
    assert.deepEqual(
      log.filter((e) => e.error).map((e) => `${e.operation} ${e.error}`),
      [`UploadPart ${code}`],
      'the third part was refused once, then went through with the renewed credentials',
    );
    assert.equal(fx.sts.issued.length - issuedBefore, 2, 'one AssumeRole at the start, one after the refusal');
    assert.equal(log.filter((e) => e.operation === 'UploadPart' && e.status === 200).length, 5);
  });
}

test('a listing refused for an expired token is re-sent by the client itself with fresh credentials', async () => {
  const provider = roleProvider();
  const { client, log } = fx.clientWith(provider);
  await client.listObjectsV2({ bucket: BUCKET });
  const c = provider.current()!;
  fx.server.addCredential({ ...c, securityToken: c.securityToken!, expiresAt: new Date(Date.now() - 1) });
  const r = await client.listObjectsV2({ bucket: BUCKET });
  assert.equal(r.status, 200);
  assert.deepEqual(log.map((e) => `${e.operation} ${e.status}${e.error ? ` ${e.error}` : ''}`), ['ListObjectsV2 200', 'ListObjectsV2 403 SecurityTokenExpired', 'ListObjectsV2 200']);
  assert.notEqual(provider.current()!.accessKeyId, c.accessKeyId);
});

test('credentials OSS keeps refusing are renewed once, then the request fails: no loop', async () => {
  // An STS whose credentials the OSS server never learns about.
  const deaf = await startFakeSts({ baseKeys: [BASE], roles: { [ROLE]: [BASE.accessKeyId] } });
  try {
    const { client } = fx.clientWith(new RamRoleArnProvider({ base: fx.base(), roleArn: ROLE, stsEndpoint: deaf.endpoint }));
    fx.server.stats.reset();
    const file = path.join(fx.dir, 'never.bin');
    await makeFile(file, 3 * PART);
    await assert.rejects(
      resumableUpload(client, { bucket: BUCKET, key: 'never.bin', file, partSize: PART, parallel: 1, disableCheckpoint: true, retry: noDelay }),
      (e: OssError) => e.code === 'InvalidAccessKeyId' && e.retryable === false,
    );
    assert.equal(fx.server.stats.total().requests, 2, 'the first request and one re-signed attempt');
    assert.equal(deaf.calls.length, 2, 'one AssumeRole, one renewal');
  } finally {
    await deaf.close();
  }
});

test('a revoked base key fails the upload in seconds with the STS code and a next step', async () => {
  const file = path.join(fx.dir, 'revoked-base.bin');
  await makeFile(file, 10 * PART);
  const provider = roleProvider();
  let revokedAt = 0;
  const revoke = (): void => {
    revokedAt = Date.now();
    fx.sts.revokeBaseKey(BASE.accessKeyId);
    fx.server.removeCredential(provider.current()!.accessKeyId);
  };
  const { client, log } = fx.clientWith(provider, afterParts(2, revoke));
  let failure: unknown;
  try {
    await resumableUpload(client, { bucket: BUCKET, key: 'revoked-base.bin', file, partSize: PART, parallel: 2, disableCheckpoint: true });
    assert.fail('the upload should fail');
  } catch (e) {
    failure = e;
  }
  const tookMs = Date.now() - revokedAt;
  assert.ok(revokedAt > 0);
  const err = failure as OssError;
  assert.deepEqual([err.code, err.operation, err.status, err.retryable], ['InvalidAccessKeyId.NotFound', 'AssumeRole', 404, false]);
  assert.ok(err.requestId, 'the STS request id is kept');
  // With the engine's default retry policy a retryable error would be tried for up to 90 s.
  assert.ok(tookMs < 20_000, `failed ${tookMs} ms after the revocation`);
  assert.ok(log.filter((e) => e.operation === 'UploadPart' && e.error).length <= 2, 'the parts in flight were refused once each');
  const advice = describeError(err, { credentialSource: 'user' });
  assert.match(advice.summary, /STS/);
  assert.match(advice.nextStep ?? '', /AccessKey/);
});
