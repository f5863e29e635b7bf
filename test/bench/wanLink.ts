// A TCP relay that makes the local test server look like one far away: every connection gets a
// round-trip delay and its own bandwidth cap in each direction, the two things that decide
// throughput to a real OSS region from a laptop (one TCP stream's rate is bounded by its window
// over the round trip, so parallel streams add up while a single stream does not).
// Used by `npm run bench` with BENCH_WAN; tests in test/unit/wanLink.test.ts.
import * as net from 'node:net';

export interface WanProfile {
  /** Round trip added to every connection (half in each direction). */
  rttMs: number;
  /** Cap per connection and direction, bytes per second. */
  bytesPerSecond: number;
}

export interface WanLink {
  port: number;
  endpoint: string;
  close(): Promise<void>;
}

/** Parses BENCH_WAN's form "30ms,25MB" (MB as the bench report counts them: 2^20 bytes, per second and connection). */
export function parseWanProfile(text: string): WanProfile {
  const m = /^\s*(\d+(?:\.\d+)?)\s*ms\s*,\s*(\d+(?:\.\d+)?)\s*MB\s*$/i.exec(text);
  if (!m) throw new Error(`BENCH_WAN: cannot read ${JSON.stringify(text)} (try "30ms,25MB": round trip, then MB/s per connection)`);
  const profile = { rttMs: Number(m[1]), bytesPerSecond: Number(m[2]) * 1024 * 1024 };
  if (!(profile.bytesPerSecond > 0)) throw new Error('BENCH_WAN: the bandwidth must be above 0');
  return profile;
}

/**
 * One direction of one connection: each chunk leaves when the cap allows (serialisation at
 * `bytesPerSecond`) and arrives half a round trip later. Reading pauses while more than a
 * window's worth is on the wire, as TCP's window would stop the sender.
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
    private readonly p: WanProfile,
  ) {
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
    const now = performance.now();
    this.wireFreeAt = Math.max(now, this.wireFreeAt) + (chunk.length * 1000) / this.p.bytesPerSecond;
    this.queue.push({ chunk, at: this.wireFreeAt + this.p.rttMs / 2 });
    this.queued += chunk.length;
    if (this.queued > this.window) this.from.pause();
    this.pump();
  }

  private pump(): void {
    if (this.timer || this.blocked) return;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now && !this.blocked) {
      const { chunk } = this.queue.shift()!;
      this.queued -= chunk.length;
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
export async function startWanLink(target: { host: string; port: number }, profile: WanProfile): Promise<WanLink> {
  const sockets = new Set<net.Socket>();
  // Half-open allowed both ways: an end is relayed by the delay line after the bytes before it,
  // not applied at once (which would cut off a response still on the emulated wire).
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: target.port, host: target.host, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    const lines = [new DelayLine(client, upstream, profile), new DelayLine(upstream, client, profile)];
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
