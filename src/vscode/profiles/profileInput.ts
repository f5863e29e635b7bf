// Parsing and checking what people type into the profile form, and reading the environment
// profile. No vscode import: unit-tested directly.
import { isIpOrLocalhost, isOssServiceHost, normalizeRegion, parseEndpoint, regionFromHost } from '../../oss/endpoint.js';
import type { SignatureVersion } from '../../oss/types.js';
import { t } from '../presentation/translate.js';
import { ENV_PROFILE_ID, ENV_PROFILE_NAMES, type Profile, type ProfileSecret } from './profile.js';

export interface Location {
  region?: string;
  endpoint?: string;
}

/**
 * "cn-hangzhou", "oss-cn-hangzhou", "oss-cn-hangzhou.aliyuncs.com", "https://…", "http://127.0.0.1:9000".
 * A bare word (no dot, colon or slash) is a region; anything else is an endpoint, and an OSS
 * service endpoint also gives its region. Throws with a message fit for an input box.
 */
export function parseRegionOrEndpoint(input: string): Location {
  const raw = input.trim();
  if (raw === '') throw new Error(t('Enter a region such as cn-hangzhou, or an endpoint URL.'));
  if (!/[.:/]/.test(raw)) {
    try {
      return { region: normalizeRegion(raw) };
    } catch {
      throw new Error(t('"{0}" is not a region (like cn-hangzhou) or an endpoint (like https://oss-cn-hangzhou.aliyuncs.com).', raw));
    }
  }
  let origin: string;
  let hostname: string;
  try {
    const ep = parseEndpoint(raw);
    origin = ep.origin;
    hostname = ep.hostname;
  } catch (e) {
    throw new Error(t('Not a usable endpoint: {0}.', (e as Error).message));
  }
  const region = regionFromHost(hostname);
  return region ? { region, endpoint: origin } : { endpoint: origin };
}

export function checkRegion(input: string): string {
  const raw = input.trim();
  try {
    return normalizeRegion(raw);
  } catch {
    throw new Error(t('"{0}" is not a region; use the form cn-hangzhou.', raw));
  }
}

/** Trimmed; whitespace inside a key is always a paste mistake. */
export function checkAccessKeyId(input: string): string {
  const v = input.trim();
  if (v === '') throw new Error(t('Enter the AccessKey ID.'));
  if (/\s/.test(v)) throw new Error(t('The AccessKey ID must not contain spaces or line breaks.'));
  if (!/^[\x21-\x7e]+$/.test(v)) throw new Error(t('The AccessKey ID contains characters an AccessKey never has.'));
  return v;
}

/** The AccessKey secret or, with `what` = 'stsToken', the STS token. */
export function checkSecret(input: string, what: 'accessKeySecret' | 'stsToken' = 'accessKeySecret'): string {
  const v = input.trim();
  const token = what === 'stsToken';
  if (v === '') throw new Error(token ? t('Enter the STS token.') : t('Enter the AccessKey secret.'));
  if (/\s/.test(v)) throw new Error(token ? t('The STS token must not contain spaces or line breaks.') : t('The AccessKey secret must not contain spaces or line breaks.'));
  return v;
}

export function checkProfileName(input: string, otherNames: readonly string[]): string {
  const v = input.trim();
  if (v === '') throw new Error(t('Enter a name for the profile.'));
  if (v.length > 80) throw new Error(t('Keep the name under 80 characters.'));
  if (otherNames.some((n) => n.toLowerCase() === v.toLowerCase())) throw new Error(t('A profile named "{0}" already exists.', v));
  return v;
}

/** Bucket naming rule of OSS (3–63 of a-z, 0-9, '-', starting and ending with a letter or digit). */
export function checkBucketName(input: string): string {
  const v = input.trim();
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(v)) {
    throw new Error(t('A bucket name has 3–63 characters: lower-case letters, digits and hyphens, starting and ending with a letter or digit.'));
  }
  return v;
}

/**
 * Whether an endpoint can be a custom domain bound to a bucket: Alibaba Cloud's own hosts serve
 * every bucket, and an IP or localhost (a test server) cannot carry a CNAME.
 */
export function mayBeCustomDomain(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  let host: string;
  try {
    host = parseEndpoint(endpoint).hostname;
  } catch {
    return false;
  }
  return !isIpOrLocalhost(host) && !isOssServiceHost(host);
}

/** The "custom domain of bucket…" answer: '' means the endpoint is not a custom domain. */
export function checkCustomDomainBucket(input: string): string | undefined {
  if (input.trim() === '') return undefined;
  try {
    return checkBucketName(input);
  } catch (e) {
    throw new Error(t('{0} Leave it empty if this endpoint is a proxy or gateway serving every bucket.', (e as Error).message));
  }
}

