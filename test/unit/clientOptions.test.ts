import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientOptionsFor, connectionFor } from '../../src/vscode/profiles/clientOptions.js';
import type { Profile } from '../../src/vscode/profiles/profile.js';

const base: Profile = { id: 'p1', name: 'prod', accessKeyId: 'AK', source: 'user' };

test('a region profile talks to the region endpoint, a bucket to its own region', () => {
  const p: Profile = { ...base, region: 'cn-hangzhou' };
  assert.deepEqual(connectionFor(p, 'v4'), { endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', region: 'cn-hangzhou', signatureVersion: 'v4' });
  assert.deepEqual(connectionFor(p, 'v4', { region: 'cn-beijing', extranetEndpoint: 'oss-cn-beijing.aliyuncs.com', intranetEndpoint: 'oss-cn-beijing-internal.aliyuncs.com' }), {
    endpoint: 'https://oss-cn-beijing.aliyuncs.com',
    region: 'cn-beijing',
    signatureVersion: 'v4',
  });
  // Without endpoint names (GetBucketInfo gave only the region) the endpoint is derived.
  assert.equal(connectionFor(p, 'v4', { region: 'ap-southeast-1' }).endpoint, 'https://oss-ap-southeast-1.aliyuncs.com');
});

test('an internal endpoint profile stays on the internal network', () => {
  const p: Profile = { ...base, region: 'cn-hangzhou', endpoint: 'https://oss-cn-hangzhou-internal.aliyuncs.com' };
  assert.equal(
    connectionFor(p, 'v4', { region: 'cn-beijing', extranetEndpoint: 'oss-cn-beijing.aliyuncs.com', intranetEndpoint: 'oss-cn-beijing-internal.aliyuncs.com' }).endpoint,
    'https://oss-cn-beijing-internal.aliyuncs.com',
  );
});

test('a custom endpoint is used for every bucket', () => {
  const p: Profile = { ...base, endpoint: 'http://127.0.0.1:9000', region: 'cn-hangzhou' };
  assert.deepEqual(connectionFor(p, 'v4', { region: 'cn-beijing', extranetEndpoint: 'oss-cn-beijing.aliyuncs.com' }), {
    endpoint: 'http://127.0.0.1:9000',
    region: 'cn-hangzhou',
    signatureVersion: 'v4',
  });
});

test('V4 without any region is refused with a next step; V1 does not need one', () => {
  const p: Profile = { ...base, endpoint: 'http://127.0.0.1:9000' };
  assert.throws(() => connectionFor({ ...p, endpoint: 'https://oss.example.com' }, 'v4'), /Signature V4 needs a region: edit profile "prod"/);
  // A local test server gets the client's default region.
  assert.deepEqual(connectionFor(p, 'v4'), { endpoint: 'http://127.0.0.1:9000', signatureVersion: 'v4' });
  assert.deepEqual(connectionFor(p, 'v1'), { endpoint: 'http://127.0.0.1:9000', signatureVersion: 'v1' });
  assert.deepEqual(connectionFor({ ...p, signatureVersion: 'v1' }, 'v4').signatureVersion, 'v1');
  assert.throws(() => connectionFor(base, 'v1'), /neither a region nor an endpoint/);
});

test('client options carry the secret only from the secret argument', () => {
  const o = clientOptionsFor({ ...base, region: 'cn-hangzhou' }, { accessKeySecret: 'SK', securityToken: 'T' }, 'v4');
  assert.equal(o.accessKeyId, 'AK');
  assert.equal(o.accessKeySecret, 'SK');
  assert.equal(o.securityToken, 'T');
  assert.equal('securityToken' in clientOptionsFor({ ...base, region: 'cn-hangzhou' }, { accessKeySecret: 'SK' }, 'v4'), false);
});

test('a custom domain bound to a bucket gets custom-domain addressing and is used as is', () => {
  const p: Profile = { ...base, endpoint: 'https://files.example.com', region: 'cn-shanghai', customDomainBucket: 'photos' };
  assert.deepEqual(connectionFor(p, 'v4'), { endpoint: 'https://files.example.com', region: 'cn-shanghai', signatureVersion: 'v4', cname: true });
  // A bucket location never moves a custom domain to the bucket's region endpoint.
  assert.deepEqual(connectionFor(p, 'v4', { region: 'cn-beijing', extranetEndpoint: 'oss-cn-beijing.aliyuncs.com' }).endpoint, 'https://files.example.com');
  const o = clientOptionsFor(p, { accessKeySecret: 'SK' }, 'v4');
  assert.equal(o.cname, true);
  // The same host without the binding is a proxy serving every bucket: no cname.
  assert.equal('cname' in connectionFor({ ...p, customDomainBucket: undefined }, 'v4'), false);
  assert.equal('cname' in connectionFor({ ...base, region: 'cn-hangzhou' }, 'v4'), false);
  // V4 through a custom domain still needs the bucket's region.
  assert.throws(() => connectionFor({ ...p, region: undefined }, 'v4'), /Signature V4 needs a region/);
  assert.deepEqual(connectionFor({ ...p, region: undefined }, 'v1'), { endpoint: 'https://files.example.com', signatureVersion: 'v1', cname: true });
});

test('a custom-domain binding on an endpoint that cannot be one is refused with a next step', () => {
  for (const endpoint of ['https://oss-cn-hangzhou.aliyuncs.com', 'http://127.0.0.1:9000', undefined]) {
    const p: Profile = { ...base, region: 'cn-hangzhou', customDomainBucket: 'photos', ...(endpoint ? { endpoint } : {}) };
    assert.throws(() => connectionFor(p, 'v4'), /binds bucket photos to a custom domain .* is not one; edit the profile/, String(endpoint));
  }
});
