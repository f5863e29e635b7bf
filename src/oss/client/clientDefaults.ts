// The client's defaults: timeouts, the speed floor, connections, the region assumed for local
// endpoints, and the protocol's batch limits.
import { ERROR_BODY_KEEP } from '../http/httpTransport.js';

/**
 * Defaults: connect 10 s, first response byte 60 s, body silence 60 s, 16 sockets per origin.
 * Speed floor: a body averaging under 1 KiB/s for 20 s is cut (and retried by the engine). Any
 * working link, even a poor mobile one, moves a part tens of times faster (at 1 KiB/s one MiB
 * takes 17 minutes), so only a trickling or stuck peer falls below it; 20 s rides out TCP's
 * retransmission back-off (1+2+4+8 s) and a Wi-Fi hand-over, and still abandons a stuck part
 * within tens of seconds instead of the 60 s idle timeout, which a trickle never trips at all.
 */
export const DEFAULT_TIMEOUTS = {
  connectMs: 10_000,
  headersMs: 60_000,
  bodyIdleMs: 60_000,
  minSpeedBytesPerSec: 1024,
  minSpeedWindowMs: 20_000,
} as const;
/**
 * Connections per origin: enough for 64 small files in flight (through a 30 ms link, 2,000 files of
 * 16 KiB: a raw PUT pool of 16 carried 231 files/s, of 64 441). A big file's parts use at most 32
 * of them (MAX_PARTS_IN_FLIGHT), which bounds what one file holds in memory.
 */
export const DEFAULT_CONNECTIONS = 64;
/**
 * Region assumed for V4 when the endpoint is an IP/localhost address and no region is given:
 * such endpoints are test servers or proxies that cannot say their region, and this is the
 * test server's default. Any other endpoint whose region cannot be derived needs `region`.
 */
export const LOCAL_DEFAULT_REGION = 'cn-hangzhou';
/** An <Error> document in a 200 answer is looked for only in bodies up to this size (as error bodies are kept). */
export const MAX_ERROR_DOCUMENT = ERROR_BODY_KEEP;
/** DeleteMultipleObjects accepts at most this many keys per request. */
export const DELETE_BATCH = 1000;
