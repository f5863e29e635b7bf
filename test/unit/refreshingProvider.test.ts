// The renewal rules every temporary-credential kind shares, with a scripted fetch and a clock the
// test moves: renewed ahead of expiry (a share of short lifetimes), one fetch for many callers,
// kept while still valid when a renewal fails, and one fetch after a rejection, never a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../../src/oss/ossError.js';
import { StaticCredentialsProvider, resolvedCredentials, type ResolvedCredentials } from '../../src/oss/credentials/credentialsProvider.js';
import { RefreshingCredentialsProvider, type CredentialsEvent } from '../../src/oss/credentials/refreshingProvider.js';

class Scripted extends RefreshingCredentialsProvider {
  fetches = 0;
  lifetimeMs = 60 * 60_000;
  fail: OssError | undefined;
  gate: Promise<void> | undefined;
  readonly events: CredentialsEvent[] = [];
  constructor(private readonly clock: { t: number }) {
    super('ramRoleArn', 'AssumeRole', { now: () => clock.t, onEvent: (e) => this.events.push(e) });
  }
  protected async fetchCredentials(): Promise<ResolvedCredentials> {
    this.fetches++;
    if (this.gate) await this.gate;
    if (this.fail) throw this.fail;
    const n = this.fetches;
    return resolvedCredentials({ accessKeyId: `STS.${n}`, accessKeySecret: `secret-${n}`, securityToken: `token-${n}`, expiration: new Date(this.clock.t + this.lifetimeMs) });
  }
}

const stsDown = () => new OssError({ operation: 'AssumeRole', code: 'NetworkError', message: 'sts.aliyuncs.com could not be reached', status: 0, retryable: false });

test('credentials are fetched once and kept until 180 s before a long expiry', async () => {
  const clock = { t: 1_000_000 };
  const p = new Scripted(clock);
  const a = await p.getCredentials();
  assert.equal(a.accessKeyId, 'STS.1');
  clock.t += 60 * 60_000 - 181_000;
  assert.equal(await p.getCredentials(), a, 'the same object until the margin');
  clock.t += 2_000;
  const b = await p.getCredentials();
  assert.equal(b.accessKeyId, 'STS.2', 'renewed inside the last 180 s');
  assert.equal(p.fetches, 2);
});

test('short-lived credentials are renewed when a third of their life is left', async () => {
  const clock = { t: 0 };
  const p = new Scripted(clock);
  p.lifetimeMs = 6_000;
  await p.getCredentials();
  clock.t = 3_900;
  assert.equal((await p.getCredentials()).accessKeyId, 'STS.1');
  clock.t = 4_100;
  assert.equal((await p.getCredentials()).accessKeyId, 'STS.2');
});

test('many callers at once share one fetch', async () => {
  const clock = { t: 0 };
  const p = new Scripted(clock);
  let open!: () => void;
  p.gate = new Promise((r) => (open = r));
  const all = Promise.all(Array.from({ length: 8 }, () => p.getCredentials()));
  open();
  const got = await all;
  assert.equal(p.fetches, 1);
  assert.ok(got.every((c) => c === got[0]));
});

test('a failed renewal keeps the credentials while they work, and fails once they expired', async () => {
  const clock = { t: 0 };
  const p = new Scripted(clock);
  p.lifetimeMs = 600_000;
  const a = await p.getCredentials();
  p.fail = stsDown();
  clock.t = 500_000; // inside the margin, still valid
  assert.equal(await p.getCredentials(), a);
  assert.equal(p.events.filter((e) => e.type === 'renewFailed').length, 1);
  const fetches = p.fetches;
  assert.equal(await p.getCredentials(), a, 'no new attempt right after a failure');
  assert.equal(p.fetches, fetches);
  clock.t = 600_000; // expired
  await assert.rejects(p.getCredentials(), (e: OssError) => e.code === 'NetworkError' && e.operation === 'AssumeRole' && !e.retryable);
  assert.equal(p.current(), undefined, 'nothing valid to presign with');
});

test('after a rejection: one fetch, flagged; a rejection of those gives nothing more', async () => {
  const clock = { t: 0 };
  const p = new Scripted(clock);
  const a = await p.getCredentials();
  const b = await p.renewAfterRejection(a);
  assert.ok(b && b.accessKeyId === 'STS.2' && b.renewedAfterRejection);
  assert.equal(await p.getCredentials(), b, 'the renewed ones serve every later request');
  assert.equal(await p.renewAfterRejection(b), undefined, 'rejected again: nothing newer exists');
  assert.equal(p.fetches, 2);
});

test('a rejection of credentials someone already renewed returns the renewed ones without a fetch', async () => {
  const clock = { t: 0 };
  const p = new Scripted(clock);
  p.lifetimeMs = 6_000;
  const old = await p.getCredentials();
  clock.t = 5_000;
  const renewed = await p.getCredentials();
  assert.notEqual(renewed, old);
  const fetches = p.fetches;
  assert.equal(await p.renewAfterRejection(old), renewed);
  assert.equal(p.fetches, fetches);
});

test('credentials that arrive already expired are refused with a word about the clock', async () => {
  const clock = { t: 0 };
  const p = new Scripted(clock);
  p.lifetimeMs = -1_000;
  await assert.rejects(p.getCredentials(), (e: OssError) => e.code === 'CredentialsExpired' && /clock/.test(e.message));
});

test('static keys never renew; a static STS token with a known expiration fails before sending', async () => {
  const key = new StaticCredentialsProvider({ accessKeyId: 'AK', accessKeySecret: 'SK' });
  assert.equal(key.kind, 'accessKey');
  const c = await key.getCredentials();
  assert.equal(await key.renewAfterRejection(c), undefined);
  let now = 0;
  const sts = new StaticCredentialsProvider({ accessKeyId: 'STS.x', accessKeySecret: 'SK', securityToken: 'T', expiration: new Date(1_000) }, () => now);
  assert.equal(sts.kind, 'stsToken');
  assert.ok(await sts.getCredentials());
  now = 1_000;
  await assert.rejects(sts.getCredentials(), (e: OssError) => e.code === 'SecurityTokenExpired' && !e.retryable);
  assert.equal(sts.current(), undefined);
});

test('a failed fetch with nothing valid at hand is answered from memory for a while: a thousand files do not each ask STS', async () => {
  const clock = { t: 0 };
  const p = new Scripted(clock);
  p.fail = stsDown();
  for (let i = 0; i < 5; i++) await assert.rejects(p.getCredentials(), (e: OssError) => e.code === 'NetworkError');
  assert.equal(p.fetches, 1);
  clock.t = 10_000; // the retry pause is over
  p.fail = undefined;
  assert.equal((await p.getCredentials()).accessKeyId, 'STS.2');
});
