// Which proxy, if any, a request to an origin goes through: the rules VS Code applies to its own
// requests, pure and synchronous so they are unit-tested on their own.
//   1. localhost, 127.0.0.1 and ::1 always go direct (as in VS Code).
//   2. A host the no-proxy list names goes direct. A list given in the options replaces NO_PROXY
//      from the environment (VS Code: a non-empty http.noProxy wins over NO_PROXY).
//   3. A proxy URL given in the options is used for every other request; without one, the
//      environment's: https origins use https_proxy / HTTPS_PROXY, then http_proxy / HTTP_PROXY;
//      http origins use http_proxy / HTTP_PROXY. The lower-case name wins, as in curl and undici.
// A proxy URL may carry user:password; it is never shown: messages use `shown` (scheme://host:port).
import { BlockList, isIP } from 'node:net';

export interface ProxyConfig {
  /** A proxy for every request; '' or undefined: the environment's. */
  proxy?: string;
  /** Hosts that go direct; empty or undefined: NO_PROXY from the environment. */
  noProxy?: readonly string[];
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) are read; none: no environment. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ProxyRoute {
  /** The proxy, user:password included: handed to the proxy agent only, never shown. */
  url: URL;
  /** `http://proxy.corp:8080`: what messages and logs may show. */
  shown: string;
  /** What named it: `the proxy option`, `HTTPS_PROXY`, `http_proxy`… */
  source: string;
  /** The URL carries user:password. */
  hasCredentials: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1']);
const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** `[::1]` -> `::1`, `Example.COM.` -> `example.com`. */
function normalHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

function ipFamily(host: string): 'ipv4' | 'ipv6' | undefined {
  const v = isIP(host);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

interface NameRule {
  name: string;
  port?: number;
}
interface AddressRule {
  /** One address or one subnet. */
  list: BlockList;
  family: 'ipv4' | 'ipv6';
  port?: number;
}

/** A no-proxy list: `*`, names (with their subdomains), `.suffix` / `*.suffix`, `host:port`, IPs, CIDR ranges. */
export class NoProxyList {
  private all = false;
  private readonly names: NameRule[] = [];
  private readonly addresses: AddressRule[] = [];

  /** Entries, each possibly a comma- or space-separated list as NO_PROXY holds them. */
  constructor(entries: readonly string[]) {
    for (const raw of entries.flatMap((e) => e.split(/[\s,]+/))) this.add(raw.trim().toLowerCase());
  }

  get isEmpty(): boolean {
    return !this.all && this.names.length === 0 && this.addresses.length === 0;
  }

  private add(entry: string): void {
    if (entry === '') return;
    if (entry === '*') {
      this.all = true;
      return;
    }
    let host = entry;
    let port: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const withPort = /^([^:]+):(\d+)$/.exec(entry);
    if (bracketed) {
      host = bracketed[1]!;
      if (bracketed[2] !== undefined) port = Number(bracketed[2]);
    } else if (withPort) {
      host = withPort[1]!;
      port = Number(withPort[2]);
    }
    const cidr = /^(.+)\/(\d{1,3})$/.exec(host);
    if (cidr) {
      const family = ipFamily(cidr[1]!);
      const bits = Number(cidr[2]);
      if (family && bits <= (family === 'ipv4' ? 32 : 128)) {
        const list = new BlockList();
        list.addSubnet(cidr[1]!, bits, family);
        this.addresses.push({ list, family, ...(port !== undefined ? { port } : {}) });
      }
      return;
    }
    const family = ipFamily(host);
    if (family) {
      const list = new BlockList();
      list.addAddress(host, family);
      this.addresses.push({ list, family, ...(port !== undefined ? { port } : {}) });
      return;
    }
    // `.example.com` and `*.example.com` mean what `example.com` means: the domain and below it.
    const name = host.replace(/^\*?\./, '').replace(/\.$/, '');
    if (name !== '') this.names.push({ name, ...(port !== undefined ? { port } : {}) });
  }

  /** `hostname` as URL.hostname gives it (brackets allowed), `port` the one actually used. */
  matches(hostname: string, port: number): boolean {
    if (this.all) return true;
    const host = normalHost(hostname);
    const family = ipFamily(host);
    if (family) {
      return this.addresses.some((a) => (a.port === undefined || a.port === port) && a.family === family && a.list.check(host, family));
    }
    return this.names.some((n) => (n.port === undefined || n.port === port) && (host === n.name || host.endsWith(`.${n.name}`)));
  }
}

/** The value of an environment variable, lower-case name first; blank counts as unset. */
function fromEnv(env: Readonly<Record<string, string | undefined>> | undefined, name: string): { value: string; source: string } | undefined {
  for (const n of [name.toLowerCase(), name.toUpperCase()]) {
    const v = env?.[n]?.trim();
    if (v) return { value: v, source: n };
  }
  return undefined;
}

/** Parses a proxy URL (`host:port` means `http://host:port`); the error never repeats the value (it may hold a password). */
export function parseProxyUrl(value: string, source: string): ProxyRoute {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new TypeError(`${source} is not a valid proxy URL (expected http://host:port or https://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${source} names a ${url.protocol.replace(/:$/, '')} proxy (${url.host}); only http:// and https:// proxies are supported`);
  }
  if (url.hostname === '') throw new TypeError(`${source} is not a valid proxy URL: it names no host`);
  const port = url.port || String(DEFAULT_PORTS[url.protocol]);
  return { url, shown: `${url.protocol}//${url.hostname}:${port}`, source, hasCredentials: url.username !== '' || url.password !== '' };
}

/** The source a route names when it comes from the `proxy` option (not the environment). */
export const PROXY_OPTION_SOURCE = 'the proxy option';

/** The compiled rules: built once per client, asked once per origin. */
export class ProxyRules {
  private readonly noProxy: NoProxyList;
  private readonly forHttps?: ProxyRoute;
  private readonly forHttp?: ProxyRoute;

  constructor(config: ProxyConfig) {
    const listed = (config.noProxy ?? []).filter((e) => e.trim() !== '');
    this.noProxy = new NoProxyList(listed.length > 0 ? listed : [fromEnv(config.env, 'no_proxy')?.value ?? '']);
    const given = config.proxy?.trim();
    if (given) {
      this.forHttps = this.forHttp = parseProxyUrl(given, PROXY_OPTION_SOURCE);
      return;
    }
    const httpEnv = fromEnv(config.env, 'http_proxy');
    const httpsEnv = fromEnv(config.env, 'https_proxy') ?? httpEnv;
    if (httpEnv) this.forHttp = parseProxyUrl(httpEnv.value, httpEnv.source);
    if (httpsEnv) this.forHttps = httpsEnv === httpEnv ? this.forHttp : parseProxyUrl(httpsEnv.value, httpsEnv.source);
  }

  /** Any proxy configured at all (before the no-proxy and loopback rules). */
  get configured(): boolean {
    return this.forHttp !== undefined || this.forHttps !== undefined;
  }

  /** The proxy for this origin (`https://host:port`), or undefined for a direct connection. */
  routeFor(origin: string | URL): ProxyRoute | undefined {
    const url = typeof origin === 'string' ? new URL(origin) : origin;
    const route = url.protocol === 'https:' ? this.forHttps : url.protocol === 'http:' ? this.forHttp : undefined;
    if (!route) return undefined;
    const host = normalHost(url.hostname);
    if (LOOPBACK.has(host)) return undefined;
    const port = url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0);
    return this.noProxy.matches(host, port) ? undefined : route;
  }
}
