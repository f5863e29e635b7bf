// The plain (unsigned) address of an object, for "Copy URL". No vscode import: unit-tested directly.
import { defaultStyle, parseEndpoint, requestTarget } from '../../../oss/endpoint.js';
import { t } from '../../presentation/translate.js';

/**
 * `bucketEndpoint` is where the client sends this bucket's requests. Through a custom domain bound
 * to the bucket the URL is `<domain>/<key>`; otherwise the bucket's own endpoint, virtual-hosted
 * (`https://bucket.oss-….aliyuncs.com/key`) or path style for IP/localhost servers.
 */
export function objectUrl(bucketEndpoint: string, bucket: string, key: string, customDomainBucket?: string): string {
  const ep = parseEndpoint(bucketEndpoint);
  if (customDomainBucket !== undefined && customDomainBucket !== bucket) {
    throw new Error(t('The custom domain {0} serves bucket {1}, not {2}.', ep.origin, customDomainBucket, bucket));
  }
  const style = customDomainBucket !== undefined ? 'cname' : defaultStyle(ep, {});
  const target = requestTarget(ep, style, bucket, key);
  return target.origin + target.path;
}
