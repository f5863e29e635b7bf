// Runs part jobs as slots allow: one dispatcher hands the next part of one shared queue to each
// slot it gets (a fixed number, or as many as a LinkPacer grants while it adapts), so a slow part
// never holds back a fixed slice of the file. A slot is given back only when its job returned, so
// no more jobs run at once than slots were granted. The first error that reaches here (retries
// happen inside the job) stops scheduling, aborts the jobs in flight through their signal, and is
// thrown only after every job has returned — nothing runs on afterwards.
import { setMaxListeners } from 'node:events';
import { abortedError } from './retryPolicy.js';
import { countedSlots, type PartSlots } from './partSlots.js';

export async function runPartQueue<T>(
  items: readonly T[],
  slots: number | PartSlots,
  job: (item: T, signal: AbortSignal) => Promise<void>,
  outer?: AbortSignal,
): Promise<void> {
  const stop = new AbortController();
  // Each job links one request at a time to this signal, plus the dispatcher's wait for a slot.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = (): void => stop.abort(outer?.reason);
  if (outer?.aborted) throw abortedError(outer);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const source = typeof slots === 'number' ? countedSlots(slots) : slots;

  let firstError: unknown;
  const fail = (err: unknown): void => {
    if (firstError === undefined) firstError = err;
    stop.abort(err);
  };
  const running = new Set<Promise<void>>();
  try {
    for (const item of items) {
      try {
        await source.take(stop.signal);
      } catch (err) {
        if (!stop.signal.aborted) fail(err);
        break;
      }
      if (stop.signal.aborted) {
        source.give();
        break;
      }
      const run = (async () => {
        try {
          await job(item, stop.signal);
        } catch (err) {
          fail(err);
        } finally {
          source.give();
        }
      })();
      running.add(run);
      void run.then(() => running.delete(run));
    }
    while (running.size > 0) await Promise.all([...running]);
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
  // A cancel wins over whatever error the aborted requests produced.
  if (outer?.aborted) throw abortedError(outer);
  if (firstError !== undefined) throw firstError;
}
