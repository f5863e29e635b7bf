import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAccessKeyId,
  checkBucketName,
  checkCustomDomainBucket,
  checkCustomDomainProfile,
  checkProfileName,
  checkSecret,
  mayBeCustomDomain,
  parseRegionOrEndpoint,
  problemOf,
  readEnvProfile,
} from '../../src/vscode/profiles/profileInput.js';

test('region or endpoint input', () => {
  assert.deepEqual(parseRegionOrEndpoint(' cn-hangzhou '), { region: 'cn-hangzhou' });
  assert.deepEqual(parseRegionOrEndpoint('oss-cn-beijing'), { region: 'cn-beijing' });
  assert.deepEqual(parseRegionOrEndpoint('oss-cn-shanghai.aliyuncs.com'), {
    region: 'cn-shanghai',
    endpoint: 'https://oss-cn-shanghai.aliyuncs.com',
  });
  assert.deepEqual(parseRegionOrEndpoint('http://127.0.0.1:9000'), { endpoint: 'http://127.0.0.1:9000' });
  assert.deepEqual(parseRegionOrEndpoint('https://oss-cn-hangzhou-internal.aliyuncs.com/'), {
    region: 'cn-hangzhou',
    endpoint: 'https://oss-cn-hangzhou-internal.aliyuncs.com',
  });
  assert.throws(() => parseRegionOrEndpoint(''), /Enter a region/);
  assert.throws(() => parseRegionOrEndpoint('cn_hangzhou'), /is not a region/);
  assert.throws(() => parseRegionOrEndpoint('http://host/path'), /Not a usable endpoint/);
  assert.throws(() => parseRegionOrEndpoint('ftp://host'), /Not a usable endpoint/);
});

test('keys are trimmed and inner whitespace refused', () => {
  assert.equal(checkAccessKeyId('  LTAIabc  '), 'LTAIabc');
  assert.throws(() => checkAccessKeyId('LTAI abc'), /must not contain spaces/);
  assert.throws(() => checkAccessKeyId('   '), /Enter the AccessKey ID/);
  assert.equal(checkSecret('\tsecret\n'), 'secret');
  assert.throws(() => checkSecret('a b'), /must not contain spaces/);
  assert.equal(problemOf(() => checkSecret('')), 'Enter the AccessKey secret.');
  assert.equal(problemOf(() => checkSecret('x')), undefined);
});

test('profile names are unique (case-insensitive) and bucket names follow OSS rules', () => {
  assert.equal(checkProfileName(' prod ', ['dev']), 'prod');
  assert.throws(() => checkProfileName('Dev', ['dev']), /already exists/);
  assert.equal(checkBucketName(' my-bucket-1 '), 'my-bucket-1');
  for (const bad of ['ab', 'My-Bucket', '-abc', 'abc-', 'a_b_c', 'a'.repeat(64)]) assert.throws(() => checkBucketName(bad), /3–63/, bad);
});

test('environment profile', () => {
  assert.equal(readEnvProfile({}), undefined);
  assert.equal(readEnvProfile({ OSS_ACCESS_KEY_ID: 'id' }), undefined);
  const p = readEnvProfile({
    OSS_ACCESS_KEY_ID: ' id ',
    OSS_ACCESS_KEY_SECRET: ' sk ',
    OSS_SESSION_TOKEN: 'tok',
    OSS_ENDPOINT: 'http://127.0.0.1:9000',
    OSS_REGION: 'oss-cn-hangzhou',
  });
  assert.ok(p);
  assert.deepEqual(p.profile, {
    id: 'env',
    name: 'Environment (OSS_ACCESS_KEY_ID)',
    accessKeyId: 'id',
    source: 'env',
    endpoint: 'http://127.0.0.1:9000',
    region: 'cn-hangzhou',
  });
  assert.deepEqual(p.secret, { accessKeySecret: 'sk', securityToken: 'tok' });
  assert.equal(p.problem, undefined);
  // The secret must never end up in the profile metadata.
  assert.ok(!JSON.stringify(p.profile).includes('sk'));
  const bad = readEnvProfile({ OSS_ACCESS_KEY_ID: 'id', OSS_ACCESS_KEY_SECRET: 'sk', OSS_ENDPOINT: 'http://h/p' });
  assert.match(bad?.problem ?? '', /^Environment profile: Not a usable endpoint/);
  assert.equal(readEnvProfile({ OSS_ACCESS_KEY_ID: 'id', OSS_ACCESS_KEY_SECRET: 'sk', OSS_SIGNATURE_VERSION: 'V1' })?.profile.signatureVersion, 'v1');
});

