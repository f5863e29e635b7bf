// What a connection profile is. Only this metadata is stored in globalState; the AccessKey secret
// and STS token live in SecretStorage (user profiles) or the environment (the env profile).
import type { SignatureVersion } from '../../oss/types.js';

export const ENV_PROFILE_ID = 'env';

export interface ProfileMeta {
  id: string;
  name: string;
  /** `cn-hangzhou`; needed for V4 unless the endpoint names it. */
  region?: string;
  /** An origin such as `https://oss-cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:9000`. */
  endpoint?: string;
  /**
   * Set when `endpoint` is a custom domain bound (CNAME) to this one bucket: requests then go to
   * https://<domain>/<key>, and the profile reaches only this bucket (ListBuckets is impossible there).
   */
  customDomainBucket?: string;
  accessKeyId: string;
  /** Undefined: follow the `ossTransfer.signatureVersion` setting. */
  signatureVersion?: SignatureVersion;
}

export interface Profile extends ProfileMeta {
  /** 'env' profiles come from OSS_ACCESS_KEY_ID etc. and cannot be edited or removed here. */
  source: 'user' | 'env';
}

export interface ProfileSecret {
  accessKeySecret: string;
  securityToken?: string;
}

/** A bucket the user added by name (their key may not be allowed to ListBuckets). */
export interface AddedBucket {
  name: string;
  /** From GetBucketInfo when it was allowed; lets object requests go to the bucket's region. */
  region?: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
}
