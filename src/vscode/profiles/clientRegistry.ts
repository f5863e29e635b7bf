// One OssClient per profile, built on first use from the profile and its secret and dropped when
// either changes. The client itself routes each bucket to its own region endpoint once it has
// seen the bucket in ListBuckets / GetBucketInfo; buckets added by name are routed from what we
// remembered about them. Either way a server-named endpoint is followed only when it passes
// checkListedEndpoint (an OSS host of the expected form, or the profile's own host).
import { OssClient, checkListedEndpoint, isOssServiceHost, parseEndpoint, type RequestLogEntry } from '../../oss/index.js';
import type { EndpointRefusal } from '../../oss/types.js';
import type { NetworkOptions, SignatureVersion, Timeouts } from '../../oss/types.js';
import { Disposable } from '../disposable.js';
import { t } from '../presentation/translate.js';
import type { Logger } from '../logger.js';
import { clientOptionsFor, connectionFor } from './clientOptions.js';
import { kindLabel, type Profile } from './profile.js';
import type { CredentialsEvent } from '../../oss/credentials/refreshingProvider.js';
import { describeError } from '../presentation/errorAdvice.js';
import type { ProfileStore } from './profileStore.js';

interface Entry {
  client: Promise<OssClient>;
  /** Buckets whose route is known (listed, looked up or pinned). */
  routed: Set<string>;
}

export class ClientRegistry extends Disposable {
  private readonly clients = new Map<string, Entry>();
  private readonly requestLog: Logger;

  constructor(
    private readonly store: ProfileStore,
    private readonly log: Logger,
    private readonly signatureDefault: () => SignatureVersion,
    private readonly timeouts: () => Timeouts = () => ({}),
    /** Proxy and CAs (networkSettings.ts); rejects while a network setting cannot be used. */
    private readonly network: () => Promise<NetworkOptions | undefined> = async () => undefined,
  ) {
    super();
    this.requestLog = log.child('http');
    this.register(store.onDidChange(() => this.reset()));
    this.register({ dispose: () => this.reset() });
  }

  /**
   * Drops every client (profile or settings changed); the next request builds new ones. A running
   * transfer may still hold an old one: it is retired, not closed, so its next part still goes out
   * (on the settings it started with) instead of failing on a closed pool.
   */
  reset(): void {
    const old = [...this.clients.values()];
    this.clients.clear();
    for (const e of old) void e.client.then((c) => c.retire()).catch(() => undefined);
  }

  profile(profileId: string): Profile {
    const p = this.store.get(profileId);
    if (!p) throw new Error(t('The profile this item belongs to no longer exists (id {0}). Refresh the Buckets view.', profileId));
    return p;
  }

  /** The profile's client, for service-level requests (ListBuckets) and anything already routed. */
  client(profileId: string): Promise<OssClient> {
    return this.entry(profileId).client;
  }

  /** The client with `bucket` routed to its own endpoint (looked up once with GetBucketInfo if needed). */
  async clientFor(profileId: string, bucket: string): Promise<OssClient> {
    const bound = this.profile(profileId).customDomainBucket;
    if (bound !== undefined && bucket !== bound) {
      // Through a custom domain every request lands in the bound bucket, whatever bucket it names.
      throw new Error(
        t(
          'Profile "{0}" reaches only bucket {1} through its custom domain, not {2}. Use a profile with a region or OSS endpoint for other buckets.',
          this.profile(profileId).name,
          bound,
          bucket,
        ),
      );
    }
    const entry = this.entry(profileId);
    const client = await entry.client;
    if (entry.routed.has(bucket) || !isOssServiceHost(parseEndpoint(client.endpoint).hostname)) return client;
    try {
      await client.getBucketInfo({ bucket });
    } catch (e) {
      // Not allowed or not found: requests then go to the profile's endpoint and fail there with
      // the real error, which is more useful than this lookup's.
      this.log.debug(`GetBucketInfo for ${bucket} failed, using the profile endpoint: ${(e as Error).message}`);
    }
    entry.routed.add(bucket);
    return client;
  }

  /** Called after a ListBuckets through `client(profileId)`: the client has learnt these routes. */
  markRouted(profileId: string, buckets: readonly string[]): void {
    const entry = this.clients.get(profileId);
    for (const b of buckets) entry?.routed.add(b);
  }