test('custom domain: asked only for endpoints that can be one, answered with a bucket name or nothing', () => {
  assert.equal(mayBeCustomDomain('https://files.example.com'), true);
  assert.equal(mayBeCustomDomain('http://cdn.example.com:8080'), true);
  assert.equal(mayBeCustomDomain('https://oss-cn-hangzhou.aliyuncs.com'), false);
  assert.equal(mayBeCustomDomain('https://oss-accelerate.aliyuncs.com'), false);
  assert.equal(mayBeCustomDomain('http://127.0.0.1:9000'), false);
  assert.equal(mayBeCustomDomain('http://[::1]:9000'), false);
  assert.equal(mayBeCustomDomain('http://localhost:9000'), false);
  assert.equal(mayBeCustomDomain(undefined), false);
  assert.equal(mayBeCustomDomain('http://host/path'), false);

  assert.equal(checkCustomDomainBucket('  '), undefined);
  assert.equal(checkCustomDomainBucket(' photos '), 'photos');
  assert.throws(() => checkCustomDomainBucket('Photos'), /bucket name has 3–63 characters.*Leave it empty if this endpoint is a proxy/);
  assert.equal(problemOf(() => checkCustomDomainBucket('')), undefined);

  assert.doesNotThrow(() => checkCustomDomainProfile('https://files.example.com', 'photos'));
  assert.doesNotThrow(() => checkCustomDomainProfile('https://oss-cn-hangzhou.aliyuncs.com', undefined));
  assert.throws(() => checkCustomDomainProfile('https://oss-cn-hangzhou.aliyuncs.com', 'photos'), /cannot be a custom domain/);
  assert.throws(() => checkCustomDomainProfile(undefined, 'photos'), /needs its endpoint/);
});

test('role ARNs, OIDC provider ARNs, session names and URLs of the credential steps are checked as typed', async () => {
  const { checkRoleArn, checkOidcProviderArn, checkRoleSessionName, checkHttpUrl } = await import('../../src/vscode/profiles/profileInput.js');
  assert.equal(checkRoleArn(' acs:ram::1234567890123456:role/ops '), 'acs:ram::1234567890123456:role/ops');
  assert.throws(() => checkRoleArn('arn:aws:iam::1:role/x'), /acs:ram::/);
  assert.equal(checkOidcProviderArn('acs:ram::1:oidc-provider/ack'), 'acs:ram::1:oidc-provider/ack');
  assert.throws(() => checkOidcProviderArn('acs:ram::1:role/x'), /oidc-provider/);
  assert.equal(checkRoleSessionName(''), undefined);
  assert.equal(checkRoleSessionName('me@example.com'), 'me@example.com');
  assert.throws(() => checkRoleSessionName('has space'), /2–64/);
  assert.equal(checkHttpUrl('sts.cn-hangzhou.aliyuncs.com', 'stsEndpoint'), 'https://sts.cn-hangzhou.aliyuncs.com');
  assert.equal(checkHttpUrl('', 'stsEndpoint', true), undefined);
  assert.throws(() => checkHttpUrl('', 'credentialsUri'), /credentials URI/);
  assert.throws(() => checkHttpUrl('ftp://x/y', 'credentialsUri'), /http:\/\/ or https:\/\//);
});
