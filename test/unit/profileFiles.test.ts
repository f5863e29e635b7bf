// Reading the credentials files of the other Alibaba Cloud tools: every kind each file can hold,
// what is skipped and why, and malformed files refused with the file and line and nothing imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSharedCredentialsFile } from '../../src/oss/credentials/files/sharedCredentialsFile.js';
import { parseAliyunCliConfig } from '../../src/oss/credentials/files/aliyunCliConfig.js';
import { parseOssutilConfig } from '../../src/oss/credentials/files/ossutilConfig.js';
import { ProfileFileError } from '../../src/oss/credentials/files/profileFile.js';
import { profileFileLocations, readProfileFile } from '../../src/oss/credentials/files/profileFiles.js';

const byName = <T extends { name: string }>(ps: T[]): Record<string, T> => Object.fromEntries(ps.map((p) => [p.name, p]));

test('~/.alibabacloud/credentials: every type the SDKs write', () => {
  const ini = [
    '\uFEFF# comment',
    '[default]',
    'type = access_key',
    'access_key_id = LTAI-default',
    'access_key_secret = "quoted-secret"',
    'region_id = cn-shanghai',
    'oss_endpoint = https://oss-cn-shanghai-internal.aliyuncs.com',
    '',
    '; another comment',
    '[temp]',
    'type=sts',
    'access_key_id=STS.abc',
    'access_key_secret=s2',
    'security_token=tok',
    '[role]',
    'type = ram_role_arn',
    'access_key_id = LTAI-base',
    'access_key_secret = base-secret',
    'role_arn = acs:ram::123456789:role/ossadmin',
    'role_session_name = me',
    '[ecs]',
    'type = ecs_ram_role',
    'role_name = EcsOssRole',
    '[rrsa]',
    'type = oidc_role_arn',
    'role_arn = acs:ram::123:role/pod',
    'oidc_provider_arn = acs:ram::123:oidc-provider/ack',
    'oidc_token_file_path = /var/run/secrets/token',
    '[uri]',
    'type = credentials_uri',
    'credentials_uri = http://127.0.0.1:6666/creds',
    '[rsa]',
    'type = rsa_key_pair',
    'public_key_id = x',
    '[broken-ak]',
    'type = access_key',
    'access_key_id = only-id',
  ].join('\r\n');
  const r = parseSharedCredentialsFile(ini, '/home/u/.alibabacloud/credentials');
  const p = byName(r.profiles);
  assert.deepEqual(Object.keys(p), ['default', 'temp', 'role', 'ecs', 'rrsa', 'uri']);
  assert.deepEqual(p.default, { format: 'alibabacloud', file: '/home/u/.alibabacloud/credentials', name: 'default', kind: 'accessKey', region: 'cn-shanghai', endpoint: 'https://oss-cn-shanghai-internal.aliyuncs.com', accessKeyId: 'LTAI-default', accessKeySecret: 'quoted-secret' });
  assert.equal(p.temp!.kind, 'stsToken');
  assert.equal(p.temp!.securityToken, 'tok');
  assert.equal(p.role!.kind, 'ramRoleArn');
  assert.equal(p.role!.roleArn, 'acs:ram::123456789:role/ossadmin');
  assert.equal(p.role!.roleSessionName, 'me');
  assert.deepEqual([p.ecs!.kind, p.ecs!.roleName], ['ecsRamRole', 'EcsOssRole']);
  assert.deepEqual([p.rrsa!.kind, p.rrsa!.oidcTokenFile], ['oidcRoleArn', '/var/run/secrets/token']);
  assert.deepEqual([p.uri!.kind, p.uri!.credentialsUri], ['credentialsUri', 'http://127.0.0.1:6666/creds']);
  assert.deepEqual(r.skipped, [
    { name: 'rsa', reason: 'type rsa_key_pair is not supported here' },
    { name: 'broken-ak', reason: 'type access_key needs accessKeySecret' },
  ]);
});

test('a malformed INI file is refused with its file and line, and never echoes the line', () => {
  const ini = '[default]\ntype = access_key\naccess_key_secret-oops SECRET-VALUE\n';
  assert.throws(
    () => parseSharedCredentialsFile(ini, '/f'),
    (e: ProfileFileError) => e instanceof ProfileFileError && e.line === 3 && e.file === '/f' && /line 3/.test(e.message) && !e.message.includes('SECRET-VALUE'),
  );
  assert.throws(() => parseSharedCredentialsFile('access_key_id = x\n[default]\n', '/f'), (e: ProfileFileError) => e.line === 1 && /before any \[section\]/.test(e.reason));
  assert.throws(() => parseSharedCredentialsFile('[]\n', '/f'), (e: ProfileFileError) => e.line === 1);
});

