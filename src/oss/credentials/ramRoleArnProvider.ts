// RAM role ARN: temporary credentials of a RAM role, from STS AssumeRole signed with a base
// AccessKey (or base STS credentials), renewed before they expire (see refreshingProvider.ts).
import type { CredentialsProvider, ResolvedCredentials } from './credentialsProvider.js';
import type { NetworkOptions } from '../types.js';
import { CredentialsHttp, type CredentialsHttpTimeouts } from './credentialsHttp.js';
import { RefreshingCredentialsProvider, type RefreshingOptions } from './refreshingProvider.js';
import { callSts, stsEndpointUrl } from './stsCall.js';

/** STS grants 900 s at least; 3600 s is its default and the SDKs'. */
export const MIN_ROLE_SECONDS = 900;
export const MAX_ROLE_SECONDS = 43_200;
export const DEFAULT_ROLE_SECONDS = 3600;

export interface RoleSessionOptions {
  /** `acs:ram::<account id>:role/<role name>` */
  roleArn: string;
  /** Shown in the role's audit trail; default `oss-transfer-<time>`. */
  roleSessionName?: string;
  /** 900..43200 (up to the role's own maximum); default 3600. STS may grant less. */
  durationSeconds?: number;
  /** A session policy narrowing the role's permissions (JSON). */
  policy?: string;
  /** `https://sts.aliyuncs.com` by default, or `sts.<stsRegion>.aliyuncs.com`. */
  stsEndpoint?: string;
  stsRegion?: string;
  timeouts?: CredentialsHttpTimeouts;
  /** Proxy and CAs for the STS requests (as the client's `network`). */
  network?: NetworkOptions;
}

export interface RamRoleArnOptions extends RoleSessionOptions, RefreshingOptions {
  /** The base credentials AssumeRole is signed with. */
  base: CredentialsProvider;
  /** Required by roles whose trust policy asks for one. */
  externalId?: string;
}

const ROLE_ARN = /^acs:ram::\d+:role\/.+$/i;
const SESSION_NAME = /^[\w.@-]{2,64}$/;

/** Checks what every role session needs; throws TypeError with a message fit for a person. */
export function checkRoleSession(o: RoleSessionOptions): { durationSeconds: number; roleSessionName: string } {
  if (typeof o.roleArn !== 'string' || !ROLE_ARN.test(o.roleArn.trim())) {
    throw new TypeError(`the role ARN must look like acs:ram::<account id>:role/<role name>, got ${JSON.stringify(o.roleArn ?? '')}`);
  }
  const durationSeconds = o.durationSeconds ?? DEFAULT_ROLE_SECONDS;
  if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_ROLE_SECONDS || durationSeconds > MAX_ROLE_SECONDS) {
    throw new TypeError(`the session duration must be ${MIN_ROLE_SECONDS}..${MAX_ROLE_SECONDS} seconds, got ${durationSeconds}`);
  }
  const roleSessionName = o.roleSessionName?.trim() || `oss-transfer-${Date.now()}`;
  if (!SESSION_NAME.test(roleSessionName)) {
    throw new TypeError(`the role session name must be 2..64 of letters, digits and . @ - _, got ${JSON.stringify(roleSessionName)}`);
  }
  return { durationSeconds, roleSessionName };
}

export class RamRoleArnProvider extends RefreshingCredentialsProvider {
  readonly #base: CredentialsProvider;
  private readonly http: CredentialsHttp;
  private readonly endpoint: URL;
  private readonly params: Record<string, string | undefined>;

  constructor(o: RamRoleArnOptions) {
    super('ramRoleArn', 'AssumeRole', o);
    const { durationSeconds, roleSessionName } = checkRoleSession(o);
    this.#base = o.base;
    this.endpoint = stsEndpointUrl(o.stsEndpoint, o.stsRegion);
    this.http = new CredentialsHttp(o.timeouts, o.network);
    this.params = {
      RoleArn: o.roleArn.trim(),
      RoleSessionName: roleSessionName,
      DurationSeconds: String(durationSeconds),
      Policy: o.policy,
      ExternalId: o.externalId,
    };
  }

  protected async fetchCredentials(): Promise<ResolvedCredentials> {
    const base = await this.#base.getCredentials();
    return callSts({ http: this.http, endpoint: this.endpoint, action: 'AssumeRole', kind: this.kind, params: this.params, signWith: base, now: new Date(this.now()) });
  }

  override async close(): Promise<void> {
    await Promise.allSettled([this.http.close(), this.#base.close()]);
  }
}
