// The one reader of the ossTransfer.* settings: bounds and defaults from package.json, a value out
// of range clamped with one warning (per key and value), and what the engine gets always within
// what it accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MAX_PARALLEL, MAX_PART_SIZE, MIN_PART_SIZE, chooseParallel, choosePartSize } from '../../src/transfer/engine/partPlan.js';
import { SETTINGS_SCHEMA, SettingsReader, settingsFrom, speedFloorFrom, transferSettingsFrom } from '../../src/vscode/settings/settingValues.js';

const MIB = 1024 * 1024;
const getter = (values: Record<string, unknown>) => (key: string) => values[key];

test('the bounds and defaults are package.json\'s own', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, unknown> } };
  };
  assert.deepEqual(SETTINGS_SCHEMA, pkg.contributes.configuration.properties);
  // The engine's own limits agree with what the settings may hold.
  const props = pkg.contributes.configuration.properties as Record<string, { maximum?: number }>;
  assert.equal(props['ossTransfer.parallelParts']!.maximum, MAX_PARALLEL);
  assert.equal(props['ossTransfer.partSizeMB']!.maximum! * MIB, MAX_PART_SIZE);
});

test('nothing set: the documented defaults, no warning', () => {
  const { values, warnings } = new SettingsReader().read(getter({}));
  assert.deepEqual(warnings, []);
  assert.deepEqual(settingsFrom(values), {
    concurrentFiles: 64,
    pageSize: 100,
    signatureVersion: 'v4',
    checkpointsEnabled: true,
    openInEditorMaxBytes: 10 * MIB,
  });
  assert.deepEqual(transferSettingsFrom(values), { concurrentFiles: 64, disableCheckpoint: false });
});

test('values in range pass unchanged, without a warning', () => {
  const set = {
    partSizeMB: 8,
    parallelParts: 64,
    concurrentFiles: 1,
    pageSize: 1000,
    signatureVersion: 'v1',
    'checkpoints.enabled': false,
    openInEditorMaxSizeMB: 0.5,
  };
  const { values, warnings } = new SettingsReader().read(getter(set));
  assert.deepEqual(warnings, []);
  assert.deepEqual(settingsFrom(values), {
    partSize: 8 * MIB,
    parallelParts: 64,
    concurrentFiles: 1,
    pageSize: 1000,
    signatureVersion: 'v1',
    checkpointsEnabled: false,
    openInEditorMaxBytes: 0.5 * MIB,
  });
  assert.deepEqual(transferSettingsFrom(values), { concurrentFiles: 1, partSize: 8 * MIB, parallel: 64, disableCheckpoint: true });
});

test('out of range: clamped to the bound, one warning per key and value, and the engine accepts the result', () => {
  const reader = new SettingsReader();
  const set: Record<string, unknown> = { parallelParts: 100, partSizeMB: 6000, concurrentFiles: 0, pageSize: -5 };
  const first = reader.read(getter(set));
  const t = transferSettingsFrom(first.values);
  assert.equal(t.parallel, 64);
  assert.equal(t.partSize, 5120 * MIB);
  assert.equal(t.concurrentFiles, 1);
  assert.equal(settingsFrom(first.values).pageSize, 1);
  // What used to fail every transfer with InvalidArgument:
  assert.equal(chooseParallel('upload', t.parallel), 64);
  assert.equal(choosePartSize(10 * MIB, t.partSize), MAX_PART_SIZE);
  assert.deepEqual(first.warnings.map((w) => [w.key, w.value, w.used]), [
    ['ossTransfer.partSizeMB', 6000, 5120],
    ['ossTransfer.parallelParts', 100, 64],
    ['ossTransfer.concurrentFiles', 0, 1],
    ['ossTransfer.pageSize', -5, 1],
  ]);
  const w = first.warnings.find((x) => x.key === 'ossTransfer.parallelParts')!;
  assert.match(w.message, /ossTransfer\.parallelParts/);
  assert.match(w.message, /100/);
  assert.match(w.message, /64/);

  // Read again (every transfer reads the settings): nothing new to say.
  assert.deepEqual(reader.read(getter(set)).warnings, []);
  // The user changes it to another value out of range: said again, for that key only.
  set.parallelParts = 65;
  assert.deepEqual(reader.read(getter(set)).warnings.map((x) => [x.key, x.value]), [['ossTransfer.parallelParts', 65]]);
  // Back in range, then out again with the first value: that is news again.
  set.parallelParts = 4;
  assert.deepEqual(reader.read(getter(set)).warnings, []);
  set.parallelParts = 100;
  assert.deepEqual(reader.read(getter(set)).warnings.map((x) => x.key), ['ossTransfer.parallelParts']);
});

