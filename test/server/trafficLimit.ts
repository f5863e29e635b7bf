// OSS's single-connection bandwidth throttling as the test server plays it: a PutObject, UploadPart
// or GetObject carrying x-oss-traffic-limit (bit/s, 819200..838860800, that is 100 KB/s..100 MB/s)
// has its body read or sent no faster than that (a Pacer of its own, see pacer.ts); another value is
// 400 InvalidArgument, as OSS answers. Lets the engine's server-kept bandwidth cap be tested end to end.
import { OssServerError } from './ossServerError.js';
import type { OpName } from './serverTypes.js';

const LIMITED_OPS: ReadonlySet<OpName> = new Set(['PutObject', 'UploadPart', 'GetObject']);
const MIN_BITS = 819_200;
const MAX_BITS = 838_860_800;

/** The request's limit in bit/s, undefined when it has none or the operation takes none. */
export function trafficLimitOf(op: OpName, headers: Record<string, string>): number | undefined {
  const raw = headers['x-oss-traffic-limit'];
  if (raw === undefined || !LIMITED_OPS.has(op)) return undefined;
  const bits = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(bits >= MIN_BITS && bits <= MAX_BITS)) {
    throw new OssServerError(400, 'InvalidArgument', `The value of x-oss-traffic-limit must be in ${MIN_BITS}..${MAX_BITS} bit/s, not ${JSON.stringify(raw)}.`, {
      ArgumentName: 'x-oss-traffic-limit',
      ArgumentValue: raw,
    });
  }
  return bits;
}
