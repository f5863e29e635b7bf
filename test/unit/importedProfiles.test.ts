// From another tool's profile to ours (metadata in one place, secret in the other), the names they
// get, and the plan that brings imported profiles in line with a changed file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImportedProfile, ParsedProfileFile } from '../../src/oss/credentials/files/profileFile.js';
import { displayName, importedData, planSync } from '../../src/vscode/profiles/import/importedProfiles.js';
import type { Profile } from '../../src/vscode/profiles/profile.js';

const FILE = '/home/u/.aliyun/config.json';
const ak: ImportedProfile = { format: 'aliyun-cli', file: FILE, name: 'default', kind: 'accessKey', region: 'cn-beijing', accessKeyId: 'LTAI-a', accessKeySecret: 'sa' };

test('an AccessKey profile: ID and region in the metadata, the secret apart', () => {
  const d = importedData(ak, 'default (aliyun CLI)');
  assert.deepEqual(d.meta, { name: 'default (aliyun CLI)', kind: 'accessKey', region: 'cn-beijing', accessKeyId: 'LTAI-a', imported: { format: 'aliyun-cli', file: FILE, name: 'default' } });
  assert.deepEqual(d.secret, { accessKeySecret: 'sa' });
  assert.ok(!JSON.stringify(d.meta).includes('sa"'), 'no secret in the metadata');
  assert.deepEqual(d.notes, []);
});

test('each kind keeps what it needs; a profile without a region gets cn-hangzhou and a note', () => {
  const sts = importedData({ ...ak, kind: 'stsToken', securityToken: 'tok' }, 'x');
  assert.deepEqual([sts.meta.kind, sts.secret.securityToken], ['accessKey', 'tok']);
  const role = importedData({ ...ak, kind: 'ramRoleArn', roleArn: 'acs:ram::1:role/r', roleSessionName: 's', durationSeconds: 900, stsRegion: 'cn-shanghai' }, 'x');
  assert.deepEqual(role.meta.role, { roleArn: 'acs:ram::1:role/r', roleSessionName: 's', durationSeconds: 900, stsRegion: 'cn-shanghai' });
  const ecs = importedData({ format: 'alibabacloud', file: '/c', name: 'e', kind: 'ecsRamRole', roleName: 'R' }, 'x');
  assert.deepEqual([ecs.meta.kind, ecs.meta.ecsRoleName, ecs.meta.region, ecs.secret], ['ecsRamRole', 'R', 'cn-hangzhou', {}]);
  assert.match(ecs.notes[0]!, /cn-hangzhou is assumed/);
  const uri = importedData({ format: 'alibabacloud', file: '/c', name: 'u', kind: 'credentialsUri', credentialsUri: 'http://127.0.0.1:1/c?token=t' }, 'x');
  assert.deepEqual(uri.secret, { credentialsUri: 'http://127.0.0.1:1/c?token=t' });
  assert.ok(!JSON.stringify(uri.meta).includes('token=t'), 'the URI is kept as a secret');
  const oss = importedData({ format: 'ossutil', file: '/o', name: 'default', kind: 'accessKey', endpoint: 'oss-cn-shenzhen.aliyuncs.com', accessKeyId: 'a', accessKeySecret: 'b' }, 'x');
  assert.deepEqual([oss.meta.endpoint, oss.meta.region], ['https://oss-cn-shenzhen.aliyuncs.com', 'cn-shenzhen']);
});

test('names say where a profile came from and never collide', () => {
  assert.equal(displayName(ak, []), 'default (aliyun CLI)');
  assert.equal(displayName(ak, ['Default (aliyun CLI)']), 'default (aliyun CLI) 2');
  assert.equal(displayName({ ...ak, format: 'ossutil' }, ['default (aliyun CLI)']), 'default (ossutil)');
});

function stored(over: Partial<Profile> = {}): Profile {
  const d = importedData(ak, 'My default');
  return { id: 'p1', source: 'user', ...d.meta, ...over } as Profile;
}

const fileWith = (profiles: ImportedProfile[]): ParsedProfileFile => ({ format: 'aliyun-cli', file: FILE, profiles, skipped: [] });

test('sync: nothing changed, nothing to do', () => {
  assert.deepEqual(planSync([{ profile: stored(), secret: { accessKeySecret: 'sa' } }], fileWith([ak])), { updates: [], gone: [] });
});

test('sync: a new secret, a new region, a profile gone; the name given here stays', () => {
  const other = stored({ id: 'p2', imported: { format: 'aliyun-cli', file: FILE, name: 'removed' } });
  const elsewhere = stored({ id: 'p3', imported: { format: 'ossutil', file: '/o', name: 'default' } });
  const plan = planSync(
    [
      { profile: stored(), secret: { accessKeySecret: 'sa' } },
      { profile: other, secret: { accessKeySecret: 'x' } },
      { profile: elsewhere, secret: undefined },
    ],
    fileWith([{ ...ak, accessKeySecret: 'rotated', region: 'cn-shanghai' }]),
  );
  assert.equal(plan.updates.length, 1);
  assert.equal(plan.updates[0]!.id, 'p1');
  assert.equal(plan.updates[0]!.meta.name, 'My default');
  assert.equal(plan.updates[0]!.meta.region, 'cn-shanghai');
  assert.deepEqual(plan.updates[0]!.secret, { accessKeySecret: 'rotated' });
  assert.deepEqual(plan.gone.map((p) => p.id), ['p2']);
  // Only the region changed: the secret is not rewritten.
  const regionOnly = planSync([{ profile: stored(), secret: { accessKeySecret: 'sa' } }], fileWith([{ ...ak, region: 'cn-shenzhen' }]));
  assert.equal(regionOnly.updates[0]!.secret, undefined);
  // A mode change (AK -> RamRoleArn) moves the profile to the new kind.
  const toRole = planSync([{ profile: stored(), secret: { accessKeySecret: 'sa' } }], fileWith([{ ...ak, kind: 'ramRoleArn', roleArn: 'acs:ram::1:role/r' }]));
  assert.deepEqual([toRole.updates[0]!.meta.kind, toRole.updates[0]!.meta.role?.roleArn], ['ramRoleArn', 'acs:ram::1:role/r']);
});
