import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartArgs, StartUsageError } from '../../scripts/startOptions.js';

test('npm start defaults: fixed ports so checkpoints keep their endpoint across restarts, slow big object', () => {
  assert.deepEqual(parseStartArgs([]), { ossPort: 9000, codePort: 8080, slowMs: 2000, skipSetup: false, skipBuild: false, help: false });
});

test('npm start options are read', () => {
  const o = parseStartArgs(['--oss-port', '0', '--code-port', '8123', '--slow-ms', '0', '--skip-setup', '--skip-build']);
  assert.deepEqual(o, { ossPort: 0, codePort: 8123, slowMs: 0, skipSetup: true, skipBuild: true, help: false });
  assert.equal(parseStartArgs(['-h']).help, true);
});

test('bad npm start options get a clear error', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--oss-port'], /--oss-port needs a whole number from 0 to 65535, got nothing/],
    [['--oss-port', 'abc'], /got "abc"/],
    [['--code-port', '70000'], /--code-port needs a whole number/],
    [['--slow-ms', '-5'], /--slow-ms needs a whole number/],
    [['--slow-ms', '1.5'], /--slow-ms needs a whole number/],
    [['--slow-ms', ''], /got ""/],
    [['--port', '1'], /unknown option --port/],
    [['--oss-port', '9000', '--code-port', '9000'], /both 9000/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseStartArgs(args), (err: unknown) => err instanceof StartUsageError && message.test((err as Error).message), args.join(' '));
  }
});