const cliConfig = {
  current: 'work',
  profiles: [
    { name: 'default', mode: 'AK', access_key_id: 'LTAI-a', access_key_secret: 'sa', region_id: 'cn-hangzhou', sts_token: '', ram_role_arn: '' },
    { name: 'work', mode: 'StsToken', access_key_id: 'STS.w', access_key_secret: 'sw', sts_token: 'tw', region_id: 'cn-beijing' },
    { name: 'admin', mode: 'RamRoleArn', access_key_id: 'LTAI-b', access_key_secret: 'sb', ram_role_arn: 'acs:ram::1:role/admin', ram_session_name: 'cli', expired_seconds: 900, region_id: 'cn-hangzhou' },
    { name: 'chained', mode: 'ChainableRamRoleArn', source_profile: 'default', ram_role_arn: 'acs:ram::2:role/other', region_id: 'cn-shenzhen' },
    { name: 'ecs', mode: 'EcsRamRole', ram_role_name: 'Role1', region_id: 'cn-hangzhou' },
    { name: 'k8s', mode: 'OIDC', ram_role_arn: 'acs:ram::1:role/pod', oidc_provider_arn: 'acs:ram::1:oidc-provider/ack', oidc_token_file: '/t', region_id: 'cn-hangzhou' },
    { name: 'svc', mode: 'CredentialsURI', credentials_uri: 'http://localhost:7/c' },
    { name: 'sso', mode: 'CloudSSO' },
    { name: 'bad-chain', mode: 'ChainableRamRoleArn', source_profile: 'ecs', ram_role_arn: 'acs:ram::2:role/x' },
    { mode: 'AK' },
  ],
};

test('~/.aliyun/config.json: the CLI modes, a chained role with its source key, and the current profile', () => {
  const r = parseAliyunCliConfig(JSON.stringify(cliConfig, null, 2), '/home/u/.aliyun/config.json');
  assert.equal(r.current, 'work');
  const p = byName(r.profiles);
  assert.deepEqual(Object.keys(p), ['default', 'work', 'admin', 'chained', 'ecs', 'k8s', 'svc']);
  assert.deepEqual([p.default!.kind, p.default!.region, p.default!.securityToken], ['accessKey', 'cn-hangzhou', undefined]);
  assert.deepEqual([p.work!.kind, p.work!.securityToken], ['stsToken', 'tw']);
  assert.deepEqual([p.admin!.kind, p.admin!.roleArn, p.admin!.durationSeconds, p.admin!.roleSessionName], ['ramRoleArn', 'acs:ram::1:role/admin', 900, 'cli']);
  assert.deepEqual([p.chained!.kind, p.chained!.accessKeyId, p.chained!.accessKeySecret, p.chained!.roleArn], ['ramRoleArn', 'LTAI-a', 'sa', 'acs:ram::2:role/other']);
  assert.deepEqual([p.ecs!.kind, p.ecs!.roleName], ['ecsRamRole', 'Role1']);
  assert.deepEqual([p.k8s!.kind, p.k8s!.oidcTokenFile], ['oidcRoleArn', '/t']);
  assert.deepEqual([p.svc!.kind, p.svc!.credentialsUri], ['credentialsUri', 'http://localhost:7/c']);
  assert.deepEqual(
    r.skipped.map((s) => s.name),
    ['sso', 'bad-chain', '#10'],
  );
  assert.match(r.skipped[0]!.reason, /CloudSSO is not supported/);
});

test('a malformed config.json is refused with the line of the mistake', () => {
  const text = '{\n  "current": "a",\n  "profiles": [\n    { "name": "a", }\n  ]\n}\n';
  assert.throws(() => parseAliyunCliConfig(text, '/c.json'), (e: ProfileFileError) => e instanceof ProfileFileError && e.line === 4 && /not valid JSON/.test(e.message));
  // Node quotes the text of some mistakes in its message; none of it may reach ours.
  assert.throws(() => parseAliyunCliConfig('{"k":SECRET-X}', '/c.json'), (e: ProfileFileError) => /not valid JSON/.test(e.message) && !e.message.includes('SECRET'));
  assert.throws(() => parseAliyunCliConfig('[]', '/c.json'), /not a JSON object/);
  assert.throws(() => parseAliyunCliConfig('{"current":"x"}', '/c.json'), /no "profiles" list/);
});

