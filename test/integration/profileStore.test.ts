// The profile store with in-memory globalState / SecretStorage (fake vscode module): secrets only
// ever go to SecretStorage, edits keep or replace them, removal deletes them, and the environment
// profile cannot be changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryMemento, MemorySecrets, installFakeVscode } from './fakeVscode.js';

installFakeVscode();

async function makeStore(env: Record<string, string> = {}) {
  const { ProfileStore, MissingSecretError } = await import('../../src/vscode/profiles/profileStore.js');
  const state = new MemoryMemento();
  const secrets = new MemorySecrets();
  const store = new ProfileStore(state as never, secrets as never, env);
  let changes = 0;
  store.onDidChange(() => changes++);
  return { store, state, secrets, MissingSecretError, changes: () => changes };
}

test('a saved profile keeps its secret in SecretStorage only', async () => {
  const { store, state, secrets, changes } = await makeStore();
  const p = await store.save({ name: 'prod', accessKeyId: 'AKID', region: 'cn-hangzhou' }, { accessKeySecret: 'TOP-SECRET', securityToken: 'STS-TOKEN' });
  assert.equal(p.source, 'user');
  assert.deepEqual(await store.secret(p), { accessKeySecret: 'TOP-SECRET', securityToken: 'STS-TOKEN' });
  assert.ok(!state.dump().includes('TOP-SECRET') && !state.dump().includes('STS-TOKEN'), 'no secret in globalState');
  assert.match(state.dump(), /AKID/);
  assert.equal((await secrets.keys()).length, 1);
  assert.ok(changes() >= 1);
});

test('editing without a secret keeps the stored one; with one replaces it', async () => {
  const { store } = await makeStore();
  const p = await store.save({ name: 'a', accessKeyId: 'AK1', region: 'cn-hangzhou' }, { accessKeySecret: 'S1' });
  await store.save({ id: p.id, name: 'a2', accessKeyId: 'AK2', endpoint: 'http://127.0.0.1:9' });
  const edited = store.get(p.id)!;
  assert.equal(edited.name, 'a2');
  assert.equal(edited.region, undefined, 'a cleared field is gone');
  assert.equal(edited.endpoint, 'http://127.0.0.1:9');
  assert.deepEqual(await store.secret(edited), { accessKeySecret: 'S1' });
  await store.save({ id: p.id, name: 'a2', accessKeyId: 'AK2' }, { accessKeySecret: 'S2' });
  assert.deepEqual(await store.secret(store.get(p.id)!), { accessKeySecret: 'S2' });
  assert.equal(store.list().length, 1);
});

test('removing a profile deletes its secret and added buckets', async () => {
  const { store, secrets, MissingSecretError } = await makeStore();
  const p = await store.save({ name: 'x', accessKeyId: 'AK', region: 'cn-hangzhou' }, { accessKeySecret: 'S' });
  await store.addBucket(p.id, { name: 'bkt', region: 'cn-beijing' });
  assert.deepEqual(store.addedBuckets(p.id), [{ name: 'bkt', region: 'cn-beijing' }]);
  await store.remove(p.id);
  assert.equal(store.get(p.id), undefined);
  assert.deepEqual(await secrets.keys(), []);
  assert.deepEqual(store.addedBuckets(p.id), []);
  await assert.rejects(store.secret({ ...p }), MissingSecretError);
});

test('the environment profile is listed first, with its secret from the environment, and is read-only', async () => {
  const { store, state } = await makeStore({ OSS_ACCESS_KEY_ID: 'ENVAK', OSS_ACCESS_KEY_SECRET: 'ENVSECRET', OSS_REGION: 'cn-shanghai' });
  await store.save({ name: 'mine', accessKeyId: 'AK', region: 'cn-hangzhou' }, { accessKeySecret: 'S' });
  const [env, mine] = store.list();
  assert.equal(env?.source, 'env');
  assert.equal(env?.region, 'cn-shanghai');
  assert.equal(mine?.name, 'mine');
  assert.deepEqual(await store.secret(env!), { accessKeySecret: 'ENVSECRET' });
  await assert.rejects(store.save({ id: 'env', name: 'hack', accessKeyId: 'x' }), /cannot be edited/);
  await assert.rejects(store.remove('env'), /unset them/);
  assert.ok(!state.dump().includes('ENVSECRET'));
  // Buckets added by name are remembered for the env profile too.
  await store.addBucket('env', { name: 'only-this' });
  assert.deepEqual(store.addedBuckets('env'), [{ name: 'only-this' }]);
});
