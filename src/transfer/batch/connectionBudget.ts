// How many transfers may run at once. A small file (one request) holds one connection; a big file
// holds one per part in flight. Files start in queue order while the user's cap on files in flight
// (ossTransfer.concurrentFiles) and the connection budget both allow, so a folder of small files
// keeps many requests in flight while big files share the part parallelism. The budget is the
// client's own pool size, so no request waits inside the HTTP pool for a socket.
import { DEFAULT_CONNECTIONS } from '../../oss/index.js';
import { chooseParallel, choosePartSize } from '../engine/partPlan.js';
import type { TransferSettings, TransferSpec } from './transferTypes.js';

export const CONNECTION_BUDGET = DEFAULT_CONNECTIONS;

/** A file the engine moves in one request: its size is known and fits in one part. */
export function isSmallTransfer(spec: TransferSpec, settings: TransferSettings): boolean {
  if (spec.size === undefined) return false;
  try {
    return spec.size <= choosePartSize(spec.size, settings.partSize, spec.direction);
  } catch {
    return false; // a size or part size the engine refuses: it will say so when the file runs
  }
}

/** Connections a transfer holds while it runs. */
export function connectionCost(spec: TransferSpec, settings: TransferSettings): number {
  if (isSmallTransfer(spec, settings)) return 1;
  try {
    return chooseParallel(spec.direction, settings.parallel);
  } catch {
    return 1;
  }
}

/** Whether one more transfer of `cost` may start beside `running` files holding `connections`. */
export function mayStart(running: number, connections: number, cost: number, maxFiles: number, budget = CONNECTION_BUDGET): boolean {
  if (running >= maxFiles) return false;
  // Something always runs, even a transfer wider than the whole budget.
  return running === 0 || connections + cost <= budget;
}
