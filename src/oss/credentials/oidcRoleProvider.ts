// OIDC role (ACK's RRSA, or any OIDC workload identity): STS AssumeRoleWithOIDC with the token a
// file holds (the cluster rotates it, so it is read again for every fetch), unsigned; renewed
// before expiry like every temporary credential. The environment ACK sets is read by the caller.
import { readFile } from 'node:fs/promises';
import { OssError } from '../ossError.js';
import type { ResolvedCredentials } from './credentialsProvider.js';
import { CredentialsHttp } from './credentialsHttp.js';
import { checkRoleSession, type RoleSessionOptions } from './ramRoleArnProvider.js';
import { RefreshingCredentialsProvider, type RefreshingOptions } from './refreshingProvider.js';
import { callSts, stsEndpointUrl } from './stsCall.js';

export interface OidcRoleOptions extends RoleSessionOptions, RefreshingOptions {
  /** `acs:ram::<account id>:oidc-provider/<name>` */
  oidcProviderArn: string;
  /** The file holding the OIDC token (ALIBABA_CLOUD_OIDC_TOKEN_FILE). */
  oidcTokenFile: string;
}

/** Tokens are JWTs of a few KB; a file much larger is not one. */
const MAX_TOKEN_BYTES = 64 * 1024;

export class OidcRoleProvider extends RefreshingCredentialsProvider {
  private readonly http: CredentialsHttp;
  private readonly endpoint: URL;
  private readonly params: Record<string, string | undefined>;
  private readonly tokenFile: string;

  constructor(o: OidcRoleOptions) {
    super('oidcRoleArn', 'AssumeRoleWithOIDC', o);
    const { durationSeconds, roleSessionName } = checkRoleSession(o);
    if (!/^acs:ram::\d+:oidc-provider\/.+$/i.test(o.oidcProviderArn?.trim() ?? '')) {
      throw new TypeError(`the OIDC provider ARN must look like acs:ram::<account id>:oidc-provider/<name>, got ${JSON.stringify(o.oidcProviderArn ?? '')}`);
    }
    if (!o.oidcTokenFile?.trim()) throw new TypeError('the OIDC token file is required');
    this.tokenFile = o.oidcTokenFile.trim();
    this.endpoint = stsEndpointUrl(o.stsEndpoint, o.stsRegion);
    this.http = new CredentialsHttp(o.timeouts, o.network);
    this.params = {
      RoleArn: o.roleArn.trim(),
      OIDCProviderArn: o.oidcProviderArn.trim(),
      RoleSessionName: roleSessionName,
      DurationSeconds: String(durationSeconds),
      Policy: o.policy,
    };
  }

  private async token(): Promise<string> {
    let text: string;
    try {
      const buf = await readFile(this.tokenFile);
      if (buf.length > MAX_TOKEN_BYTES) throw new Error(`it holds ${buf.length} bytes, more than an OIDC token`);
      text = buf.toString('utf8').trim();
    } catch (e) {
      throw new OssError({
        operation: 'AssumeRoleWithOIDC',
        code: 'OIDCTokenUnreadable',
        message: `the OIDC token file ${this.tokenFile} cannot be read: ${(e as Error).message}`,
        status: 0,
        retryable: false,
        details: { credentialKind: this.kind },
        cause: e,
      });
    }
    if (text === '') {
      throw new OssError({ operation: 'AssumeRoleWithOIDC', code: 'OIDCTokenUnreadable', message: `the OIDC token file ${this.tokenFile} is empty`, status: 0, retryable: false, details: { credentialKind: this.kind } });
    }
    return text;
  }

  protected async fetchCredentials(): Promise<ResolvedCredentials> {
    const OIDCToken = await this.token();
    return callSts({ http: this.http, endpoint: this.endpoint, action: 'AssumeRoleWithOIDC', kind: this.kind, params: { ...this.params, OIDCToken }, now: new Date(this.now()) });
  }

  override async close(): Promise<void> {
    await this.http.close();
  }
}
