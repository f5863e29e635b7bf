// The crash test the issue asks for: a child process running a 200 MB transfer is killed with
// SIGKILL at random points, at least five times in a row, then resumed to the end. The result must
// be byte-identical (SHA-256) and the bytes sent again over the whole run must stay within
// parallel x partSize per interruption — proven with the server's own byte counters.
// KILL_TEST_MB shrinks the file for a quick local run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { BUCKET, CREDS, exists, makeFile, sha256File, startFixture, type Fixture } from './resumeFixture.js';
import type { OpName } from '../server/serverTypes.js';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.KILL_TEST_MB ?? 200) * MiB;
const PART_SIZE = 2 * MiB;
const PARALLEL = 4;
const KILLS = 6;
const CHILD = path.join(__dirname, 'killChild.ts');

let fx: Fixture;
let file: string;
let sha: string;

before(async () => {
  fx = await startFixture();
  file = path.join(fx.dir, 'big.bin');
  sha = await makeFile(file, SIZE);
});
after(async () => {
  await fx.close();
});

interface RunOutcome {
  killed: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the child; when `killAfterBytes` is set, SIGKILLs it as soon as the server has counted that
 * many new body bytes of `op` for this run (polled every few ms), so kills land mid-part.
 */
function runChild(spec: object, op: OpName, dir: 'bytesIn' | 'bytesOut', killAfterBytes?: number): Promise<RunOutcome> {
  const base = fx.server.stats.get(op)[dir];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, KILL_CHILD_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      killAfterBytes === undefined
        ? undefined
        : setInterval(() => {
            if (!killed && fx.server.stats.get(op)[dir] - base >= killAfterBytes) {
              killed = true;
              child.kill('SIGKILL');
            }
          }, 2);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ killed, code, stdout, stderr });
    });
  });
}

/** Random kill points: a few right at the start of a run, most somewhere inside. */
function killPoints(): number[] {
  const points = [1];
  while (points.length < KILLS) points.push(Math.floor(SIZE * (0.03 + Math.random() * 0.1)));
  return points.sort(() => Math.random() - 0.5);
}

async function killRepeatedly(direction: 'upload' | 'download', target: string, op: OpName, dir: 'bytesIn' | 'bytesOut'): Promise<void> {
  const spec = {
    direction, endpoint: fx.server.endpoint, ...CREDS, bucket: BUCKET, key: 'kill/big.bin', file: target,
    cptFile: path.join(fx.dir, `${direction}.cpt`), partSize: PART_SIZE, parallel: PARALLEL,
  };
  fx.server.stats.reset();
  let kills = 0;
  for (const point of killPoints()) {
    const r = await runChild(spec, op, dir, point);
    assert.ok(r.killed, `run ${kills + 1} ended before its kill point (${r.code}): ${r.stderr}`);
    kills++;
  }
  const last = await runChild(spec, op, dir);
  assert.equal(last.code, 0, `final run failed: ${last.stderr}`);
  const result = JSON.parse(last.stdout.split('RESULT ')[1]!) as { size: number; resumed: boolean; verifiedBy: string };
  assert.equal(result.size, SIZE);
  assert.equal(result.resumed, true, 'the final run resumed from the checkpoint');
  assert.equal(result.verifiedBy, 'crc64');
  const moved = fx.server.stats.get(op)[dir];
  const resent = moved - SIZE;
  assert.ok(kills >= 5);
  assert.ok(resent <= kills * PARALLEL * PART_SIZE, `re-sent ${resent} bytes over ${kills} kills, bound ${kills * PARALLEL * PART_SIZE}`);
  assert.equal(await exists(spec.cptFile), false, 'checkpoint removed at the end');
  // Report the figure so a person reading the test log sees how much each crash cost.
  console.log(`# ${direction}: ${kills} SIGKILLs, ${(resent / MiB).toFixed(1)} MiB re-sent (bound ${(kills * PARALLEL * PART_SIZE) / MiB} MiB)`);
}

test(`upload of ${SIZE / MiB} MiB survives repeated SIGKILLs and ends byte-identical`, async () => {
  await killRepeatedly('upload', file, 'UploadPart', 'bytesIn');
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'kill/big.bin')!), sha);
});

test(`download of ${SIZE / MiB} MiB survives repeated SIGKILLs and ends byte-identical`, async () => {
  const dest = path.join(fx.dir, 'down', 'big.bin');
  await killRepeatedly('download', dest, 'GetObject', 'bytesOut');
  assert.equal(await sha256File(dest), sha);
});
