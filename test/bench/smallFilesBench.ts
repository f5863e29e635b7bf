// The small-files mode of `npm run bench` (BENCH_SMALL=1000x4K): many small files up and down by
// TransferManager (as Upload Folder and Download drive it), by ali-oss `put` / `get` from a pool of
// workers, and by a pool of raw PutObject / GetObject requests (the limit), each at the same
// numbers of files at once. Prints files/s, peak RSS, CPU and file-system calls per file, and the
// issue's targets beside the ratios. The variants themselves are in smallFilesVariant.ts.
import { randomBytes } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { OssClient } from '../../src/oss/index.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { fmt, median, roundRatio } from './benchFigures.js';
import type { Connection } from './benchVariant.js';
import { isSmallUpload, type SmallVariantName, type SmallVariantSpec } from './smallFilesSpec.js';
import { runMeasured, settleDisk, type Measured } from './variantProcess.js';
import { runPool } from './workerPool.js';

// ali-oss users and ossutil (-j 3) move 3 files at a time by default: the peers' default beside ours.
const PEER_DEFAULT = 3;
export interface SmallFilesSetup {
  count: number;
  size: number;
  /** How variants reach the server (through the emulated WAN when there is one). */
  connection: Connection;
  /** The parent's own client, straight to the server: seeding and checks. */
  direct: OssClient;
  dir: string;
  rounds: number;
  only: string[] | undefined;
  /** Connections the emulated WAN accepted so far, when there is one. */
  connectionsSoFar?: () => number;
}

/** BENCH_SMALL's form "1000x4K": how many files, and the size of each (bytes, or with K/M). */
export function parseSmallFiles(text: string): { count: number; size: number } {
  const m = /^\s*(\d+)\s*x\s*(\d+(?:\.\d+)?)\s*([KM]?)i?B?\s*$/i.exec(text);
  if (!m || Number(m[1]) < 1) throw new Error(`BENCH_SMALL: cannot read ${JSON.stringify(text)} (try 1000x4K: 1000 files of 4 KiB)`);
  const unit = { '': 1, K: 1024, M: 1024 * 1024 }[m[3]!.toUpperCase() as '' | 'K' | 'M'];
  return { count: Number(m[1]), size: Math.round(Number(m[2]) * unit) };
}

/** The extension's default files at once (package.json's ossTransfer.concurrentFiles). */
export function defaultConcurrentFiles(): number {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } | Array<{ properties: Record<string, { default?: unknown }> }> };
  };
  const conf = pkg.contributes.configuration;
  const props = Array.isArray(conf) ? Object.assign({}, ...conf.map((c) => c.properties)) : conf.properties;
  const d = props['ossTransfer.concurrentFiles']?.default;
  if (typeof d !== 'number') throw new Error('package.json has no default for ossTransfer.concurrentFiles');
  return d;
}

const SOURCE_PREFIX = 'small/src/';

type Label = `${SmallVariantName} x${number}`;

