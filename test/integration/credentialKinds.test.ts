// Each credential kind against the fakes (test/fakes): the request each provider sends is the one
// the real service expects (the fakes check shape and signature), the credentials it gets sign OSS
// requests the test server accepts, and each failure comes back at once as a non-retryable error
// carrying the service's code, status and request id.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { createServer } from 'node:net';
import {
  CredentialsUriProvider,
  EcsRamRoleProvider,
  OidcRoleProvider,
  OssError,
  RamRoleArnProvider,
  StaticCredentialsProvider,
} from '../../src/oss/index.js';
import { acceptOn } from '../fakes/issuedCredentials.js';
import { startFakeSts } from '../fakes/fakeSts.js';
import { startFakeEcsMetadata } from '../fakes/fakeEcsMetadata.js';
import { startFakeCredentialsUri } from '../fakes/fakeCredentialsUri.js';
import { BASE, BUCKET, OIDC_PROVIDER, ROLE, onlyTemporaryKeys, startCredsFixture, type CredsFixture } from './credentialsFixture.js';

let fx: CredsFixture;
before(async () => {
  fx = await startCredsFixture();
});
after(async () => {
  await fx.close();
});

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('STS token: sent with every request; once expired it fails at the first request, without a retry', async () => {
  fx.server.addCredential({ accessKeyId: 'STS.static', accessKeySecret: 'static-secret', securityToken: 'static-token', expiresAt: new Date(Date.now() + 60_000) });
  const { client } = fx.clientWith(new StaticCredentialsProvider({ accessKeyId: 'STS.static', accessKeySecret: 'static-secret', securityToken: 'static-token' }));
  assert.equal(client.credentialKind, 'stsToken');
  await client.putObject({ bucket: BUCKET, key: 'sts/a.txt', body: 'hello' });
  assert.equal(fx.server.stats.callers('PutObject')['STS.static'], 1);

  fx.server.addCredential({ accessKeyId: 'STS.static', accessKeySecret: 'static-secret', securityToken: 'static-token', expiresAt: new Date(Date.now() - 1000) });
  const before = fx.server.stats.get('ListObjectsV2').requests;
  await assert.rejects(client.listObjectsV2({ bucket: BUCKET }), (e: OssError) => {
    assert.equal(e.code, 'SecurityTokenExpired');
    assert.equal(e.status, 403);
    assert.ok(e.requestId, 'the request id is kept');
    assert.equal(e.retryable, false);
    assert.equal(e.details.credentialKind, 'stsToken');
    return true;
  });
  assert.equal(fx.server.stats.get('ListObjectsV2').requests - before, 1, 'one request, no second attempt');
});

test('RAM role ARN: AssumeRole signed with the base key in the shape STS expects; OSS sees only the role credentials', async () => {
  const calls = fx.sts.calls.length;
  const { client } = fx.clientWith(new RamRoleArnProvider({ base: fx.base(), roleArn: ROLE, roleSessionName: 'it-session', stsEndpoint: fx.sts.endpoint }));
  assert.equal(client.credentialKind, 'ramRoleArn');
  fx.server.stats.reset();
  await client.putObject({ bucket: BUCKET, key: 'role/a.txt', body: 'from the role' });
  await client.listObjectsV2({ bucket: BUCKET, prefix: 'role/' });
  const mine = fx.sts.calls.slice(calls);
  assert.equal(mine.length, 1, 'one AssumeRole serves both requests');
  const c = mine[0]!;
  assert.equal(c.error, '', `STS accepted it: ${c.error}`);
  assert.deepEqual(
    [c.query.Action, c.query.Version, c.query.Format, c.query.SignatureMethod, c.query.SignatureVersion, c.query.AccessKeyId],
    ['AssumeRole', '2015-04-01', 'JSON', 'HMAC-SHA1', '1.0', BASE.accessKeyId],
  );
  assert.deepEqual([c.body.RoleArn, c.body.RoleSessionName, c.body.DurationSeconds], [ROLE, 'it-session', '3600']);
  assert.ok(onlyTemporaryKeys(fx.server.stats.callers()), `OSS saw only STS keys: ${JSON.stringify(fx.server.stats.callers())}`);
  assert.equal(fx.server.stats.callers()[c.issued!], 2);
});

