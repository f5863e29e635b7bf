// A TCP relay that makes the local test server look like one far away: every connection gets a
// round-trip delay and its own bandwidth cap in each direction, the two things that decide
// throughput to a real OSS region from a laptop (one TCP stream's rate is bounded by its window
// over the round trip, so parallel streams add up while a single stream does not). A new
// connection pays its handshake before its first bytes move, as TCP's does. Optionally all
// connections also share one bottleneck (a home or office uplink caps their sum), and losses stall
// a connection as a retransmission does.
// Used by `npm run bench` with BENCH_WAN; tests in test/unit/wanLink.test.ts.
import * as net from 'node:net';

export interface WanProfile {
  /** Round trip added to every connection (half in each direction). */
  rttMs: number;
  /** Cap per connection and direction, bytes per second. */
  bytesPerSecond: number;
  /** Cap on the sum of all connections, per direction, bytes per second (a shared uplink/downlink). */
  sharedBytesPerSecond?: number;
  /** Probability that a 1460-byte segment is lost (0.001 = 0.1 %). */
  lossRate?: number;
  /** How long a loss holds the bytes of its direction and connection back (a retransmission timeout). */
  stallMs?: number;
  /**
   * Round trips a new connection waits before its first bytes leave (default 1: TCP's handshake;
   * 2-3 would add TLS's, which the plain-HTTP test server does not do).
   */
  handshakeRtts?: number;
}

export interface WanLinkStats {
  /** Connections accepted so far: a client that does not reuse them pays a handshake each on a real link. */
  connections: number;
  /** Losses so far (each one stalled its connection's direction for stallMs). */
  stalls: number;
  /** Bytes delivered so far to the server (client -> server) and to the clients (server -> client). */
  bytesUp: number;
  bytesDown: number;
}

export interface WanLink {
  port: number;
  endpoint: string;
  stats(): WanLinkStats;
  close(): Promise<void>;
}

export interface WanLinkOptions {
  /** Source of randomness for losses (tests pass a fixed sequence); Math.random by default. */
  random?: () => number;
}

const MB = 1024 * 1024;
/** One TCP segment's payload on an Ethernet path: losses are drawn per segment, as they happen. */
const SEGMENT_BYTES = 1460;
/** Linux's minimum retransmission timeout: what a tail loss costs a connection. */
export const DEFAULT_STALL_MS = 200;
/** TCP's handshake; the test server speaks plain HTTP, so there is no TLS handshake to add. */
export const DEFAULT_HANDSHAKE_RTTS = 1;

/**
 * Parses BENCH_WAN's form "30ms,25MB" (MB as the bench report counts them: 2^20 bytes, per second
 * and connection), optionally followed by `shared=60MB` (cap on all connections together, per
 * direction), `loss=0.1%` (per segment), `stall=200ms` (what each loss costs; default 200 ms) and
 * `handshake=1rtt` (round trips before a new connection's first bytes; default 1, TCP's).
 */
export function parseWanProfile(text: string): WanProfile {
  const help = '(try "30ms,25MB": round trip, then MB/s per connection; optional ",shared=60MB,loss=0.1%,stall=200ms,handshake=1rtt")';
  const [rtt, rate, ...options] = text.split(',').map((s) => s.trim());
  const r = /^(\d+(?:\.\d+)?)\s*ms$/i.exec(rtt ?? '');
  const b = /^(\d+(?:\.\d+)?)\s*MB$/i.exec(rate ?? '');
  if (!r || !b) throw new Error(`BENCH_WAN: cannot read ${JSON.stringify(text)} ${help}`);
  const profile: WanProfile = { rttMs: Number(r[1]), bytesPerSecond: Number(b[1]) * MB };
  if (!(profile.bytesPerSecond > 0)) throw new Error('BENCH_WAN: the bandwidth must be above 0');
  for (const opt of options) {
    const o = /^(shared|loss|stall|handshake)\s*=\s*(\d+(?:\.\d+)?)\s*(MB|%|ms|rtt)$/i.exec(opt);
    const unit = { shared: 'mb', loss: '%', stall: 'ms', handshake: 'rtt' }[o?.[1]?.toLowerCase() as 'shared' | 'loss' | 'stall' | 'handshake'];
    if (!o || o[3]!.toLowerCase() !== unit) throw new Error(`BENCH_WAN: cannot read ${JSON.stringify(opt)} in ${JSON.stringify(text)} ${help}`);
    const v = Number(o[2]);
    const name = o[1]!.toLowerCase();
    if (name === 'shared') {
      if (!(v > 0)) throw new Error('BENCH_WAN: the shared bandwidth must be above 0');
      profile.sharedBytesPerSecond = v * MB;
    } else if (name === 'loss') {
      if (!(v < 100)) throw new Error('BENCH_WAN: the loss rate must be below 100 %');
      profile.lossRate = v / 100;
    } else if (name === 'stall') {
      profile.stallMs = v;
    } else {
      profile.handshakeRtts = v;
    }
  }
  return profile;
}

/** "30 ms round trip, 25.0 MB/s per connection, ..." for the bench's header. */
export function describeWanProfile(p: WanProfile): string {
  const parts = [`round trip ${p.rttMs} ms`, `${(p.bytesPerSecond / MB).toFixed(1)} MB/s per connection`];
  if (p.sharedBytesPerSecond) parts.push(`${(p.sharedBytesPerSecond / MB).toFixed(1)} MB/s shared by all connections`);
  if (p.lossRate) parts.push(`${(p.lossRate * 100).toFixed(3)} % segment loss stalling ${p.stallMs ?? DEFAULT_STALL_MS} ms`);
  parts.push(`${p.handshakeRtts ?? DEFAULT_HANDSHAKE_RTTS} round trip(s) of handshake per new connection`);
  return parts.join(', ');
}

