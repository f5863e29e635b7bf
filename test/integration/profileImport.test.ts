// Import Profiles and keeping them in sync, with a temporary home folder holding the three
// credentials files, the real profile store over in-memory globalState / SecretStorage (fake vscode
// module), the OSS test server and the fake STS: imported profiles list buckets with their kind of
// credentials, secrets reach SecretStorage only, a changed file is re-read, a malformed one changes
// nothing, and the current profile follows Switch Profile.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryChannel, MemoryMemento, MemorySecrets, installFakeVscode } from './fakeVscode.js';
import { BASE, BUCKET, ROLE, startCredsFixture, type CredsFixture } from './credentialsFixture.js';

installFakeVscode();

type Store = import('../../src/vscode/profiles/profileStore.js').ProfileStore;
type Importer = import('../../src/vscode/profiles/import/profileImporter.js').ProfileImporter;
type Registry = import('../../src/vscode/profiles/clientRegistry.js').ClientRegistry;

let fx: CredsFixture;
let home: string;
let state: MemoryMemento;
let secrets: MemorySecrets;
let channel: MemoryChannel;
let store: Store;
let importer: Importer;
let clients: Registry;

const iniPath = () => path.join(home, '.alibabacloud', 'credentials');
const cliPath = () => path.join(home, '.aliyun', 'config.json');
const ossutilPath = () => path.join(home, '.ossutilconfig');

function ini(secret: string): string {
  return [
    '[default]',
    'type = access_key',
    `oss_endpoint = ${fx.server.endpoint}`,
    `access_key_id = ${BASE.accessKeyId}`,
    `access_key_secret = ${secret}`,
    '[role]',
    'type = ram_role_arn',
    `access_key_id = ${BASE.accessKeyId}`,
    `access_key_secret = ${BASE.accessKeySecret}`,
    `role_arn = ${ROLE}`,
    `oss_endpoint = ${fx.server.endpoint}`,
    `sts_endpoint = ${fx.sts.endpoint}`,
    '',
  ].join('\n');
}

before(async () => {
  fx = await startCredsFixture();
  home = await fsp.mkdtemp(path.join(os.tmpdir(), 'oss-home-'));
  await fsp.mkdir(path.dirname(iniPath()), { recursive: true });
  await fsp.mkdir(path.dirname(cliPath()), { recursive: true });
  await fsp.writeFile(iniPath(), ini(BASE.accessKeySecret));
  await fsp.writeFile(
    cliPath(),
    JSON.stringify({ current: 'work', profiles: [{ name: 'work', mode: 'StsToken', access_key_id: 'STS.cli', access_key_secret: 'cli-secret', sts_token: 'cli-token', region_id: 'cn-beijing' }] }, null, 2),
  );
  await fsp.writeFile(ossutilPath(), `[Credentials]\nendpoint=${fx.server.endpoint}\naccessKeyID=${BASE.accessKeyId}\naccessKeySecret=${BASE.accessKeySecret}\n`);

  const { Logger } = await import('../../src/vscode/logger.js');
  const { ProfileStore } = await import('../../src/vscode/profiles/profileStore.js');
  const { ProfileImporter } = await import('../../src/vscode/profiles/import/profileImporter.js');
  const { ClientRegistry } = await import('../../src/vscode/profiles/clientRegistry.js');
  channel = new MemoryChannel();
  const log = new Logger(channel as never);
  state = new MemoryMemento();
  secrets = new MemorySecrets();
  store = new ProfileStore(state as never, secrets as never, {});
  importer = new ProfileImporter(store, log, { home, env: {}, pollMs: 100 });
  clients = new ClientRegistry(store, log, () => 'v4');
});

after(async () => {
  importer?.dispose();
  clients?.dispose();
  store?.dispose();
  await fx.close();
  await fsp.rm(home, { recursive: true, force: true });
});

async function waitFor(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the three files are found; importing puts metadata in globalState and secrets in SecretStorage only', async () => {
  const scan = await importer.scan();
  assert.deepEqual(scan.errors, []);
  assert.deepEqual(scan.files.map((f) => [f.format, f.profiles.map((p) => p.name)]), [
    ['alibabacloud', ['default', 'role']],
    ['aliyun-cli', ['work']],
    ['ossutil', ['default']],
  ]);
  const saved = await importer.importProfiles(scan.files.flatMap((f) => f.profiles));
  assert.deepEqual(saved.map((p) => p.name), ['default (Alibaba Cloud SDK)', 'role (Alibaba Cloud SDK)', 'work (aliyun CLI)', 'default (ossutil)']);
  const dump = state.dump();
  for (const secret of [BASE.accessKeySecret, 'cli-secret', 'cli-token']) assert.ok(!dump.includes(secret), `${secret} is not in globalState`);
  assert.ok(!channel.lines.join('\n').includes(BASE.accessKeySecret) && !channel.lines.join('\n').includes('cli-token'), 'nor in the log');
  const work = store.list().find((p) => p.name === 'work (aliyun CLI)')!;
  assert.deepEqual(await store.secret(work), { accessKeySecret: 'cli-secret', securityToken: 'cli-token' });
  assert.equal(work.region, 'cn-beijing');
  assert.deepEqual(work.imported, { format: 'aliyun-cli', file: cliPath(), name: 'work' });
  // Importing again refreshes the same profiles instead of adding copies.
  await importer.importProfiles(scan.files.flatMap((f) => f.profiles));
  assert.equal(store.list().length, 4);
});