test('RAM role ARN: a wrong base secret or a role the key may not assume fail at once with the STS code, status and request id', async () => {
  fx.server.stats.reset();
  const wrong = fx.clientWith(new RamRoleArnProvider({ base: new StaticCredentialsProvider({ accessKeyId: BASE.accessKeyId, accessKeySecret: 'not-the-secret' }), roleArn: ROLE, stsEndpoint: fx.sts.endpoint }));
  await assert.rejects(wrong.client.listObjectsV2({ bucket: BUCKET }), (e: OssError) => {
    assert.deepEqual([e.code, e.status, e.operation, e.retryable], ['SignatureDoesNotMatch', 400, 'AssumeRole', false]);
    assert.match(e.requestId, /^[0-9A-F]{16}$/);
    return true;
  });
  const other = fx.clientWith(new RamRoleArnProvider({ base: fx.base(), roleArn: 'acs:ram::1234567890123456:role/not-mine', stsEndpoint: fx.sts.endpoint }));
  await assert.rejects(other.client.listObjectsV2({ bucket: BUCKET }), (e: OssError) => e.code === 'EntityNotExist.Role' && e.status === 404);
  assert.equal(fx.server.stats.total().requests, 0, 'nothing reached OSS without credentials');
  assert.throws(() => new RamRoleArnProvider({ base: fx.base(), roleArn: 'not-an-arn' }), /acs:ram::<account id>:role/);
  assert.throws(() => new RamRoleArnProvider({ base: fx.base(), roleArn: ROLE, durationSeconds: 60 }), /900\.\.43200/);
});

test('ECS RAM role: an IMDSv2 token first, the attached role asked for, its credentials used; off ECS it fails in seconds', async () => {
  const md = await startFakeEcsMetadata({ roleName: 'EcsOssRole', requireToken: true, onIssue: acceptOn(fx.server) });
  try {
    const { client } = fx.clientWith(new EcsRamRoleProvider({ metadataEndpoint: md.endpoint }));
    await client.putObject({ bucket: BUCKET, key: 'ecs/a.txt', body: 'from the instance role' });
    assert.deepEqual(
      md.requests.map((r) => `${r.line}${r.withToken ? ' +token' : ''}`),
      ['PUT /latest/api/token', 'GET /latest/meta-data/ram/security-credentials/ +token', 'GET /latest/meta-data/ram/security-credentials/EcsOssRole +token'],
    );
    assert.equal(fx.server.stats.callers('PutObject')[md.issued[0]!.accessKeyId], 1);
  } finally {
    await md.close();
  }
  const port = await closedPort();
  const started = Date.now();
  const off = fx.clientWith(new EcsRamRoleProvider({ metadataEndpoint: `http://127.0.0.1:${port}` }));
  await assert.rejects(off.client.listObjectsV2({ bucket: BUCKET }), (e: OssError) => {
    assert.equal(e.operation, 'EcsRamRole');
    assert.equal(e.retryable, false);
    assert.match(e.message, /127\.0\.0\.1:\d+ could not be reached/);
    return true;
  });
  assert.ok(Date.now() - started < 15_000, 'no retry loop');
});

