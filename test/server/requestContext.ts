// What a handler gets: the raw request/response, the resolved address and operation, the fault
// picked for this request, and the server's shared state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiskStore } from './diskStore.js';
import type { Faults } from './faults.js';
import type { FaultAction, OpName, ServerCredential } from './serverTypes.js';
import type { Stats } from './stats.js';
import type { Pacer } from './pacer.js';
import type { UploadStore } from './uploadStore.js';

export interface ServerState {
  store: DiskStore;
  uploads: UploadStore;
  faults: Faults;
  stats: Stats;
  /** 'cn-hangzhou' */
  region: string;
  credentials: ServerCredential[];
  clockSkewMs: number;
  /** '127.0.0.1:PORT', used for ExtranetEndpoint/IntranetEndpoint and Location */
  hostPort: string;
  /** aborted by close(): ends stalls so close() never waits on a fault */
  closing: AbortSignal;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  method: string;
  /** undefined only while answering a request no operation matched */
  op?: OpName;
  bucket?: string;
  key?: string;
  query: Record<string, string>;
  /** lower-case names; repeated headers joined by ',' */
  headers: Record<string, string>;
  /** the fault rule's action chosen for this request, if any */
  fault?: FaultAction;
  /** x-oss-traffic-limit: the body is read or sent no faster than this */
  pace?: Pacer;
  state: ServerState;
}

/** Thrown when the socket is gone (client disconnected or a reset fault): nothing left to answer. */
export class ConnectionGone extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'ConnectionGone';
  }
}

export function serverNow(state: ServerState): Date {
  return new Date(Date.now() + state.clockSkewMs);
}

export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values !== undefined) out[name] = values.join(',');
  }
  return out;
}
