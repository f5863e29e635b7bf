// Runs part jobs with bounded parallelism: workers pull the next part from one shared queue, so
// a slow part never holds back a fixed slice of the file. The first error that reaches here
// (retries happen inside the job) stops scheduling, aborts the jobs in flight through their
// signal, and is thrown only after every worker has returned — nothing runs on afterwards.
import { setMaxListeners } from 'node:events';
import { abortedError } from './retryPolicy.js';

export async function runPartQueue<T>(
  items: readonly T[],
  parallel: number,
  job: (item: T, signal: AbortSignal) => Promise<void>,
  outer?: AbortSignal,
): Promise<void> {
  const stop = new AbortController();
  // Each worker links one request at a time to this signal: `parallel` listeners is expected.
  setMaxListeners(Math.max(10, parallel + 5), stop.signal);
  const onOuterAbort = (): void => stop.abort(outer?.reason);
  if (outer?.aborted) throw abortedError(outer);
  outer?.addEventListener('abort', onOuterAbort, { once: true });

  let next = 0;
  let firstError: unknown;
  const worker = async (): Promise<void> => {
    while (!stop.signal.aborted && next < items.length) {
      const item = items[next++]!;
      try {
        await job(item, stop.signal);
      } catch (err) {
        if (firstError === undefined) firstError = err;
        stop.abort(err);
      }
    }
  };
  try {
    const n = Math.max(1, Math.min(parallel, items.length));
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
  // A cancel wins over whatever error the aborted requests produced.
  if (outer?.aborted) throw abortedError(outer);
  if (firstError !== undefined) throw firstError;
}
