// ECS RAM role: the temporary credentials of the RAM role attached to this ECS instance, from the
// instance metadata service (100.100.100.200), renewed before they expire. It first asks for a
// metadata token (IMDSv2: PUT /latest/api/token, kept for its lifetime and sent as
// X-aliyun-ecs-metadata-token); when that is refused it falls back to plain GETs (IMDSv1) unless
// told not to. Off ECS nothing answers: the short connect timeout turns that into a clear error.
// The metadata service is link-local: it is always reached directly, never through a proxy.
import { OssError } from '../ossError.js';
import type { ResolvedCredentials } from './credentialsProvider.js';
import { CredentialsHttp, type CredentialsHttpTimeouts } from './credentialsHttp.js';
import { RefreshingCredentialsProvider, type RefreshingOptions } from './refreshingProvider.js';
import { credentialsFromAnswer, failedAnswer } from './sessionCredentials.js';

export const ECS_METADATA_ENDPOINT = 'http://100.100.100.200';
const CREDENTIALS_PATH = '/latest/meta-data/ram/security-credentials/';
const TOKEN_PATH = '/latest/api/token';
/** How long a metadata token is asked to live (6 hours, the SDKs' choice). */
export const METADATA_TOKEN_SECONDS = 21_600;
/** The metadata service answers in milliseconds on ECS; off ECS nothing answers at all. */
export const METADATA_TIMEOUTS: CredentialsHttpTimeouts = { connectMs: 1_000, responseMs: 5_000 };

export interface EcsRamRoleOptions extends RefreshingOptions {
  /** The role attached to the instance; asked of the metadata service when not given. */
  roleName?: string;
  /** Only IMDSv2 (a metadata token is required). */
  disableImdsV1?: boolean;
  /** Tests point this at a fake metadata service. */
  metadataEndpoint?: string;
  timeouts?: CredentialsHttpTimeouts;
}

export class EcsRamRoleProvider extends RefreshingCredentialsProvider {
  private readonly http: CredentialsHttp;
  private readonly base: URL;
  private readonly roleName: string | undefined;
  private readonly disableImdsV1: boolean;
  #token: { value: string; until: number } | undefined;

  constructor(o: EcsRamRoleOptions = {}) {
    super('ecsRamRole', 'EcsRamRole', o);
    this.base = new URL(o.metadataEndpoint ?? ECS_METADATA_ENDPOINT);
    this.roleName = o.roleName?.trim() || undefined;
    this.disableImdsV1 = o.disableImdsV1 ?? false;
    this.http = new CredentialsHttp(o.timeouts ?? METADATA_TIMEOUTS);
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  private who(): string {
    return `the ECS metadata service at ${this.base.host}`;
  }

  /** The IMDSv2 token, or undefined to go on with IMDSv1. */
  private async metadataToken(): Promise<string | undefined> {
    const t = this.now();
    if (this.#token && t < this.#token.until) return this.#token.value;
    try {
      const res = await this.http.send({
        url: this.url(TOKEN_PATH),
        method: 'PUT',
        headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': String(METADATA_TOKEN_SECONDS) },
        operation: this.operation,
      });
      if (res.status !== 200 || res.text.trim() === '') throw failedAnswer({ operation: this.operation, kind: this.kind, who: this.who() }, res);
      // Renewed a minute early so a request never carries a token that just ran out.
      this.#token = { value: res.text.trim(), until: t + (METADATA_TOKEN_SECONDS - 60) * 1000 };
      return this.#token.value;
    } catch (e) {
      // A network failure says the service is not there: IMDSv1 would fail the same way.
      if (this.disableImdsV1 || (e instanceof OssError && e.status === 0)) throw e;
      return undefined;
    }
  }

  private async get(path: string): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    const token = await this.metadataToken();
    return this.http.send({
      url: this.url(path),
      method: 'GET',
      ...(token ? { headers: { 'x-aliyun-ecs-metadata-token': token } } : {}),
      operation: this.operation,
    });
  }

  private async attachedRole(): Promise<string> {
    const ctx = { operation: this.operation, kind: this.kind, who: this.who() };
    const res = await this.get(CREDENTIALS_PATH);
    if (res.status !== 200) throw failedAnswer(ctx, res);
    const role = res.text.trim().split(/\s+/)[0];
    if (!role) {
      throw new OssError({ operation: this.operation, code: 'NoRamRoleAttached', message: 'this ECS instance has no RAM role attached', status: res.status, retryable: false, details: { credentialKind: this.kind } });
    }
    return role;
  }

  protected async fetchCredentials(): Promise<ResolvedCredentials> {
    const role = this.roleName ?? (await this.attachedRole());
    const ctx = { operation: this.operation, kind: this.kind, who: this.who() };
    const res = await this.get(CREDENTIALS_PATH + encodeURIComponent(role));
    if (res.status === 404) {
      throw new OssError({ operation: this.operation, code: 'NoSuchRamRole', message: `no RAM role named ${role} is attached to this ECS instance`, status: 404, retryable: false, details: { credentialKind: this.kind } });
    }
    if (res.status !== 200) throw failedAnswer(ctx, res);
    return credentialsFromAnswer(ctx, res, false);
  }

  override async close(): Promise<void> {
    await this.http.close();
  }
}