test('not a number, not a whole number, wrong type or unknown choice: the default (or rounded down), with a warning', () => {
  const { values, warnings } = new SettingsReader().read(
    getter({
      parallelParts: '8',
      concurrentFiles: 2.7,
      pageSize: Number.NaN,
      partSizeMB: null,
      openInEditorMaxSizeMB: Number.POSITIVE_INFINITY,
      signatureVersion: 'v3',
      'checkpoints.enabled': 'no',
    }),
  );
  const s = settingsFrom(values);
  assert.equal(s.parallelParts, undefined, '"8" is not a number: the default (automatic)');
  assert.equal(s.concurrentFiles, 2);
  assert.equal(s.pageSize, 100);
  assert.equal(s.partSize, undefined);
  assert.equal(s.openInEditorMaxBytes, 10 * MIB);
  assert.equal(s.signatureVersion, 'v4');
  assert.equal(s.checkpointsEnabled, true);
  assert.deepEqual(warnings.map((w) => w.key).sort(), [
    'ossTransfer.checkpoints.enabled',
    'ossTransfer.concurrentFiles',
    'ossTransfer.openInEditorMaxSizeMB',
    'ossTransfer.pageSize',
    'ossTransfer.parallelParts',
    'ossTransfer.partSizeMB',
    'ossTransfer.signatureVersion',
  ]);
  for (const w of warnings) assert.ok(w.message.startsWith(`Setting ${w.key} `), w.message);
});

test('a part size below the OSS minimum is raised to it, not sent to fail', () => {
  const { values } = new SettingsReader().read(getter({ partSizeMB: 0.01 }));
  assert.equal(transferSettingsFrom(values).partSize, MIN_PART_SIZE);
  assert.equal(settingsFrom(values).partSize, MIN_PART_SIZE);
});

test('the speed floor: 1 KB/s over 20 s by default, 0 turns it off, a window out of range is clamped', () => {
  assert.deepEqual(speedFloorFrom(new SettingsReader().read(getter({})).values), { minSpeedBytesPerSec: 1024, minSpeedWindowMs: 20_000 });
  assert.deepEqual(speedFloorFrom(new SettingsReader().read(getter({ minSpeedKBps: 0, minSpeedSeconds: 60 })).values), { minSpeedBytesPerSec: 0, minSpeedWindowMs: 60_000 });
  const { values, warnings } = new SettingsReader().read(getter({ minSpeedKBps: 0.5, minSpeedSeconds: 1 }));
  assert.deepEqual(speedFloorFrom(values), { minSpeedBytesPerSec: 512, minSpeedWindowMs: 5_000 });
  assert.deepEqual(warnings.map((w) => w.key), ['ossTransfer.minSpeedSeconds']);
});

test('a bandwidth limit in MB/s reaches the transfers as bytes per second, with who keeps it; 0 is no limit', () => {
  const off = new SettingsReader().read(getter({ bandwidthLimitMBps: 0, bandwidthLimitEnforcedBy: 'server' }));
  assert.equal(transferSettingsFrom(off.values).bandwidthLimit, undefined);
  const client = new SettingsReader().read(getter({ bandwidthLimitMBps: 20 }));
  assert.deepEqual(client.warnings, []);
  assert.equal(transferSettingsFrom(client.values).bandwidthLimit, 20 * MIB);
  assert.equal(transferSettingsFrom(client.values).bandwidthLimitBy, 'client');
  const server = new SettingsReader().read(getter({ bandwidthLimitMBps: 0.5, bandwidthLimitEnforcedBy: 'server' }));
  assert.equal(transferSettingsFrom(server.values).bandwidthLimit, 0.5 * MIB);
  assert.equal(transferSettingsFrom(server.values).bandwidthLimitBy, 'server');
  const bad = new SettingsReader().read(getter({ bandwidthLimitMBps: -3, bandwidthLimitEnforcedBy: 'router' }));
  assert.equal(transferSettingsFrom(bad.values).bandwidthLimit, undefined, 'below the minimum: the minimum, 0');
  assert.deepEqual(bad.warnings.map((w) => w.key), ['ossTransfer.bandwidthLimitMBps', 'ossTransfer.bandwidthLimitEnforcedBy']);
});
