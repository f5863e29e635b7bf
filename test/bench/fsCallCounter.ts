// Counts, inside a bench variant's process, the file-system calls that cost a small file most:
// flushes (fsync / fdatasync), renames, unlinks and opens. Node's fs entry points are wrapped
// before the clock starts, so everything in the process (our engine, ali-oss, undici) is counted
// where it goes through them. An in-process count instead of strace: strace slows every system
// call, needs a second run and sees the test server's and the child's start-up calls too. Checked
// against `strace -f` on 100 small files up and down (2026-12-07): the same fsyncs, renames,
// unlinks and opens per file (strace adds the process's start-up opens).
//
// Each call is counted once: Node's helpers that call another wrapped entry point are not counted
// themselves (fs.promises.rm unlinks through fs.unlink, fs.writeFile opens through fs.open), and a
// synchronous helper that opens through fs.openSync in one Node version and internally in another
// (readFileSync) is counted as one open whichever it does.
import fs from 'node:fs';

export interface FsCounts {
  /** fsync and fdatasync, of files and folders, by callback, sync call or FileHandle. */
  fsyncs: number;
  renames: number;
  unlinks: number;
  /** Opens, including those inside readFile / writeFile given a path (not a descriptor or FileHandle). */
  opens: number;
}

type AnyFn = (...args: unknown[]) => unknown;

const byPath = (args: unknown[]): boolean => typeof args[0] === 'string' || Buffer.isBuffer(args[0]) || args[0] instanceof URL;

/** Installs the counters (once per process) and returns a reader of the counts so far. */
export async function countFsCalls(): Promise<() => FsCounts> {
  const counts: FsCounts = { fsyncs: 0, renames: 0, unlinks: 0, opens: 0 };
  // Depth of wrapped synchronous calls: nothing else runs meanwhile, so an inner call is the outer one's own.
  let inSync = 0;
  const wrap = (target: object, name: string, kind: keyof FsCounts, when: (args: unknown[]) => boolean = () => true): void => {
    const t = target as Record<string, AnyFn>;
    const original = t[name];
    if (typeof original !== 'function') return;
    const sync = name.endsWith('Sync');
    t[name] = function (this: unknown, ...args: unknown[]) {
      if (inSync === 0 && when(args)) counts[kind]++;
      if (!sync) return original.apply(this, args);
      inSync++;
      try {
        return original.apply(this, args);
      } finally {
        inSync--;
      }
    };
  };
  for (const n of ['fsync', 'fsyncSync', 'fdatasync', 'fdatasyncSync']) wrap(fs, n, 'fsyncs');
  for (const n of ['rename', 'renameSync']) wrap(fs, n, 'renames');
  for (const n of ['unlink', 'unlinkSync']) wrap(fs, n, 'unlinks');
  for (const n of ['open', 'openSync']) wrap(fs, n, 'opens');
  for (const n of ['readFileSync', 'writeFileSync', 'appendFileSync']) wrap(fs, n, 'opens', byPath);
  // fs.readFile opens internally; fs.writeFile / appendFile open through fs.open (counted there).
  wrap(fs, 'readFile', 'opens', byPath);
  wrap(fs.promises, 'rename', 'renames');
  wrap(fs.promises, 'unlink', 'unlinks');
  wrap(fs.promises, 'open', 'opens');
  // These open internally, not through fs.promises.open.
  for (const n of ['readFile', 'writeFile', 'appendFile']) wrap(fs.promises, n, 'opens', byPath);
  // FileHandle has no exported class: take its prototype from a handle.
  const fh = await fs.promises.open(__filename, 'r');
  const proto = Object.getPrototypeOf(fh) as object;
  await fh.close();
  counts.opens = 0;
  for (const n of ['sync', 'datasync']) wrap(proto, n, 'fsyncs');
  return () => ({ ...counts });
}