test('OIDC role: AssumeRoleWithOIDC unsigned with the token file, read again for every renewal', async () => {
  const tokenFile = path.join(fx.dir, 'oidc-token');
  await fsp.writeFile(tokenFile, 'oidc-token-1\n');
  const calls = fx.sts.calls.length;
  fx.sts.lifetimeMs = 3_000;
  const { client } = fx.clientWith(new OidcRoleProvider({ roleArn: ROLE, oidcProviderArn: OIDC_PROVIDER, oidcTokenFile: tokenFile, stsEndpoint: fx.sts.endpoint }));
  await client.putObject({ bucket: BUCKET, key: 'oidc/a.txt', body: 'from the pod' });
  const first = fx.sts.calls[calls]!;
  assert.deepEqual([first.action, first.error, first.body.OIDCToken, first.body.OIDCProviderArn, first.query.Signature], ['AssumeRoleWithOIDC', '', 'oidc-token-1', OIDC_PROVIDER, undefined]);
  // The cluster rotates the token; the next renewal reads the new one.
  await fsp.writeFile(tokenFile, 'oidc-token-2');
  fx.sts.rotateOidcToken(OIDC_PROVIDER, 'oidc-token-2');
  await new Promise((r) => setTimeout(r, 2_200)); // past two thirds of the credentials' life
  fx.sts.lifetimeMs = 3_600_000;
  await client.listObjectsV2({ bucket: BUCKET, prefix: 'oidc/' });
  const second = fx.sts.calls.at(-1)!;
  assert.deepEqual([second.error, second.body.OIDCToken], ['', 'oidc-token-2']);
  // A token STS does not accept is said plainly.
  fx.sts.rotateOidcToken(OIDC_PROVIDER, 'oidc-token-3');
  const stale = fx.clientWith(new OidcRoleProvider({ roleArn: ROLE, oidcProviderArn: OIDC_PROVIDER, oidcTokenFile: tokenFile, stsEndpoint: fx.sts.endpoint }));
  await assert.rejects(stale.client.listObjectsV2({ bucket: BUCKET }), (e: OssError) => e.code === 'AuthenticationFail.OIDCToken.Invalid' && e.operation === 'AssumeRoleWithOIDC' && !e.retryable);
  const missing = fx.clientWith(new OidcRoleProvider({ roleArn: ROLE, oidcProviderArn: OIDC_PROVIDER, oidcTokenFile: path.join(fx.dir, 'absent'), stsEndpoint: fx.sts.endpoint }));
  await assert.rejects(missing.client.listObjectsV2({ bucket: BUCKET }), (e: OssError) => e.code === 'OIDCTokenUnreadable' && /absent/.test(e.message));
});

test('credentials URI: asked on first use and again before expiry; a service that is down fails once the credentials ran out', async () => {
  const svc = await startFakeCredentialsUri({ lifetimeMs: 3_000, onIssue: acceptOn(fx.server) });
  try {
    const { client } = fx.clientWith(new CredentialsUriProvider({ uri: svc.uri }));
    await client.putObject({ bucket: BUCKET, key: 'uri/a.txt', body: 'from the uri' });
    assert.equal(svc.issued.length, 1);
    await new Promise((r) => setTimeout(r, 2_200)); // past two thirds of the lifetime
    await client.listObjectsV2({ bucket: BUCKET, prefix: 'uri/' });
    assert.equal(svc.issued.length, 2, 'renewed ahead of expiry');
    svc.failWith = 503;
    await new Promise((r) => setTimeout(r, 3_100)); // the renewed ones expired too
    await assert.rejects(client.listObjectsV2({ bucket: BUCKET }), (e: OssError) => e.code === 'ServiceUnavailable' && e.status === 503 && e.operation === 'CredentialsUri' && !e.retryable);
  } finally {
    await svc.close();
  }
});

test("STS and a credentials URI are reached through the client's proxy, as OSS is", async () => {
  // 127.0.0.2: 127.0.0.1 always goes direct, so only a service there shows whether the proxy is used.
  const { startProxy } = await import('./countingProxy.js');
  const proxy = await startProxy();
  const sts = await startFakeSts({ baseKeys: [BASE], roles: { [ROLE]: [BASE.accessKeyId] }, onIssue: acceptOn(fx.server), host: '127.0.0.2' });
  const svc = await startFakeCredentialsUri({ onIssue: acceptOn(fx.server), host: '127.0.0.2' });
  try {
    const network = { proxy: proxy.url };
    const role = fx.clientWith(new RamRoleArnProvider({ base: fx.base(), roleArn: ROLE, stsEndpoint: sts.endpoint, network }));
    await role.client.listObjectsV2({ bucket: BUCKET });
    assert.equal(sts.calls.length, 1);
    assert.equal(proxy.forwarded, 1, 'AssumeRole went through the proxy');
    const uri = fx.clientWith(new CredentialsUriProvider({ uri: svc.uri, network }));
    await uri.client.listObjectsV2({ bucket: BUCKET });
    assert.equal(svc.issued.length, 1);
    assert.equal(proxy.forwarded, 2, 'the credentials URI too');
  } finally {
    await Promise.allSettled([sts.close(), svc.close(), proxy.close()]);
  }
});