test('an imported RAM role profile lists the bucket through STS; the ossutil one with its endpoint', async () => {
  const role = store.list().find((p) => p.name === 'role (Alibaba Cloud SDK)')!;
  assert.equal(role.kind, 'ramRoleArn');
  fx.server.stats.reset();
  const roleClient = await clients.clientFor(role.id, BUCKET);
  await roleClient.listObjectsV2({ bucket: BUCKET });
  assert.ok(Object.keys(fx.server.stats.callers()).every((k) => k.startsWith('STS.')), 'the role credentials, not the base key, reached OSS');
  assert.ok(channel.lines.some((l) => /role \(Alibaba Cloud SDK\): temporary credentials STS\.\S*… from RAM role ARN, valid until/.test(l)), 'the renewal is logged without the secret');
  const ossutil = store.list().find((p) => p.name === 'default (ossutil)')!;
  assert.equal(ossutil.endpoint, fx.server.endpoint);
  const c = await clients.client(ossutil.id);
  assert.ok((await c.listBuckets()).buckets.some((b) => b.name === BUCKET));
});

test('a changed file is re-read: the new secret reaches SecretStorage, and a client in use keeps working', async () => {
  const def = store.list().find((p) => p.name === 'default (Alibaba Cloud SDK)')!;
  const before = await clients.client(def.id);
  await fsp.writeFile(iniPath(), ini('rotated-secret-value'));
  await waitFor(async () => (await store.secret(store.get(def.id)!)).accessKeySecret === 'rotated-secret-value', 'the new secret');
  assert.ok(channel.lines.some((l) => l.includes('"default (Alibaba Cloud SDK)" updated from') && l.includes('(new credentials)')));
  assert.ok(!state.dump().includes('rotated-secret-value'));
  // The registry built a new client for the profile; the old one (a transfer may hold it) still works.
  assert.notEqual(await clients.client(def.id), before);
  await before.listObjectsV2({ bucket: BUCKET });
  await fsp.writeFile(iniPath(), ini(BASE.accessKeySecret));
  await waitFor(async () => (await store.secret(store.get(def.id)!)).accessKeySecret === BASE.accessKeySecret, 'the secret back');
});

test('a malformed file is reported with its line, imports nothing, changes nothing, and its profiles keep their credentials', async () => {
  const work = store.list().find((p) => p.name === 'work (aliyun CLI)')!;
  const broken = '{\n  "current": "work",\n  "profiles": [ { "name": "work", } ]\n}\n';
  await fsp.writeFile(cliPath(), broken);
  const scan = await importer.scan();
  assert.equal(scan.errors.length, 1);
  assert.equal(scan.errors[0]!.file, cliPath());
  assert.equal(scan.errors[0]!.line, 3);
  assert.deepEqual(scan.files.map((f) => f.format), ['alibabacloud', 'ossutil'], 'the other files still offer their profiles');
  await importer.syncFile(importer.locations[1]!);
  assert.deepEqual(await store.secret(store.get(work.id)!), { accessKeySecret: 'cli-secret', securityToken: 'cli-token' });
  assert.ok(channel.lines.some((l) => l.includes('keep their current credentials until it can be read again')));
  assert.equal(readFileSync(cliPath(), 'utf8'), broken, 'the file is never written');
});

test('the current profile: set by Switch Profile, cleared when that profile is removed', async () => {
  const [a, b] = store.list();
  let fired = 0;
  const sub = store.onDidChangeCurrent(() => fired++);
  assert.equal(store.current(), undefined);
  await store.setCurrent(b!.id);
  assert.equal(store.current()?.id, b!.id);
  await store.remove(b!.id);
  assert.equal(store.current(), undefined);
  await store.setCurrent(a!.id);
  assert.equal(fired, 3);
  await assert.rejects(store.setCurrent('no-such-id'), /no profile/);
  sub.dispose();
});
