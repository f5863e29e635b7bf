// The crash test of the batch journal (issue 14): a child uploading a batch of 2,000 small files
// through TransferManager is SIGKILLed mid-batch; a new manager restores the batch and finishes it.
// Every file must end up on the server byte-identical, none missing, and none the journal knew was
// done sent again: the server's file for each such object stays the very same file (path, inode and
// mtime), which any PutObject of that key would replace. BATCH_KILL_FILES shrinks it for a quick run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fsp, statSync } from 'node:fs';
import * as path from 'node:path';
import { readBatchJournals } from '../../src/transfer/batch/batchJournalFormat.js';
import { BUCKET, CREDS, startFixture, type Fixture } from './resumeFixture.js';
import type { BatchKillSpec } from './batchKillChild.js';

const FILES = Number(process.env.BATCH_KILL_FILES ?? 2000);
const KILL_AT = Math.floor(FILES * 0.4);
const CHILD = path.join(__dirname, 'batchKillChild.ts');
const PREFIX = 'batch/';

let fx: Fixture;
let srcDir: string;
let cptDir: string;

before(async () => {
  fx = await startFixture();
  srcDir = path.join(fx.dir, 'src');
  cptDir = path.join(fx.dir, 'state', 'checkpoints');
  await fsp.mkdir(srcDir, { recursive: true });
  for (let i = 0; i < FILES; i++) await fsp.writeFile(path.join(srcDir, `f${String(i).padStart(5, '0')}.bin`), randomBytes(1024 + (i % 4) * 1024));
});
after(async () => {
  await fx.close();
});

interface Outcome {
  killed: boolean;
  code: number | null;
  lines: string[];
  stderr: string;
}

/** Runs the child; with `killAtPuts`, SIGKILLs it once the server has counted that many PutObjects. */
function runChild(phase: BatchKillSpec['phase'], killAtPuts?: number): Promise<Outcome> {
  const spec: BatchKillSpec = { phase, endpoint: fx.server.endpoint, ...CREDS, bucket: BUCKET, srcDir, cptDir, prefix: PREFIX, concurrentFiles: 16 };
  const base = fx.server.stats.get('PutObject').requests;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, BATCH_KILL_SPEC: JSON.stringify(spec) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      killAtPuts === undefined
        ? undefined
        : setInterval(() => {
            if (!killed && fx.server.stats.get('PutObject').requests - base >= killAtPuts) {
              killed = true;
              child.kill('SIGKILL');
            }
          }, 2);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ killed, code, lines: stdout.split('\n').filter(Boolean), stderr });
    });
  });
}

/** The server's file holding an object: a PutObject of the key puts another file there. */
function serverFileOf(key: string): string | undefined {
  const p = fx.server.objectPath(BUCKET, key);
  if (!p) return undefined;
  const st = statSync(p);
  return `${p} ${st.ino} ${st.mtimeMs}`;
}

test(`a batch of ${FILES} small files killed mid-batch is restored and finished: all there, byte-identical, none the journal knew done sent again`, { timeout: 300_000 }, async () => {
  const t0 = Date.now();
  const first = await runChild('run', KILL_AT);
  const t1 = Date.now();
  assert.ok(first.killed, `the run ended before its kill point (${first.code}): ${first.stderr}`);
  const progress = first.lines.filter((l) => l.startsWith('PROGRESS ')).map((l) => JSON.parse(l.slice(9)) as { done: number; fsyncs: number });
  const last = progress.at(-1);
  assert.ok(last && last.done > 0, 'files finished before the kill');
  // Journaled in groups: well under one flush per small file (per-file records cost several each).
  assert.ok(last.fsyncs / last.done < 1, `${last.fsyncs} fsyncs for ${last.done} small files`);

  // What the journal on disk knew at the kill.
  const { journals } = await readBatchJournals(cptDir);
  assert.equal(journals.length, 1, 'one journal for the batch');
  const items = journals[0]!.items;
  assert.equal(items.length, FILES, 'every file of the batch is in the journal');
  const knownDone = items.filter((i) => i.done).map((i) => i.spec.key);
  assert.ok(knownDone.length > 0, 'some files were committed as done before the kill');
  const untouched = new Map(knownDone.map((k) => [k, serverFileOf(k)]));
  assert.ok([...untouched.values()].every((v) => v !== undefined), 'what the journal knew done is on the server');

  const putsBefore = fx.server.stats.get('PutObject').requests;
  const t2 = Date.now();
  const second = await runChild('restore');
  const t3 = Date.now();
  assert.equal(second.code, 0, `the restoring run failed: ${second.stderr}`);
  const result = JSON.parse(second.lines.find((l) => l.startsWith('RESULT '))!.slice(7)) as { restored: string[]; done: number; failed: number; fsyncs: number };
  assert.equal(result.failed, 0, second.stderr);
  const doneSet = new Set(knownDone);
  assert.deepEqual(result.restored.filter((k) => doneSet.has(k)), [], 'files the journal knew done are not restored');
  assert.equal(result.restored.length, FILES - knownDone.length, 'every other file is restored');
  const resent = fx.server.stats.get('PutObject').requests - putsBefore;
  assert.ok(resent <= FILES - knownDone.length, `${resent} PutObjects on restore for ${FILES - knownDone.length} files not known done`);
  for (const [k, v] of untouched) assert.equal(serverFileOf(k), v, `${k} was uploaded again though the journal knew it was done`);

  // Every file there, byte-identical.
  for (const name of await fsp.readdir(srcDir)) {
    const p = fx.server.objectPath(BUCKET, `${PREFIX}${name}`);
    assert.ok(p, `${name} is missing on the server`);
    assert.ok((await fsp.readFile(p)).equals(await fsp.readFile(path.join(srcDir, name))), `${name} differs on the server`);
  }
  // The finished batch leaves nothing behind: no journal, no checkpoint.
  assert.deepEqual((await fsp.readdir(cptDir)).filter((n) => !n.startsWith('.')), []);

  const perFile = last!.fsyncs / last!.done;
  console.log(
    `# killed after ${last!.done} files reported done (${knownDone.length} committed as done in the journal); ` +
      `${last!.fsyncs} fsyncs for ${last!.done} files = ${perFile.toFixed(3)} per small file before the kill; ` +
      `restore: ${result.restored.length} restored, ${resent} PutObjects, ${result.fsyncs} fsyncs; ` +
      `run ${t1 - t0} ms, restore ${t3 - t2} ms, checks ${Date.now() - t3} ms`,
  );
});
