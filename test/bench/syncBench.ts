// The sync mode of `npm run bench` (BENCH_SYNC=2000x16K, best through BENCH_WAN): a folder of small
// files synced to a fresh prefix (planSync + runSync, timed whole: listing and planning included),
// against ali-oss `put` one file after another and with 5 files in flight, and raw PutObject pools
// of 16 (the same requests in flight) and 64 (what the machine serves at most); then the same sync again with nothing changed, against a bare listing of the
// prefix. Prints the issue's targets beside the ratios.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { fmt, median, roundRatio } from './benchFigures.js';
import type { Connection } from './benchVariant.js';
import { defaultConcurrentFiles, type SmallFilesSetup } from './smallFilesBench.js';
import type { SmallVariantName, SmallVariantSpec } from './smallFilesSpec.js';
import { runMeasured, settleDisk, type Measured } from './variantProcess.js';

interface Run {
  label: string;
  variant: SmallVariantName;
  concurrency: number;
}

export async function runSyncBench(s: SmallFilesSetup): Promise<void> {
  const { count, size, direct, connection } = s;
  const bucket = connection.bucket;
  const filesDir = path.join(s.dir, 'sync-files');
  await fsp.mkdir(filesDir, { recursive: true });
  for (let i = 0; i < count; i++) await fsp.writeFile(path.join(filesDir, `f${String(i).padStart(6, '0')}.bin`), randomBytes(size));
  const defaults = defaultConcurrentFiles();
  console.log(`sync: ${count} x ${size} bytes, the engine at its defaults (${defaults} files at once), ${s.rounds} round(s); a sync is timed whole (listing and planning included)`);

  const uploads: Run[] = [
    { label: `sync-up (default ${defaults})`, variant: 'sync-up', concurrency: defaults },
    { label: 'alioss-put one by one', variant: 'alioss-put-pool', concurrency: 1 },
    { label: 'alioss-put 5 in flight', variant: 'alioss-put-pool', concurrency: 5 },
    { label: 'raw-put pool of 16', variant: 'raw-put-pool', concurrency: 16 },
    // What this machine serves at most (test server, relay and client share its cores): past 32 in
    // flight a pool gains little, so the issue's ratios cannot exceed this one's over the peers'.
    { label: 'raw-put pool of 64', variant: 'raw-put-pool', concurrency: 64 },
  ];
  // BENCH_ONLY keeps the uploads named by label (the sync itself always runs: the no-change pair needs its prefix).
  const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
  if (only) uploads.splice(1, uploads.length, ...uploads.slice(1).filter((x) => only.includes(x.label)));
  const results = new Map<string, Measured[]>();
  const keep = (label: string, r: Measured) => results.set(label, [...(results.get(label) ?? []), r]);
  let runNo = 0;
  const run = async (x: Run, prefix: string, stateDir: string): Promise<Measured> => {
    const spec: SmallVariantSpec & Connection = {
      ...connection, kind: 'small', variant: x.variant, concurrency: x.concurrency, dir: filesDir, prefix,
      checkpointDir: path.join(s.dir, `sync-cpt-${runNo++}`), ui: false, stateDir,
    };
    settleDisk();
    const r = await runMeasured(spec, x.label.replace(/\W+/g, '-'));
    await fsp.rm(spec.checkpointDir, { recursive: true, force: true });
    return r;
  };
  for (let round = 0; round < s.rounds; round++) {
    for (let i = 0; i < uploads.length; i++) {
      const x = uploads[(i + round) % uploads.length]!;
      const prefix = `sync/${round}-${x.variant}-${x.concurrency}/`;
      const stateDir = path.join(s.dir, `sync-state-${round}`);
      const r = await run(x, prefix, stateDir);
      if (r.files !== count) throw new Error(`${x.label}: moved ${r.files} files, not ${count}`);
      const listed = await listAllObjects(direct, bucket, prefix);
      if (listed.length !== count || listed.some((o) => o.size !== size)) throw new Error(`${x.label}: the prefix holds ${listed.length} objects`);
      keep(x.label, r);
      if (x.variant === 'sync-up') {
        // Nothing changed: the second sync against a bare listing of the same prefix, alternating first.
        const pair: Run[] = [{ label: 'sync again, nothing changed', variant: 'sync-nochange', concurrency: defaults }, { label: 'list the prefix', variant: 'list-prefix', concurrency: 1 }];
        for (const y of round % 2 ? pair.reverse() : pair) {
          const ry = await run(y, prefix, stateDir);
          if (ry.files !== count) throw new Error(`${y.label}: saw ${ry.files} files, not ${count}`);
          keep(y.label, ry);
        }
      }
    }
  }

  console.log(`\nmedian of ${s.rounds} round(s); files/s range in brackets`);
  console.log(`${'variant'.padEnd(30)} seconds  files/s  [min - max]     peak RSS MB  CPU ms/file`);
  for (const [label, rs] of results) {
    const speeds = rs.map((r) => count / r.seconds);
    console.log(
      `${label.padEnd(30)} ${fmt(median(rs.map((r) => r.seconds)), 2).padStart(7)}  ${fmt(median(speeds)).padStart(7)}  ${`[${fmt(Math.min(...speeds), 0)} - ${fmt(Math.max(...speeds), 0)}]`.padEnd(15)} ` +
        `${fmt(median(rs.map((r) => r.maxRssMb))).padStart(11)} ${fmt(median(rs.map((r) => r.cpuSeconds * 1000)) / count, 2).padStart(12)}`,
    );
  }
  console.log('\nratios (median of per-round ratios [min-max]) against the targets of the sync issue');
  const ratio = (a: string, b: string, what: string, target: number) => {
    const xs = results.get(a);
    const ys = results.get(b);
    if (!xs || !ys) return;
    const r = roundRatio(xs, ys, (x) => 1 / x.seconds);
    console.log(`${what.padEnd(70)} ${r.text.padEnd(20)} target >= ${fmt(target, 2)}x ${r.median >= target ? 'met' : 'NOT met'}`);
  };
  ratio(uploads[0]!.label, 'alioss-put one by one', `sync of ${count} files vs ali-oss put one file after another`, 10);
  ratio(uploads[0]!.label, 'alioss-put 5 in flight', `sync of ${count} files vs ali-oss put with 5 files in flight`, 2);
  ratio(uploads[0]!.label, 'raw-put pool of 16', `sync of ${count} files vs a raw PUT pool of 16 (same requests in flight)`, 0);
  ratio(uploads[0]!.label, 'raw-put pool of 64', `sync of ${count} files vs a raw PUT pool of 64 (share of the limit)`, 0);
  ratio('raw-put pool of 64', 'alioss-put one by one', 'the limit (raw pool of 64) vs ali-oss one after another: the most any client could show', 0);
  ratio('raw-put pool of 64', 'alioss-put 5 in flight', 'the limit (raw pool of 64) vs ali-oss with 5 in flight: the most any client could show', 0);
  // "No longer than listing": the listing's time over the no-change sync's, at least 1 (noise aside).
  ratio('sync again, nothing changed', 'list the prefix', 'second sync with nothing changed vs listing the prefix (speed ratio)', 0.95);
}
