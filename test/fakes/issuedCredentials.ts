// Temporary credentials as STS and the ECS metadata service hand them out, for the fakes: an
// `STS.`-prefixed AccessKey ID, a secret, a security token and an expiration a test chooses (a few
// seconds, to watch renewal happen), registered with the test OSS server so it accepts them.
import { randomBytes } from 'node:crypto';
import type { OssServer } from '../server/index.js';

export interface IssuedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: Date;
}

export function issueCredentials(lifetimeMs: number, now: number = Date.now()): IssuedCredentials {
  return {
    accessKeyId: `STS.${randomBytes(9).toString('hex')}`,
    accessKeySecret: randomBytes(18).toString('base64url'),
    securityToken: `CAIS${randomBytes(48).toString('base64url')}`,
    expiration: new Date(now + lifetimeMs),
  };
}

/** The four fields in the shape STS (under Credentials) and the metadata service answer with. */
export function credentialsDocument(c: IssuedCredentials): Record<string, string> {
  return {
    AccessKeyId: c.accessKeyId,
    AccessKeySecret: c.accessKeySecret,
    SecurityToken: c.securityToken,
    // Whole seconds, as the services write it: an expiration in the past of the instant given.
    Expiration: c.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** The hook the fakes call on every issue: the OSS server accepts the key until it expires. */
export function acceptOn(server: OssServer): (c: IssuedCredentials) => void {
  return (c) => server.addCredential({ accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken, expiresAt: c.expiration });
}
