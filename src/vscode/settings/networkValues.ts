// VS Code's proxy and certificate settings (http.*: VS Code owns and documents them) and ours
// (ossTransfer.caFile), turned into the NetworkOptions every OSS client is built with. No vscode
// import: the caller hands in `get(key)` for the `http` section (networkSettings.ts does).
// The value of http.proxyAuthorization, and any user:password in a proxy URL, is never put in a
// message or the log.
import { CaFileError, loadTrustedCertificates, parseProxyUrl, type NetworkOptions } from '../../oss/index.js';
import { t } from '../presentation/translate.js';

export interface HttpSettings {
  /** '' = none (the environment's, if any). */
  proxy: string;
  noProxy: string[];
  proxyStrictSSL: boolean;
  /** '' = none. */
  proxyAuthorization: string;
  systemCertificates: boolean;
}

/** A network setting that stops clients from being built: the message names it, nextStep says what to do. */
export class NetworkSettingError extends Error {
  override readonly name = 'NetworkSettingError';
  constructor(
    message: string,
    readonly nextStep: string,
  ) {
    super(message);
  }
}

/**
 * VS Code's http.* values, each of the wrong type replaced by its default (and said in the log, without the value).
 * @l10n-log the problems go to the "OSS" log only, which stays English.
 */
export function httpSettingsFrom(get: (key: string) => unknown): { values: HttpSettings; problems: string[] } {
  const problems: string[] = [];
  const text = (key: string): string => {
    const v = get(key);
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v.trim();
    problems.push(`Setting http.${key} is not a string: ignored.`);
    return '';
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    problems.push(`Setting http.${key} is not true or false: using ${fallback}.`);
    return fallback;
  };
  const list = (key: string): string[] => {
    const v = get(key);
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) {
      if (v.some((e) => typeof e !== 'string')) problems.push(`Setting http.${key} holds entries that are not strings: they are ignored.`);
      return v.filter((e): e is string => typeof e === 'string');
    }
    problems.push(`Setting http.${key} is not a list of host names: ignored.`);
    return [];
  };
  return {
    values: {
      proxy: text('proxy'),
      noProxy: list('noProxy'),
      proxyStrictSSL: flag('proxyStrictSSL', true),
      proxyAuthorization: text('proxyAuthorization'),
      systemCertificates: flag('systemCertificates', true),
    },
    problems,
  };
}

export interface NetworkPlan {
  options: NetworkOptions;
  /** One line for the log: where the proxy comes from and which CAs are added. */
  summary: string;
  warnings: string[];
}

/** The options clients get; throws NetworkSettingError when http.proxy or the CA file cannot be used. */
export async function networkPlanFor(http: HttpSettings, caFile: string, env: Readonly<Record<string, string | undefined>>): Promise<NetworkPlan> {
  let proxyShown: string | undefined;
  if (http.proxy) {
    try {
      proxyShown = parseProxyUrl(http.proxy, t('Setting http.proxy')).shown;
    } catch (e) {
      throw new NetworkSettingError(
        (e as Error).message,
        t('Correct http.proxy (http://host:port, with user:password@ if the proxy wants them), or clear it to use the environment.'),
      );
    }
  }
  let trusted;
  try {
    trusted = await loadTrustedCertificates({ systemCertificates: http.systemCertificates, env, caFile });
  } catch (e) {
    if (!(e instanceof CaFileError)) throw e;
    throw new NetworkSettingError(
      t('Setting ossTransfer.caFile: {0}', e.message),
      t('Point ossTransfer.caFile at a PEM file of CA certificates (-----BEGIN CERTIFICATE-----), or clear the setting.'),
    );
  }
  const options: NetworkOptions = { env, noProxy: http.noProxy, proxyStrictSsl: http.proxyStrictSSL, ca: trusted.certificates };
  if (http.proxy) options.proxy = http.proxy;
  if (http.proxyAuthorization) options.proxyAuthorization = http.proxyAuthorization;
  return { options, summary: summarize(http, proxyShown, env, trusted.sources), warnings: trusted.warnings };
}

/** @l10n-log one line for the "OSS" log, which stays English. */
function summarize(http: HttpSettings, proxyShown: string | undefined, env: Readonly<Record<string, string | undefined>>, caSources: string[]): string {
  const fromEnv = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'].filter((n) => env[n]?.trim());
  const proxy = proxyShown ? `proxy ${proxyShown} (http.proxy)` : fromEnv.length > 0 ? `proxy from the environment (${fromEnv.join(', ')})` : 'no proxy';
  const parts = [proxy];
  if (http.noProxy.length > 0) parts.push(`http.noProxy: ${http.noProxy.join(', ')}`);
  if (http.proxyAuthorization) parts.push('http.proxyAuthorization set');
  if (!http.proxyStrictSSL) parts.push('http.proxyStrictSSL off: certificates through the proxy are not checked');
  parts.push(caSources.length > 0 ? `CAs besides Node's: ${caSources.join('; ')}` : "Node's CAs only");
  return `Network: ${parts.join('; ')}.`;
}