export async function runSmallFilesBench(s: SmallFilesSetup): Promise<void> {
  const { count, size, direct, connection } = s;
  const bucket = connection.bucket;
  const filesDir = path.join(s.dir, 'files');
  await fsp.mkdir(filesDir, { recursive: true });
  const names = Array.from({ length: count }, (_, i) => `f${String(i).padStart(6, '0')}.bin`);
  const contents = new Map<string, Buffer>();
  for (const n of names) {
    const b = randomBytes(size);
    contents.set(n, b);
    await fsp.writeFile(path.join(filesDir, n), b);
  }
  const defaults = defaultConcurrentFiles();
  const given = process.env.BENCH_SMALL_CONCURRENCY;
  const levels = [...new Set((given ?? `${PEER_DEFAULT},${defaults},16`).split(',').map(Number))];
  if (levels.some((c) => !(Number.isInteger(c) && c >= 1))) throw new Error('BENCH_SMALL_CONCURRENCY: whole numbers >= 1, comma-separated (e.g. 3,16)');
  const ui = process.env.BENCH_SMALL_UI === '1';
  const uploads: SmallVariantName[] = ['batch-up', 'alioss-put-pool', 'raw-put-pool'];
  const downloads: SmallVariantName[] = ['batch-down', 'alioss-get-pool', 'raw-get-pool'];
  // Without BENCH_SMALL_CONCURRENCY the batch runs at its default and at 16, the pools at 3 and 16.
  const runsAt = (v: SmallVariantName, c: number) =>
    given !== undefined || (v.startsWith('batch-') ? c === defaults || c === 16 : c === PEER_DEFAULT || c === 16);
  const plan = (list: SmallVariantName[]) => levels.flatMap((c) => list.filter((v) => runsAt(v, c)).map((v) => ({ v, c, label: `${v} x${c}` as Label })));
  const wanted = (x: { v: SmallVariantName; label: string }) => !s.only || s.only.includes(x.v) || s.only.includes(x.label);
  console.log(
    `small files: ${count} x ${size} bytes, ${levels.join(' and ')} at once (the extension's default: ${defaults}), ${s.rounds} round(s)` +
      (ui ? '; TransferManager through the Transfers UI under a fake vscode (status bar, badge, tree redraws)' : '; TransferManager with its progress notification sampled 4 times a second'),
  );

  // The downloads' objects go in straight to the server, not through the emulated link.
  if (plan(downloads).some(wanted)) await runPool(names, 16, (n) => direct.putObject({ bucket, key: SOURCE_PREFIX + n, body: contents.get(n)! }));

  const results = new Map<Label, Measured[]>();
  const keep = (label: Label, r: Measured) => results.set(label, [...(results.get(label) ?? []), r]);
  let runNo = 0;
  for (let round = 0; round < s.rounds; round++) {
    const order = <T>(list: T[]): T[] => list.map((_, i) => list[(i + round) % list.length]!);
    for (const x of [...order(plan(uploads)), ...order(plan(downloads))].filter(wanted)) {
      const up = isSmallUpload(x.v);
      const target = up ? `small/${x.v}-${x.c}/` : path.join(s.dir, `down-${runNo}`);
      const spec: SmallVariantSpec & Connection = {
        ...connection,
        kind: 'small',
        variant: x.v,
        concurrency: x.c,
        dir: up ? filesDir : target,
        prefix: up ? target : SOURCE_PREFIX,
        checkpointDir: path.join(s.dir, `cpt-${runNo++}`),
        ui,
      };
      settleDisk();
      const conns0 = s.connectionsSoFar?.();
      const r: Measured = await runMeasured(spec, x.label.replace(' ', '-'));
      if (conns0 !== undefined) r.connections = s.connectionsSoFar!() - conns0;
      if (r.files !== count) throw new Error(`${x.label}: moved ${r.files} files, not ${count}`);
      if (up) await checkUploaded(direct, bucket, target, contents);
      else await checkDownloaded(target, contents);
      const left = await fsp.readdir(spec.checkpointDir).catch(() => []);
      if (left.length) console.log(`  note: ${x.label} left ${left.length} file(s) in its checkpoint folder (first: ${left[0]})`);
      await fsp.rm(spec.checkpointDir, { recursive: true, force: true });
      if (!up) await fsp.rm(target, { recursive: true, force: true });
      keep(x.label, r);
    }
  }
  printSmallReport(results, count, s.rounds, levels, defaults);
}

async function checkUploaded(client: OssClient, bucket: string, prefix: string, contents: Map<string, Buffer>): Promise<void> {
  const objects = await listAllObjects(client, bucket, prefix);
  const sizes = new Map(objects.map((o) => [path.posix.basename(o.key), o.size]));
  for (const [n, b] of contents) if (sizes.get(n) !== b.length) throw new Error(`${prefix}: ${n} is missing or has the wrong size`);
}

async function checkDownloaded(dir: string, contents: Map<string, Buffer>): Promise<void> {
  for (const [n, b] of contents) {
    const got = await fsp.readFile(path.join(dir, n)).catch(() => undefined);
    if (!got?.equals(b)) throw new Error(`download into ${dir}: ${n} is missing or differs from the source`);
  }
}