/** A custom-domain bucket only makes sense with an endpoint that can be one; throws otherwise. */
export function checkCustomDomainProfile(endpoint: string | undefined, bucket: string | undefined): void {
  if (bucket === undefined) return;
  if (!mayBeCustomDomain(endpoint)) {
    throw new Error(
      endpoint
        ? t('{0} cannot be a custom domain (it is an Alibaba Cloud OSS endpoint or a local address); remove the bucket binding.', endpoint)
        : t('A custom domain needs its endpoint (the domain itself, such as https://files.example.com).'),
    );
  }
}

/** For validateInput callbacks: the error message, or undefined when the value is fine. */
export function problemOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export interface EnvProfile {
  profile: Profile;
  secret: ProfileSecret;
}

/**
 * The profile from OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET (+ OSS_SESSION_TOKEN, OSS_REGION,
 * OSS_ENDPOINT, OSS_SIGNATURE_VERSION). Undefined when either key variable is missing; a present but
 * unusable OSS_REGION / OSS_ENDPOINT is reported through `problem` rather than thrown, so the
 * profile still shows (with the problem on its node).
 */
export function readEnvProfile(env: Record<string, string | undefined>): (EnvProfile & { problem?: string }) | undefined {
  const id = env['OSS_ACCESS_KEY_ID']?.trim();
  const secret = env['OSS_ACCESS_KEY_SECRET']?.trim();
  if (!id || !secret) return undefined;
  const token = env['OSS_SESSION_TOKEN']?.trim() || env['OSS_SECURITY_TOKEN']?.trim();
  let problem: string | undefined;
  let location: Location = {};
  try {
    const endpoint = env['OSS_ENDPOINT']?.trim();
    if (endpoint) location = parseRegionOrEndpoint(endpoint);
    const region = env['OSS_REGION']?.trim();
    if (region) location = { ...location, region: checkRegion(region) };
  } catch (e) {
    problem = t('Environment profile: {0}', (e as Error).message);
  }
  const sv = env['OSS_SIGNATURE_VERSION']?.trim().toLowerCase();
  const signatureVersion: SignatureVersion | undefined = sv === 'v1' || sv === 'v4' ? sv : undefined;
  const profile: Profile = {
    id: ENV_PROFILE_ID,
    name: ENV_PROFILE_NAMES.keys,
    accessKeyId: id,
    source: 'env',
    ...location,
    ...(signatureVersion ? { signatureVersion } : {}),
  };
  const out: EnvProfile & { problem?: string } = { profile, secret: { accessKeySecret: secret, ...(token ? { securityToken: token } : {}) } };
  if (problem) out.problem = problem;
  return out;
}

/** `acs:ram::<account id>:role/<role name>`; throws with a message fit for an input box. */
export function checkRoleArn(input: string): string {
  const v = input.trim();
  if (!/^acs:ram::\d+:role\/\S+$/i.test(v)) throw new Error(t('A role ARN looks like {0} (copy it from the RAM console).', 'acs:ram::1234567890123456:role/role-name'));
  return v;
}

/** `acs:ram::<account id>:oidc-provider/<name>`. */
export function checkOidcProviderArn(input: string): string {
  const v = input.trim();
  if (!/^acs:ram::\d+:oidc-provider\/\S+$/i.test(v)) throw new Error(t('An OIDC provider ARN looks like {0}.', 'acs:ram::1234567890123456:oidc-provider/name'));
  return v;
}

/** An optional role session name: empty, or 2–64 of letters, digits and . @ - _. */
export function checkRoleSessionName(input: string): string | undefined {
  const v = input.trim();
  if (v === '') return undefined;
  if (!/^[\w.@-]{2,64}$/.test(v)) throw new Error(t('A session name has 2–64 letters, digits and . @ - _ (or leave it empty).'));
  return v;
}

/** An http(s) URL (a credentials URI, an STS endpoint); `optional` allows empty. */
export function checkHttpUrl(input: string, what: 'stsEndpoint' | 'credentialsUri', optional = false): string | undefined {
  const v = input.trim();
  if (v === '' && optional) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`);
  } catch {
    throw new Error(what === 'stsEndpoint' ? t('Enter the STS endpoint as a URL such as https://host/path.') : t('Enter the credentials URI as a URL such as https://host/path.'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(what === 'stsEndpoint' ? t('The STS endpoint must be an http:// or https:// URL.') : t('The credentials URI must be an http:// or https:// URL.'));
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`;
}
