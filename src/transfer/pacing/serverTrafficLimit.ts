// A bandwidth cap the server enforces instead of this client: OSS holds each request that carries
// x-oss-traffic-limit to that many bits per second (from 100 KB/s to 100 MB/s per request), so a cap
// across all transfers is shared out as a fixed number of requests at once, each with its share.
import { TRAFFIC_LIMIT_MAX, TRAFFIC_LIMIT_MIN } from '../../oss/index.js';

/** Requests sharing a server-enforced cap unless the caller fixed the parallelism. */
export const SERVER_LIMIT_REQUESTS = 4;

/**
 * How many requests share a cap of `bytesPerSecond`: `preferred` while each share stays at or above
 * OSS's minimum, and at least as many as keep each share at or below its maximum.
 */
export function serverLimitedRequests(bytesPerSecond: number, preferred = SERVER_LIMIT_REQUESTS): number {
  const bits = bytesPerSecond * 8;
  const most = Math.max(1, Math.floor(bits / TRAFFIC_LIMIT_MIN));
  const least = Math.max(1, Math.ceil(bits / TRAFFIC_LIMIT_MAX));
  return Math.max(least, Math.min(Math.max(1, Math.floor(preferred)), most));
}

/**
 * The x-oss-traffic-limit of one of `requests` requests sharing `bytesPerSecond`, in bit/s, within
 * what OSS accepts (a cap below 100 KB/s per request cannot be asked of the server: it gets 100 KB/s).
 */
export function trafficLimitPerRequest(bytesPerSecond: number, requests: number): number {
  const share = Math.floor((bytesPerSecond * 8) / Math.max(1, requests));
  return Math.min(TRAFFIC_LIMIT_MAX, Math.max(TRAFFIC_LIMIT_MIN, share));
}
