// Which credentials provider a profile signs with, the environment profiles ACK and credential
// services define, and the next step when a profile lacks what its kind needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsFor, ProfileIncompleteError } from '../../src/vscode/profiles/credentialsFor.js';
import { readEnvProfiles } from '../../src/vscode/profiles/envProfiles.js';
import type { Profile } from '../../src/vscode/profiles/profile.js';

const base: Profile = { id: 'p', name: 'P', source: 'user', region: 'cn-hangzhou' };

test('each kind gets its provider', async () => {
  const providers = [
    credentialsFor({ ...base, accessKeyId: 'AK' }, { accessKeySecret: 'S' }),
    credentialsFor({ ...base, accessKeyId: 'STS.x' }, { accessKeySecret: 'S', securityToken: 'T' }),
    credentialsFor({ ...base, kind: 'ramRoleArn', accessKeyId: 'AK', role: { roleArn: 'acs:ram::1:role/r' } }, { accessKeySecret: 'S' }),
    credentialsFor({ ...base, kind: 'ecsRamRole' }, {}),
    credentialsFor({ ...base, kind: 'oidcRoleArn', role: { roleArn: 'acs:ram::1:role/r' }, oidcProviderArn: 'acs:ram::1:oidc-provider/p', oidcTokenFile: '/t' }, {}),
    credentialsFor({ ...base, kind: 'credentialsUri' }, { credentialsUri: 'http://127.0.0.1:1/c' }),
  ];
  try {
    assert.deepEqual(providers.map((p) => p.kind), ['accessKey', 'stsToken', 'ramRoleArn', 'ecsRamRole', 'oidcRoleArn', 'credentialsUri']);
    assert.equal((await providers[1]!.getCredentials()).securityToken, 'T');
  } finally {
    await Promise.all(providers.map((p) => p.close()));
  }
});

test('a profile missing what its kind needs says what and where to add it', () => {
  assert.throws(() => credentialsFor({ ...base, kind: 'ramRoleArn', accessKeyId: 'AK' }, { accessKeySecret: 'S' }), (e: ProfileIncompleteError) => /has no role ARN/.test(e.message) && /Edit the profile/.test(e.nextStep));
  assert.throws(
    () => credentialsFor({ ...base, kind: 'credentialsUri', imported: { format: 'alibabacloud', file: '/h/.alibabacloud/credentials', name: 'u' } }, {}),
    (e: ProfileIncompleteError) => /credentials URI/.test(e.message) && /\/h\/\.alibabacloud\/credentials/.test(e.nextStep),
  );
  assert.throws(() => credentialsFor({ ...base }, { accessKeySecret: 'S' }), /AccessKey ID/);
});

test('the environment defines an OIDC role (ACK RRSA) and a credentials URI profile beside the OSS_* one', () => {
  const env = {
    OSS_ACCESS_KEY_ID: 'AK',
    OSS_ACCESS_KEY_SECRET: 'S',
    ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/pod',
    ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/ack',
    ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/secrets/tokens/oidc-token',
    ALIBABA_CLOUD_ROLE_SESSION_NAME: 'pod-session',
    ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:8/creds',
    ALIBABA_CLOUD_REGION_ID: 'cn-shanghai',
  };
  const list = readEnvProfiles(env);
  assert.deepEqual(list.map((e) => e.profile.id), ['env', 'env-oidc', 'env-uri']);
  const oidc = list[1]!.profile;
  assert.deepEqual([oidc.kind, oidc.role?.roleArn, oidc.role?.roleSessionName, oidc.oidcTokenFile, oidc.region], ['oidcRoleArn', 'acs:ram::1:role/pod', 'pod-session', '/var/run/secrets/tokens/oidc-token', 'cn-shanghai']);
  assert.deepEqual(list[2]!.secret, { credentialsUri: 'http://127.0.0.1:8/creds' });
  assert.equal(list[2]!.profile.region, 'cn-shanghai');
  // OSS_REGION wins over the generic region; nothing at all assumes cn-hangzhou.
  assert.equal(readEnvProfiles({ ...env, OSS_REGION: 'cn-beijing' })[1]!.profile.region, 'cn-beijing');
  assert.equal(readEnvProfiles({ ALIBABA_CLOUD_CREDENTIALS_URI: 'http://x/' })[0]!.profile.region, 'cn-hangzhou');
  // Half of the RRSA variables is no profile.
  assert.deepEqual(readEnvProfiles({ ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/pod' }), []);
});