/**
 * A wire shared by every connection in one direction: chunks are serialised at `bytesPerSecond` in
 * the order they reach it, as at a bottleneck router's queue, so the sum of the connections never
 * passes the cap while each connection's window keeps its own share of the queue.
 */
class SharedWire {
  private freeAt = 0;
  constructor(private readonly bytesPerSecond: number) {}

  /** When a chunk arriving `now` has passed the wire. */
  pass(now: number, bytes: number): number {
    this.freeAt = Math.max(now, this.freeAt) + (bytes * 1000) / this.bytesPerSecond;
    return this.freeAt;
  }
}

interface LineContext {
  profile: WanProfile;
  shared: SharedWire | undefined;
  random: () => number;
  stats: WanLinkStats;
  /** Which byte counter this direction's deliveries add to. */
  counter: 'bytesUp' | 'bytesDown';
}

/**
 * One direction of one connection: each chunk leaves when the cap allows (serialisation at
 * `bytesPerSecond`, and through the shared wire if there is one) and arrives half a round trip
 * later; a lost segment holds it, and everything behind it, back by the stall time. Reading
 * pauses while more than a window's worth is on the wire, as TCP's window would stop the sender.
 */
class DelayLine {
  private readonly queue: Array<{ chunk: Buffer; at: number }> = [];
  private queued = 0;
  private wireFreeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  /** The receiving socket's buffer is full: hold delivery until it drains, like a full receive window. */
  private blocked = false;
  private readonly window: number;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly ctx: LineContext,
    /** Nothing leaves before this (performance.now() time): the connection's handshake. */
    openAt = 0,
  ) {
    const p = ctx.profile;
    this.wireFreeAt = openAt;
    // A window of one bandwidth-delay product (plus slack) lets one stream reach the cap, no more.
    this.window = Math.max(256 * 1024, Math.ceil((p.bytesPerSecond * p.rttMs) / 1000) + 256 * 1024);
    from.on('data', (chunk: Buffer) => this.accept(chunk));
    from.on('end', () => {
      this.ended = true;
      this.pump();
    });
    to.on('drain', () => {
      this.blocked = false;
      this.pump();
    });
  }

  private accept(chunk: Buffer): void {
    const { profile: p, shared } = this.ctx;
    const now = performance.now();
    this.wireFreeAt = Math.max(now, this.wireFreeAt) + (chunk.length * 1000) / p.bytesPerSecond;
    if (shared) this.wireFreeAt = Math.max(this.wireFreeAt, shared.pass(now, chunk.length));
    // Later chunks queue behind this one (pump delivers in order): the stall is head-of-line, as
    // in TCP, and the window then stops the sender until it is over.
    const stall = this.lost(chunk.length) ? (p.stallMs ?? DEFAULT_STALL_MS) : 0;
    this.queue.push({ chunk, at: this.wireFreeAt + p.rttMs / 2 + stall });
    this.queued += chunk.length;
    if (this.queued > this.window) this.from.pause();
    this.pump();
  }

  /** Whether any of the chunk's segments is lost (one draw per chunk, with the segments' joint odds). */
  private lost(bytes: number): boolean {
    const rate = this.ctx.profile.lossRate;
    if (!rate) return false;
    const segments = Math.ceil(bytes / SEGMENT_BYTES);
    if (this.ctx.random() >= 1 - (1 - rate) ** segments) return false;
    this.ctx.stats.stalls++;
    return true;
  }

  private pump(): void {
    if (this.timer || this.blocked) return;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now && !this.blocked) {
      const { chunk } = this.queue.shift()!;
      this.queued -= chunk.length;
      this.ctx.stats[this.ctx.counter] += chunk.length;
      if (!this.to.destroyed && !this.to.write(chunk)) this.blocked = true;
    }
    if (this.blocked) return;
    if (this.queued <= this.window / 2 && this.from.isPaused()) this.from.resume();
    if (this.queue.length > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, Math.max(0, this.queue[0]!.at - now));
    } else if (this.ended && !this.to.destroyed) {
      this.to.end();
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

/** Starts a relay on 127.0.0.1 (any free port) in front of `target`. */
export async function startWanLink(target: { host: string; port: number }, profile: WanProfile, opts: WanLinkOptions = {}): Promise<WanLink> {
  const sockets = new Set<net.Socket>();
  const stats: WanLinkStats = { connections: 0, stalls: 0, bytesUp: 0, bytesDown: 0 };
  const random = opts.random ?? Math.random;
  const wire = () => (profile.sharedBytesPerSecond ? new SharedWire(profile.sharedBytesPerSecond) : undefined);
  const up: LineContext = { profile, shared: wire(), random, stats, counter: 'bytesUp' };
  const down: LineContext = { profile, shared: wire(), random, stats, counter: 'bytesDown' };
  // Half-open allowed both ways: an end is relayed by the delay line after the bytes before it,
  // not applied at once (which would cut off a response still on the emulated wire).
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    stats.connections++;
    const upstream = net.connect({ port: target.port, host: target.host, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    // The client's first bytes leave once the handshake is over; the server answers only after them.
    const open = performance.now() + (profile.handshakeRtts ?? DEFAULT_HANDSHAKE_RTTS) * profile.rttMs;
    const lines = [new DelayLine(client, upstream, up, open), new DelayLine(upstream, client, down)];
    // A reset on either side resets the other at once.
    const reset = (): void => {
      for (const l of lines) l.stop();
      client.destroy();
      upstream.destroy();
    };
    client.on('error', reset);
    upstream.on('error', reset);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
