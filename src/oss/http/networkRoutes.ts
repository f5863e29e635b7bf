// The undici dispatchers a client sends through: one keep-alive Agent for direct connections and
// one ProxyAgent per proxy in use, chosen per origin by the proxy rules (proxySelection.ts).
// Through a proxy, an https origin goes through a CONNECT tunnel (the pool keeps each tunnelled
// TLS connection alive and reuses it, as a direct one); an http origin is forwarded by the proxy
// (`GET http://host/path`), which is what proxies expect for plain HTTP.
// Extra CA certificates go in through one SecureContext built on Node's own roots, not through
// `ca` (which would replace the roots and turn off what VS Code adds to connections without one).
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { Agent, Pool, ProxyAgent, type Dispatcher } from 'undici';
import type { NetworkOptions } from '../types.js';
import { ProxyRules, type ProxyRoute } from './proxySelection.js';

export interface RouteOptions {
  connections: number;
  connectMs: number;
  headersMs: number;
  bodyIdleMs: number;
  keepAliveMs: number;
  network?: NetworkOptions;
}

/**
 * Building a context on Node's roots takes 100-200 ms of CPU: clients built from one options object
 * (the extension builds one per profile from the same list) share it.
 */
const contexts = new WeakMap<readonly string[], SecureContext>();

function secureContextFor(ca: readonly string[]): SecureContext {
  let context = contexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ...ca] });
    contexts.set(ca, context);
  }
  return context;
}

interface TlsConnectOptions {
  timeout: number;
  secureContext?: SecureContext;
  rejectUnauthorized?: boolean;
}

export class NetworkRoutes {
  private readonly rules: ProxyRules;
  private readonly direct: Agent;
  /** By proxy URL (credentials included, so two users of one proxy do not share a pool). */
  private readonly proxies = new Map<string, ProxyAgent>();
  private readonly routes = new Map<string, ProxyRoute | null>();
  private readonly secureContext?: SecureContext;

  constructor(private readonly opts: RouteOptions) {
    const net = opts.network ?? {};
    this.rules = new ProxyRules({
      ...(net.proxy !== undefined ? { proxy: net.proxy } : {}),
      ...(net.noProxy !== undefined ? { noProxy: net.noProxy } : {}),
      ...(net.env !== undefined ? { env: net.env } : {}),
    });
    if (net.ca && net.ca.length > 0) this.secureContext = secureContextFor(net.ca);
    this.direct = new Agent({ ...this.poolOptions(), connect: this.tls(true) });
  }

  /** The proxy requests to `origin` go through; undefined: direct. */
  routeFor(origin: string): ProxyRoute | undefined {
    let route = this.routes.get(origin);
    if (route === undefined) {
      route = this.rules.routeFor(origin) ?? null;
      this.routes.set(origin, route);
    }
    return route ?? undefined;
  }

  dispatcherFor(origin: string): Dispatcher {
    const route = this.routeFor(origin);
    return route ? this.proxyAgent(route) : this.direct;
  }

  /** Whether the proxy was handed credentials (in its URL or as a Proxy-Authorization value). */
  sendsProxyCredentials(route: ProxyRoute): boolean {
    return route.hasCredentials || !!this.opts.network?.proxyAuthorization;
  }

  private proxyAgent(route: ProxyRoute): ProxyAgent {
    let agent = this.proxies.get(route.url.href);
    if (!agent) {
      const auth = this.opts.network?.proxyAuthorization;
      const pool = this.poolOptions();
      agent = new ProxyAgent({
        uri: route.url.href,
        // A Proxy-Authorization value wins over user:password in the URL (undici's own order).
        ...(auth ? { token: auth } : {}),
        proxyTunnel: false,
        ...pool,
        requestTls: this.tls(false),
        proxyTls: this.tls(false),
        // Forwarded http origins get a pool from here too: same limits and timeouts as any other.
        factory: (origin: string | URL, o: object) => new Pool(origin, { ...pool, ...o }),
      });
      this.proxies.set(route.url.href, agent);
    }
    return agent;
  }

  private poolOptions(): { connections: number; headersTimeout: number; bodyTimeout: number; keepAliveTimeout: number } {
    const o = this.opts;
    return { connections: o.connections, headersTimeout: o.headersMs, bodyTimeout: o.bodyIdleMs, keepAliveTimeout: o.keepAliveMs };
  }

  /**
   * Verification is left to Node (so NODE_TLS_REJECT_UNAUTHORIZED keeps its meaning) except that
   * proxyStrictSsl: false accepts any certificate on connections through a proxy (the proxy's own,
   * and the endpoint's behind a TLS-inspecting proxy). Direct connections are always checked.
   */
  private tls(direct: boolean): TlsConnectOptions {
    const out: TlsConnectOptions = { timeout: this.opts.connectMs };
    if (this.secureContext) out.secureContext = this.secureContext;
    if (!direct && this.opts.network?.proxyStrictSsl === false) out.rejectUnauthorized = false;
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((p) => p.close())]);
  }

  async destroy(): Promise<void> {
    await Promise.all([this.direct.destroy(), ...[...this.proxies.values()].map((p) => p.destroy())]);
  }
}
