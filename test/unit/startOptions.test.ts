import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartArgs, slowObjectPace, StartUsageError } from '../../scripts/startOptions.js';

test('npm start defaults: fixed ports so checkpoints keep their endpoint across restarts, slow big object', () => {
  assert.deepEqual(parseStartArgs([]), { ossPort: 9000, codePort: 8080, slowSeconds: 60, skipSetup: false, skipBuild: false, help: false });
});

test('npm start options are read', () => {
  const o = parseStartArgs(['--oss-port', '0', '--code-port', '8123', '--slow-seconds', '0', '--skip-setup', '--skip-build']);
  assert.deepEqual(o, { ossPort: 0, codePort: 8123, slowSeconds: 0, skipSetup: true, skipBuild: true, help: false });
  assert.equal(parseStartArgs(['-h']).help, true);
});

test('bad npm start options get a clear error', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--oss-port'], /--oss-port needs a whole number from 0 to 65535, got nothing/],
    [['--oss-port', 'abc'], /got "abc"/],
    [['--code-port', '70000'], /--code-port needs a whole number/],
    [['--slow-seconds', '-5'], /--slow-seconds needs a whole number/],
    [['--slow-seconds', '1.5'], /--slow-seconds needs a whole number/],
    [['--slow-seconds', ''], /got ""/],
    [['--slow-seconds', '3601'], /--slow-seconds needs a whole number from 0 to 3600/],
    [['--slow-ms', '2000'], /unknown option --slow-ms/],
    [['--port', '1'], /unknown option --port/],
    [['--oss-port', '9000', '--code-port', '9000'], /both 9000/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseStartArgs(args), (err: unknown) => err instanceof StartUsageError && message.test((err as Error).message), args.join(' '));
  }
});

test('the demo paces its large object so that downloading it takes about a minute, whatever the part size', () => {
  const MiB = 1024 * 1024;
  // Done in about 12 s before (a 2 s stall per part request): too quick to reload the window and resume.
  assert.equal(slowObjectPace(256 * MiB, 60), Math.round((256 * MiB) / 60));
  assert.ok((256 * MiB) / slowObjectPace(256 * MiB, 60)! >= 59.9);
  assert.equal(slowObjectPace(256 * MiB, 0), undefined, '0 = full speed');
});
