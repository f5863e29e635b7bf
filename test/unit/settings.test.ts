// The settings as the extension reads them from VS Code (fake `vscode`): what the transfer manager
// gets is within the engine's bounds, and a bad value is said once in the log and in one message
// that can open the setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseParallel, choosePartSize } from '../../src/transfer/engine/partPlan.js';
import { installFakeVscode, recorder } from './support/fakeVscodeTransfers.js';

installFakeVscode();

test('parallelParts 100 and partSizeMB 6000 reach the engine clamped, with one warning each', async () => {
  const { Settings } = await import('../../src/vscode/settings/settings.js');
  const { Logger } = await import('../../src/vscode/logger.js');
  const lines: string[] = [];
  const channel = { warn: (m: string) => lines.push(`warn ${m}`), info: (m: string) => lines.push(`info ${m}`) };
  recorder.reset();
  recorder.config = { parallelParts: 100, partSizeMB: 6000 };
  recorder.answer = (m) => (m.kind === 'warning' && m.text.includes('parallelParts') ? 'Open Settings' : undefined);
  const settings = new Settings(new Logger(channel as never));
  for (let i = 0; i < 3; i++) {
    const t = settings.transfer();
    assert.equal(chooseParallel('download', t.parallel), 64);
    assert.equal(choosePartSize(1024, t.partSize), 5120 * 1024 * 1024);
    settings.read();
  }
  assert.deepEqual(lines, [
    'warn Setting ossTransfer.partSizeMB is 6000, above its maximum 5120: using 5120.',
    'warn Setting ossTransfer.parallelParts is 100, above its maximum 64: using 64.',
  ]);
  assert.deepEqual(recorder.messages.map((m) => [m.kind, m.text, m.actions]), [
    ['warning', 'Setting ossTransfer.partSizeMB is 6000, above its maximum 5120: using 5120.', ['Open Settings']],
    ['warning', 'Setting ossTransfer.parallelParts is 100, above its maximum 64: using 64.', ['Open Settings']],
  ]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(recorder.executed, [{ command: 'workbench.action.openSettings', args: ['ossTransfer.parallelParts'] }]);
  recorder.config = {};
  recorder.reset();
});
