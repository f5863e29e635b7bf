// Which endpoint, region and signature a request for a profile (and optionally a bucket) uses.
// Object requests go to the bucket's own region endpoint when the profile points at Alibaba Cloud;
// a custom endpoint (test server, proxy, on-premises gateway) is used for every bucket as is, and a
// custom domain bound to one bucket gets custom-domain addressing (Host = domain, path = /key).
import { isIpOrLocalhost, isOssServiceHost, parseEndpoint, regionEndpoint } from '../../oss/endpoint.js';
import type { OssClientOptions, SignatureVersion } from '../../oss/types.js';
import { kindOf, type Profile, type ProfileSecret } from './profile.js';
import { t } from '../presentation/translate.js';
import { mayBeCustomDomain } from './profileInput.js';
import { credentialsFor, type ProviderHooks } from './credentialsFor.js';

export interface BucketLocation {
  region?: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
}

export type ConnectionOptions = Pick<OssClientOptions, 'endpoint' | 'region' | 'signatureVersion' | 'cname'>;

export function connectionFor(profile: Profile, defaultSignature: SignatureVersion, bucket?: BucketLocation): ConnectionOptions {
  const signatureVersion = profile.signatureVersion ?? defaultSignature;
  let endpoint = profile.endpoint ?? (profile.region ? regionEndpoint(profile.region) : undefined);
  let region = profile.region;
  if (!endpoint) throw new Error(t('Profile "{0}" has neither a region nor an endpoint; edit the profile.', profile.name));
  const ep = parseEndpoint(endpoint);
  const cname = profile.customDomainBucket !== undefined;
  if (cname && !mayBeCustomDomain(profile.endpoint)) {
    throw new Error(
      t(
        'Profile "{0}" binds bucket {1} to a custom domain but its endpoint {2} is not one; edit the profile.',
        profile.name,
        profile.customDomainBucket ?? '',
        profile.endpoint ?? t('(none)'),
      ),
    );
  }
  if (bucket && !cname && isOssServiceHost(ep.hostname)) {
    // Keep the profile's choice of internal vs public network.
    const internal = ep.hostname.includes('-internal.');
    const host = internal ? bucket.intranetEndpoint : bucket.extranetEndpoint;
    if (host) endpoint = `${ep.protocol}//${stripScheme(host)}`;
    else if (bucket.region && !ep.hostname.startsWith('oss-accelerate')) {
      endpoint = `${ep.protocol}//oss-${bucket.region}${internal ? '-internal' : ''}.aliyuncs.com`;
    }
    if (bucket.region) region = bucket.region;
  }
  // IP/localhost endpoints (test servers) get the client's default region; others must name one.
  if (signatureVersion === 'v4' && !region && !isIpOrLocalhost(parseEndpoint(endpoint).hostname)) {
    throw new Error(t('Signature V4 needs a region: edit profile "{0}" and add one (for example cn-hangzhou), or choose Signature V1.', profile.name));
  }
  const out: ConnectionOptions = { endpoint, signatureVersion };
  if (region) out.region = region;
  if (cname) out.cname = true;
  return out;
}

export function clientOptionsFor(
  profile: Profile,
  secret: ProfileSecret,
  defaultSignature: SignatureVersion,
  bucket?: BucketLocation,
  hooks: ProviderHooks = {},
): OssClientOptions {
  const conn = connectionFor(profile, defaultSignature, bucket);
  const kind = kindOf(profile, secret);
  // An AccessKey (with or without a token) goes to the client as is; the other kinds as a provider.
  if ((kind === 'accessKey' || kind === 'stsToken') && profile.accessKeyId && secret.accessKeySecret) {
    return {
      ...conn,
      accessKeyId: profile.accessKeyId,
      accessKeySecret: secret.accessKeySecret,
      ...(secret.securityToken ? { securityToken: secret.securityToken } : {}),
    };
  }
  return { ...conn, credentialsProvider: credentialsFor(profile, secret, hooks) };
}

function stripScheme(host: string): string {
  return host.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}