function printSmallReport(results: Map<Label, Measured[]>, count: number, rounds: number, levels: number[], defaults: number): void {
  const filesPerSecond = (r: Measured) => count / r.seconds;
  const conns = [...results.values()].every((rs) => rs.every((r) => r.connections !== undefined));
  console.log(
    `\nmedian of ${rounds} round(s); files/s range in brackets; file-system calls counted in the variant's process (fsCallCounter.ts)` +
      (conns ? '; connections: opened through the emulated WAN (each costs a handshake on a real link)' : ''),
  );
  console.log(`${'variant'.padEnd(22)} files/s  [min - max]     share of raw pool  peak RSS MB  CPU ms/file  fsync/file  rename/file  unlink/file  open/file${conns ? '  connections' : ''}`);
  for (const [label, rs] of results) {
    const [v, at] = label.split(' ') as [SmallVariantName, string];
    const raw = results.get(`${isSmallUpload(v) ? 'raw-put-pool' : 'raw-get-pool'} ${at}` as Label);
    const speeds = rs.map(filesPerSecond);
    const share = raw ? `${fmt(roundRatio(rs, raw, (r) => 1 / r.seconds).median * 100, 0)} %` : '';
    const per = (f: (r: Measured) => number, d = 2) => fmt(median(rs.map(f)) / count, d).padStart(11);
    console.log(
      `${label.padEnd(22)} ${fmt(median(speeds)).padStart(7)}  ${`[${fmt(Math.min(...speeds), 0)} - ${fmt(Math.max(...speeds), 0)}]`.padEnd(15)} ${share.padStart(17)} ` +
        `${fmt(median(rs.map((r) => r.maxRssMb))).padStart(12)} ${per((r) => r.cpuSeconds * 1000)} ${per((r) => r.fs.fsyncs)} ${per((r) => r.fs.renames).padStart(12)} ${per((r) => r.fs.unlinks).padStart(12)} ${per((r) => r.fs.opens).padStart(10)}` +
        (conns ? fmt(median(rs.map((r) => r.connections!)), 0).padStart(13) : ''),
    );
  }
  console.log('\nratios (median of per-round files/s ratios [min-max]) against the targets of the batch-layer issue');
  const ratio = (a: Label, b: Label, what: string, target?: number) => {
    const xs = results.get(a);
    const ys = results.get(b);
    if (!xs || !ys) return;
    const r = roundRatio(xs, ys, (x) => 1 / x.seconds);
    const verdict = target === undefined ? '' : `target >= ${fmt(target, 2)}x ${r.median >= target ? 'met' : 'NOT met'}`;
    console.log(`${what.padEnd(66)} ${r.text.padEnd(20)} ${verdict}`.trimEnd());
  };
  for (const [dir, eng, ali, raw, verb] of [['up', 'batch-up', 'alioss-put-pool', 'raw-put-pool', 'put'], ['down', 'batch-down', 'alioss-get-pool', 'raw-get-pool', 'get']] as const) {
    // The issue's targets: at each side's default 1.5x ali-oss (its pool of 3), at 16 1.5x ali-oss's
    // pool of 16 and 80 % of the raw pool of 16.
    ratio(`${eng} x${defaults}`, `${ali} x${PEER_DEFAULT}`, `TransferManager ${dir} at its default (${defaults}) vs ali-oss ${verb} pool of ${PEER_DEFAULT}`, 1.5);
    for (const c of levels) {
      const at = c === defaults ? `at its default (${c})` : `at ${c}`;
      ratio(`${eng} x${c}`, `${ali} x${c}`, `TransferManager ${dir} ${at} vs ali-oss ${verb} pool of ${c}`, c === 16 ? 1.5 : undefined);
      ratio(`${eng} x${c}`, `${raw} x${c}`, `TransferManager ${dir} ${at} vs raw ${verb.toUpperCase()} pool of ${c}`, c === 16 ? 0.8 : undefined);
    }
  }
  for (const [label, rs] of results) {
    if (!label.startsWith('batch-')) continue;
    const fsyncs = median(rs.map((r) => r.fs.fsyncs)) / count;
    console.log(`${`${label}: fsyncs per file`.padEnd(66)} ${fmt(fsyncs, 2).padEnd(20)} target <= 1 ${fsyncs <= 1 ? 'met' : 'NOT met'}`);
  }
  if (count >= 10_000) {
    for (const [label, rs] of results) {
      if (!label.startsWith('batch-')) continue;
      const rss = median(rs.map((r) => r.maxRssMb));
      console.log(`${`${label}: peak RSS for ${count} files`.padEnd(66)} ${`${fmt(rss, 0)} MB`.padEnd(20)} target < 250 MB ${rss < 250 ? 'met' : 'NOT met'}`);
    }
  }
}