  private entry(profileId: string): Entry {
    let entry = this.clients.get(profileId);
    if (!entry) {
      const routed = new Set<string>();
      entry = { client: this.build(profileId, routed), routed };
      this.clients.set(profileId, entry);
      // A failed build (missing secret, bad endpoint) must not be cached forever.
      entry.client.catch(() => {
        if (this.clients.get(profileId) === entry) this.clients.delete(profileId);
      });
    }
    return entry;
  }

  private async build(profileId: string, routed: Set<string>): Promise<OssClient> {
    const profile = this.profile(profileId);
    const problem = profile.source === 'env' ? this.store.envProblem(profile.id) : undefined;
    if (problem) throw new Error(problem);
    const secret = await this.store.secret(profile);
    const network = await this.network();
    const sv = this.signatureDefault();
    const client = new OssClient({
      ...clientOptionsFor(profile, secret, sv, undefined, { onEvent: (e) => this.logCredentials(profile.name, e), ...(network ? { network } : {}) }),
      timeouts: this.timeouts(),
      ...(network ? { network } : {}),
      onRequestLog: (e) => this.logRequest(profile.name, e),
      onEndpointRefused: (e) => this.logRefusal(profile.name, e),
    });
    // A custom domain has one bucket and one route: the domain itself.
    const added = profile.customDomainBucket === undefined ? this.store.addedBuckets(profileId) : [];
    const home = parseEndpoint(client.endpoint);
    for (const b of added) {
      if (!b.region && !b.extranetEndpoint) continue;
      // What was remembered came from a server's answer (GetBucketInfo): judged like a listing.
      const conn = connectionFor(profile, sv, b);
      if (conn.endpoint && conn.endpoint !== client.endpoint) {
        const judged = checkListedEndpoint(home, conn.endpoint);
        try {
          if ('refused' in judged) throw new Error(judged.refused);
          client.setBucketEndpoint(b.name, judged.origin, conn.region);
        } catch (e) {
          this.logRefusal(profile.name, { bucket: b.name, listed: conn.endpoint, reason: (e as Error).message, kept: client.endpoint });
        }
      }
      routed.add(b.name);
    }
    return client;
  }

  /** Who and until when, never a secret: an STS AccessKey ID is shortened, tokens never appear. @l10n-log */
  private logCredentials(profileName: string, e: CredentialsEvent): void {
    if (e.type === 'fetched') {
      const until = e.expiration ? `, valid until ${e.expiration.toISOString()}` : '';
      const why = e.afterRejection ? ' (OSS refused the previous ones)' : '';
      this.log.info(`${profileName}: temporary credentials ${e.accessKeyId.slice(0, 8)}… from ${kindLabel(e.kind)}${until}${why}.`);
    } else {
      const until = e.stillValidUntil ? `; the current ones work until ${e.stillValidUntil.toISOString()}` : '';
      this.log.warn(`${profileName}: renewing the ${kindLabel(e.kind)} credentials failed${until}: ${describeError(e.error).detail}`);
    }
  }

  // The listed value is a server's text: quoted and cut short, so it cannot forge log lines.
  private logRefusal(profileName: string, e: EndpointRefusal): void {
    const listed = JSON.stringify(e.listed.length > 100 ? `${e.listed.slice(0, 100)}…` : e.listed);
    this.log.warn(
      `${profileName}: bucket ${JSON.stringify(e.bucket)} is said to live at ${listed}, which is not followed (${e.reason}); its requests stay on ${e.kept}.`,
    );
  }

  // Operation, status, request id and timing only: the entry never holds secrets or signatures.
  private logRequest(profileName: string, e: RequestLogEntry): void {
    const target = e.bucket ? ` ${e.bucket}${e.key !== undefined ? `/${e.key}` : ''}` : '';
    const rid = e.requestId ? ` requestId=${e.requestId}` : '';
    const ms = Math.round(e.durationMs);
    if (e.error) this.requestLog.warn(`${profileName}: ${e.operation} ${e.method}${target} -> ${e.status || 'no response'} in ${ms} ms${rid} (${e.error})`);
    else this.requestLog.info(`${profileName}: ${e.operation} ${e.method}${target} -> ${e.status || 'no response'} in ${ms} ms${rid}`);
  }
}