test('~/.ossutilconfig: ossutil 1 [Credentials] and ossutil 2 profiles with any key spelling', () => {
  const v1 = parseOssutilConfig('[Credentials]\nlanguage=EN\nendpoint=oss-cn-hangzhou.aliyuncs.com\naccessKeyID=LTAI-u\naccessKeySecret=su\n[Bucket-Endpoint]\nb1=oss-cn-beijing.aliyuncs.com\n', '/o');
  assert.deepEqual(v1.profiles, [{ format: 'ossutil', file: '/o', name: 'default', kind: 'accessKey', endpoint: 'oss-cn-hangzhou.aliyuncs.com', accessKeyId: 'LTAI-u', accessKeySecret: 'su' }]);
  const v1sts = parseOssutilConfig('[Credentials]\nendpoint=oss-cn-hangzhou.aliyuncs.com\naccessKeyID=STS.u\naccessKeySecret=su\nstsToken=tok\n', '/o');
  assert.deepEqual([v1sts.profiles[0]!.kind, v1sts.profiles[0]!.securityToken], ['stsToken', 'tok']);
  const v2 = parseOssutilConfig(
    [
      '[default]',
      'accessKeyId = LTAI-d',
      'access-key-secret = sd',
      'region = cn-hangzhou',
      '[profile dev]',
      'access_key_id = LTAI-dev',
      'AccessKeySecret = sdev',
      'region=cn-shanghai',
      'endpoint=https://oss-cn-shanghai-internal.aliyuncs.com',
      '[profile role]',
      'mode = RamRoleArn',
      'accessKeyId = LTAI-r',
      'accessKeySecret = sr',
      'roleArn = acs:ram::1:role/r',
      'region = cn-hangzhou',
      '[profile ecs]',
      'mode = EcsRamRole',
      'ecsRoleName = R',
      '[buckets mybucket]',
      'region = cn-beijing',
      '[profile sso]',
      'mode = CloudSSO',
    ].join('\n'),
    '/o2',
  );
  const p = byName(v2.profiles);
  assert.deepEqual(Object.keys(p), ['default', 'dev', 'role', 'ecs']);
  assert.deepEqual([p.dev!.accessKeyId, p.dev!.accessKeySecret, p.dev!.region, p.dev!.endpoint], ['LTAI-dev', 'sdev', 'cn-shanghai', 'https://oss-cn-shanghai-internal.aliyuncs.com']);
  assert.deepEqual([p.role!.kind, p.role!.roleArn], ['ramRoleArn', 'acs:ram::1:role/r']);
  assert.deepEqual([p.ecs!.kind, p.ecs!.roleName], ['ecsRamRole', 'R']);
  assert.deepEqual(v2.skipped, [{ name: 'sso', reason: 'mode CloudSSO is not supported here' }]);
});

test('file locations follow the home folder and ALIBABA_CLOUD_CREDENTIALS_FILE; a missing file is no profiles, a broken one an error', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-profiles-'));
  try {
    const locs = profileFileLocations(home);
    assert.deepEqual(locs.map((l) => [l.format, path.relative(home, l.path)]), [
      ['alibabacloud', path.join('.alibabacloud', 'credentials')],
      ['aliyun-cli', path.join('.aliyun', 'config.json')],
      ['ossutil', '.ossutilconfig'],
    ]);
    assert.equal(profileFileLocations(home, { ALIBABA_CLOUD_CREDENTIALS_FILE: '/etc/creds' })[0]!.path, '/etc/creds');
    assert.equal(await readProfileFile(locs[0]!), undefined);
    fs.writeFileSync(locs[2]!.path, '[default]\naccessKeyId=a\naccessKeySecret=b\nregion=cn-hangzhou\n');
    assert.equal((await readProfileFile(locs[2]!))!.profiles[0]!.accessKeyId, 'a');
    fs.mkdirSync(path.dirname(locs[1]!.path));
    fs.writeFileSync(locs[1]!.path, '{ not json');
    await assert.rejects(readProfileFile(locs[1]!), ProfileFileError);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
