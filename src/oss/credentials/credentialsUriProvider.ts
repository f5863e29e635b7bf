// Credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI, the CLI's CredentialsURI mode): a local or remote
// service that answers GET with {AccessKeyId, AccessKeySecret, SecurityToken, Expiration}
// (optionally Code: Success); asked again before they expire.
import type { ResolvedCredentials } from './credentialsProvider.js';
import type { NetworkOptions } from '../types.js';
import { CredentialsHttp, type CredentialsHttpTimeouts } from './credentialsHttp.js';
import { RefreshingCredentialsProvider, type RefreshingOptions } from './refreshingProvider.js';
import { credentialsFromAnswer, failedAnswer } from './sessionCredentials.js';

export interface CredentialsUriOptions extends RefreshingOptions {
  uri: string;
  timeouts?: CredentialsHttpTimeouts;
  /** Proxy and CAs (as the client's `network`); a loopback URI always goes direct. */
  network?: NetworkOptions;
}

export class CredentialsUriProvider extends RefreshingCredentialsProvider {
  private readonly http: CredentialsHttp;
  // The URI may carry its own access token in the query: kept private, never in a message.
  readonly #uri: URL;

  constructor(o: CredentialsUriOptions) {
    super('credentialsUri', 'CredentialsUri', o);
    let url: URL;
    try {
      url = new URL(o.uri.trim());
    } catch {
      throw new TypeError('the credentials URI is not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`the credentials URI must be http(s), got ${url.protocol}`);
    this.#uri = url;
    this.http = new CredentialsHttp(o.timeouts, o.network);
  }

  protected async fetchCredentials(): Promise<ResolvedCredentials> {
    const res = await this.http.send({ url: this.#uri, method: 'GET', operation: this.operation });
    const ctx = { operation: this.operation, kind: this.kind, who: `the credentials URI at ${this.#uri.host}` };
    if (res.status !== 200) throw failedAnswer(ctx, res);
    return credentialsFromAnswer(ctx, res, false);
  }

  override async close(): Promise<void> {
    await this.http.close();
  }
}
