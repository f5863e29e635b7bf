// The bench's in-process count of file-system calls (test/bench/fsCallCounter.ts): each flush,
// rename, unlink and open counts once, whichever entry point reached it and whether or not Node's
// helper went through another wrapped one (fs.promises.rm unlinks through fs.unlink;
// readFileSync opens internally for UTF-8 and through fs.openSync otherwise). The counter wraps
// the process's fs module, so it runs in a child process of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const script = (dir: string) => `
const fs = require('node:fs');
const fsp = fs.promises;
const path = require('node:path');
const { countFsCalls } = require(${JSON.stringify(path.join(__dirname, '..', 'bench', 'fsCallCounter.ts'))});
(async () => {
  const read = await countFsCalls();
  const f = (n) => path.join(${JSON.stringify(dir)}, n);
  const fh = await fsp.open(f('a'), 'w');          // open 1
  await fh.writeFile('x');
  await fh.sync();                                 // fsync 1
  await fh.datasync();                             // fsync 2
  await fh.readFile().catch(() => undefined);      // a handle: no open
  await fh.close();
  await fsp.rename(f('a'), f('b'));                // rename 1
  fs.renameSync(f('b'), f('a'));                   // rename 2
  fs.readFileSync(f('a'), 'utf8');                 // open 2
  fs.readFileSync(f('a'));                         // open 3
  await fsp.readFile(f('a'));                      // open 4
  await fsp.writeFile(f('c'), 'y');                // open 5
  fs.writeFileSync(f('d'), 'z');                   // open 6
  const fd = fs.openSync(f('d'), 'r');             // open 7
  await new Promise((r) => fs.fsync(fd, r));       // fsync 3
  fs.fdatasyncSync(fd);                            // fsync 4
  fs.closeSync(fd);
  await fsp.rm(f('a'));                            // unlink 1
  await fsp.rm(f('missing'), { force: true });     // Node looks first (lstat): no unlink
  await fsp.unlink(f('c'));                        // unlink 2
  fs.unlinkSync(f('d'));                           // unlink 3
  process.stdout.write(JSON.stringify(read()));
})();
`;

test('each flush, rename, unlink and open is counted once, whichever way it was reached', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fs-count-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script(dir)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { fsyncs: 4, renames: 2, unlinks: 3, opens: 7 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
