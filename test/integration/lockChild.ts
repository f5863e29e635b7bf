// Child process for transferLock.test.ts: takes the transfer lock of the checkpoint named by
// LOCK_CHILD_CPT (in-process and lock file, as the engines do), says so, and holds it until it
// is killed. It stands for another VS Code window running the same transfer.
import { checkpointLockPath } from '../../src/transfer/checkpoint/checkpointStore.js';
import { acquireTransferLock } from '../../src/transfer/locking/transferLock.js';

const cpt = process.env.LOCK_CHILD_CPT;
if (!cpt) throw new Error('LOCK_CHILD_CPT is not set');
acquireTransferLock(cpt, { lockFile: checkpointLockPath(cpt) });
process.stdout.write(`LOCKED ${process.pid}\n`);
setInterval(() => undefined, 60_000);
