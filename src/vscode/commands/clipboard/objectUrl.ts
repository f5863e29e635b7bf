// The plain (unsigned) address of an object, for "Copy URL". No vscode import: unit-tested directly.
import { defaultStyle, parseEndpoint, requestTarget } from '../../../oss/endpoint.js';

/**
 * `bucketEndpoint` is where the client sends this bucket's requests. Through a custom domain bound
 * to the bucket the URL is `<domain>/<key>`; otherwise the bucket's own endpoint, virtual-hosted
 * (`https://bucket.oss-….aliyuncs.com/key`) or path style for IP/localhost servers.
 */
export function objectUrl(bucketEndpoint: string, bucket: string, key: string, customDomainBucket?: string): string {
  const ep = parseEndpoint(bucketEndpoint);
  if (customDomainBucket !== undefined && customDomainBucket !== bucket) {
    throw new Error(`The custom domain ${ep.origin} serves bucket ${customDomainBucket}, not ${bucket}.`);
  }
  const style = customDomainBucket !== undefined ? 'cname' : defaultStyle(ep, {});
  const t = requestTarget(ep, style, bucket, key);
  return t.origin + t.path;
}
