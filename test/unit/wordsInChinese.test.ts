// The vscode-free modules speak the display language once a translator is installed (activation
// installs VS Code's, src/vscode/localization.ts): here the real l10n/bundle.l10n.zh-cn.json, looked
// up as vscode.l10n does. English stays the default (the other unit tests read it).
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_NEXT_STEP, TransferError } from '../../src/transfer/transferError.js';
import { parseExpiry, describeSeconds } from '../../src/vscode/commands/clipboard/expiry.js';
import { InvalidKeyError, KeyPathError, checkKey, keyToLocalPath, localPathToKey, type PathPlatform } from '../../src/transfer/paths/keyPath.js';
import { invalidKeyText, keyProblemText } from '../../src/vscode/presentation/keyProblems.js';
import { describeError, formatAdvice, transferNextStepsInEnglish } from '../../src/vscode/presentation/errorAdvice.js';
import { describeRow, progressMessage, stateWord } from '../../src/vscode/presentation/transferText.js';
import { formatDuration } from '../../src/vscode/presentation/quantityFormat.js';
import { formatMessage, useTranslator, type Translator } from '../../src/vscode/presentation/translate.js';
import type { TransferItem } from '../../src/transfer/batch/transferTypes.js';
import type { BatchSnapshot } from '../../src/vscode/presentation/batchProgress.js';

const bundle = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const chinese: Translator = { t: (m, args) => formatMessage(bundle[m] ?? m, args), has: (m) => bundle[m] !== undefined };
const MB = 1024 * 1024;
const CJK = /[\u4e00-\u9fff]/;

let installed: { dispose(): void } | undefined;
beforeEach(() => {
  installed = useTranslator(chinese);
});
afterEach(() => installed?.dispose());

function item(extra: Partial<TransferItem>): TransferItem {
  return {
    id: 'i',
    spec: { direction: 'download', profileId: 'p', bucket: 'b', key: 'videos/big-demo.bin', file: '/home/u/dl/big-demo.bin' },
    state: 'running',
    transferredBytes: 30 * MB,
    totalBytes: 100 * MB,
    bytesPerSecond: 2 * MB,
    ...extra,
  };
}

test('a Transfers row and the notification line are Chinese, numbers and names kept', () => {
  assert.equal(describeRow(item({ etaSeconds: 75 })), '↓ 30% · 30.0 MiB / 100 MiB · 2.0 MiB/s · 剩余 1 分 15 秒');
  assert.equal(describeRow(item({ state: 'paused' })), '↓ 已暂停 · 30%（共 100 MiB）');
  assert.equal(stateWord('interrupted'), '已中断');
  const snap: BatchSnapshot = {
    transferredBytes: 15 * MB,
    totalBytes: 20 * MB,
    percent: 75,
    increment: 0,
    bytesPerSecond: 5 * MB,
    etaSeconds: 1,
    current: item({}),
    counts: { queued: 0, running: 1, paused: 1, done: 1, failed: 0, cancelled: 0, interrupted: 0 },
    finished: false,
  };
  assert.equal(progressMessage(snap, 3), '15.0 MiB / 20.0 MiB · 5.0 MiB/s · 剩余 1 秒 · big-demo.bin（第 2/3 个） · 1 个已暂停');
  assert.equal(formatDuration(3700), '1 小时 1 分');
});

test('an OSS error reads in Chinese with the next step, keeping the code and request id', () => {
  const err = Object.assign(new Error('The request signature we calculated does not match'), { code: 'SignatureDoesNotMatch', status: 403, requestId: 'R1' });
  const a = describeError(err);
  assert.equal(a.summary, 'AccessKey Secret 被拒绝');
  assert.match(a.nextStep ?? '', /编辑连接配置/);
  assert.equal(a.code, 'SignatureDoesNotMatch');
  assert.match(formatAdvice(a), /^AccessKey Secret 被拒绝（请求 ID：R1）。请检查/);
  assert.match(describeError(err, { credentialSource: 'env' }).nextStep ?? '', /OSS_ACCESS_KEY_SECRET.*重启 VS Code/);
});

test("an engine error says what happened by its code in Chinese; its English message stays in the detail", () => {
  const e = new TransferError('FileChanged', '/w/a.bin was modified while it was being uploaded; the partial upload was discarded');
  const a = describeError(e);
  assert.equal(a.summary, '上传过程中本地文件发生了变化');
  assert.match(a.nextStep ?? '', /请重新上传/);
  assert.match(a.detail, /was modified while it was being uploaded/);
  // A next step the engine chose itself is its own (English) text, not a wrong translation.
  const own = describeError(new TransferError('AlreadyRunning', 'x is running', { nextStep: 'Close the other window first.' }));
  assert.equal(own.nextStep, 'Close the other window first.');
});

test("the translated next steps are the engine's own, code for code", () => {
  assert.deepEqual(transferNextStepsInEnglish(), DEFAULT_NEXT_STEP);
});

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

test('errors of the vscode-free modules are Chinese: unsafe keys, invalid keys, durations', () => {
  const unsafe = thrown(() => keyToLocalPath('/dl', 'a/../x'));
  assert.ok(unsafe instanceof KeyPathError);
  const k = describeError(unsafe);
  assert.equal(k.summary, '文件“a/../x”无法保存到本地：路径中含有“..”');
  assert.match(describeError(thrown(() => checkKey('/abs'))).summary, /^文件路径（Key）“\/abs”不能以“\/”或“\\”开头$/);
  assert.match(k.nextStep ?? '', CJK);
  assert.throws(() => parseExpiry(''), /请输入 URL 的有效期/);
  assert.equal(describeSeconds(5400), '1 小时 30 分钟');
});

test('English again once the translator is gone', () => {
  installed?.dispose();
  assert.equal(stateWord('interrupted'), 'Interrupted');
  assert.equal(formatDuration(75), '1m 15s');
});

test('the English of every key problem is the transfer layer\'s own', () => {
  installed?.dispose();
  const unsafe: Array<[string, string, PathPlatform?]> = [
    ['x/a', 'y/'],
    ['/abs', ''],
    ['', ''],
    ['a\u0001b', ''],
    ['C:/x', ''],
    ['a//b', ''],
    ['a/./b', ''],
    ['a\\b', '', 'win32'],
    ['a<b', '', 'win32'],
    ['con.txt', '', 'win32'],
    ['a./b', '', 'win32'],
  ];
  const codes = new Set<string>();
  for (const [key, base, platform] of unsafe) {
    const e = thrown(() => keyToLocalPath('/dl', key, base, platform ?? 'posix'));
    assert.ok(e instanceof KeyPathError && e.problem, `${key} is refused with a problem`);
    codes.add(e.problem.code);
    assert.equal(keyProblemText(e.problem), e.reason);
    assert.equal(describeError(e).summary, e.message.replace(/\.$/, ''));
  }
  assert.equal(codes.size, unsafe.length, 'each case is another problem');
  for (const f of [() => checkKey(''), () => checkKey('\\x'), () => checkKey('k'.repeat(2000)), () => localPathToKey('', '.'), () => localPathToKey('', 'a/../../b')]) {
    const e = thrown(f);
    assert.ok(e instanceof InvalidKeyError);
    assert.equal(invalidKeyText(e.problem), e.message);
  }
});
