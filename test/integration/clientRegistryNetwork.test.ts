// The extension's clients on VS Code's proxy settings (fake `vscode`): built through the proxy
// http.proxy names, rebuilt direct once the setting is cleared, while a client a running transfer
// still holds keeps working; a CA file that is not there stops client builds with the setting named
// until it is, without being remembered as broken.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { MemoryChannel, MemoryMemento, MemorySecrets, installFakeVscode, recorder } from './fakeVscode.js';
import { BUCKET, CA_FILE, CREDS, roundTrip, startEndpoints, startProxy, type CountingProxy, type Endpoints } from './proxyFixture.js';

installFakeVscode();

let ep: Endpoints;
let proxy: CountingProxy;

before(async () => {
  ep = await startEndpoints();
  proxy = await startProxy();
});
after(async () => {
  recorder.config = {};
  await ep.close();
  await proxy.close();
});

async function registry(endpoint: string, caFile: () => string) {
  const { Logger } = await import('../../src/vscode/logger.js');
  const { ProfileStore } = await import('../../src/vscode/profiles/profileStore.js');
  const { ClientRegistry } = await import('../../src/vscode/profiles/clientRegistry.js');
  const { NetworkSettings } = await import('../../src/vscode/settings/networkSettings.js');
  const channel = new MemoryChannel();
  const log = new Logger(channel as never);
  const store = new ProfileStore(new MemoryMemento() as never, new MemorySecrets() as never, {
    OSS_ACCESS_KEY_ID: CREDS.accessKeyId,
    OSS_ACCESS_KEY_SECRET: CREDS.accessKeySecret,
    OSS_ENDPOINT: endpoint,
  });
  const network = new NetworkSettings(caFile, log, {});
  const clients = new ClientRegistry(store, log, () => 'v4', () => ({}), () => network.options());
  return { channel, store, network, clients, profileId: store.list()[0]!.id };
}

test('http.proxy carries the requests; once cleared, new clients go direct and a held one still works', { timeout: 60_000 }, async () => {
  recorder.config = { proxy: `http://user:pa55@${proxy.host}`, systemCertificates: false };
  const r = await registry(ep.plain.endpoint, () => '');
  proxy.reset();
  const held = await r.clients.clientFor(r.profileId, BUCKET);
  await held.listObjectsV2({ bucket: BUCKET });
  assert.equal(proxy.forwarded, 1, 'the request went through http.proxy');
  assert.ok(r.channel.lines.some((l) => l.includes(`Network: proxy http://${proxy.host} (http.proxy)`)), 'the log says which proxy');
  assert.ok(!r.channel.lines.join('\n').includes('pa55'), 'never the password');

  recorder.config = { proxy: '', systemCertificates: false };
  r.network.changed();
  r.clients.reset();
  const fresh = await r.clients.clientFor(r.profileId, BUCKET);
  assert.notEqual(fresh, held);
  await fresh.listObjectsV2({ bucket: BUCKET });
  assert.equal(proxy.forwarded, 1, 'the new client goes direct');
  // The transfer that still holds the old client finishes on the settings it started with.
  await roundTrip(ep, ep.plain, held);
  assert.ok(proxy.forwarded > 1);
  r.clients.dispose();
  r.store.dispose();
});

test('a CA file that is not there yet stops the client with the setting named; once it is, the endpoint is trusted', { timeout: 60_000 }, async () => {
  recorder.config = { systemCertificates: false };
  const caPath = path.join(ep.dir, 'corp-ca.pem');
  const r = await registry(ep.tls.endpoint, () => caPath);
  await assert.rejects(r.clients.clientFor(r.profileId, BUCKET), (e: Error & { nextStep?: string }) => {
    assert.equal(e.message, `Setting ossTransfer.caFile: the CA file ${caPath} does not exist`);
    assert.match(e.nextStep ?? '', /ossTransfer\.caFile/);
    return true;
  });
  await fsp.copyFile(CA_FILE, caPath);
  const client = await r.clients.clientFor(r.profileId, BUCKET);
  await roundTrip(ep, ep.tls, client);
  r.clients.dispose();
  r.store.dispose();
});
