// What a connection profile is. Only this metadata is stored in globalState; the AccessKey secret,
// STS token and credentials URI live in SecretStorage (user profiles) or the environment (the
// environment profiles).
import type { CredentialKind, SignatureVersion } from '../../oss/types.js';
import type { ProfileFileFormat } from '../../oss/credentials/files/profileFile.js';
import { msg, translateKey, type MessageKey } from '../presentation/translate.js';

export const ENV_PROFILE_ID = 'env';
/** ACK RRSA: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE. */
export const ENV_OIDC_PROFILE_ID = 'env-oidc';
/** ALIBABA_CLOUD_CREDENTIALS_URI. */
export const ENV_URI_PROFILE_ID = 'env-uri';

/** The RAM role a ramRoleArn or oidcRoleArn profile assumes, and how. */
export interface RoleSettings {
  roleArn: string;
  roleSessionName?: string;
  durationSeconds?: number;
  externalId?: string;
  policy?: string;
  /** STS endpoint (host or URL); default sts.aliyuncs.com, or sts.<stsRegion>.aliyuncs.com. */
  stsEndpoint?: string;
  stsRegion?: string;
}

/** Where an imported profile came from; it is re-read from there when the file changes. */
export interface ImportOrigin {
  format: ProfileFileFormat;
  file: string;
  /** The profile's name in that file. */
  name: string;
}

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
  /**
   * How credentials are obtained. Undefined (profiles from before kinds existed) and 'accessKey'
   * both mean an AccessKey, with an STS token when the secret holds one.
   */
  kind?: CredentialKind;
  /** The AccessKey ID (accessKey, stsToken) or the base AccessKey ID a RAM role is assumed with (ramRoleArn). */
  accessKeyId?: string;
  role?: RoleSettings;
  /** ecsRamRole: the role attached to the instance; asked of the metadata service when absent. */
  ecsRoleName?: string;
  /** oidcRoleArn: the OIDC provider and the file holding the token (role in `role`). */
  oidcProviderArn?: string;
  oidcTokenFile?: string;
  /** Undefined: follow the `ossTransfer.signatureVersion` setting. */
  signatureVersion?: SignatureVersion;
  imported?: ImportOrigin;
}

export interface Profile extends ProfileMeta {
  /** 'env' profiles come from environment variables and cannot be edited or removed here. */
  source: 'user' | 'env';
}

/** What goes to SecretStorage (or comes from the environment): never settings, globalState or logs. */
export interface ProfileSecret {
  accessKeySecret?: string;
  securityToken?: string;
  /** credentialsUri profiles: the URI may carry its own access token. */
  credentialsUri?: string;
}

/** A bucket the user added by name (their key may not be allowed to ListBuckets). */
export interface AddedBucket {
  name: string;
  /** From GetBucketInfo when it was allowed; lets object requests go to the bucket's region. */
  region?: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
}

/** The kind a profile signs with: an AccessKey profile with a token is an STS token one. */
export function kindOf(p: ProfileMeta, secret?: ProfileSecret): CredentialKind {
  const k = p.kind ?? 'accessKey';
  return k === 'accessKey' && secret?.securityToken ? 'stsToken' : k;
}

/** Kinds that sign with a stored AccessKey secret. */
export function needsAccessKey(kind: CredentialKind): boolean {
  return kind === 'accessKey' || kind === 'stsToken' || kind === 'ramRoleArn';
}

const KIND_LABELS: Record<CredentialKind, MessageKey> = {
  accessKey: msg('AccessKey'),
  stsToken: msg('STS token'),
  ramRoleArn: msg('RAM role ARN'),
  ecsRamRole: msg('ECS RAM role'),
  oidcRoleArn: msg('OIDC role'),
  credentialsUri: msg('Credentials URI'),
};

/** "RAM role ARN", "ECS RAM role"… in the UI's language. */
export function kindLabel(kind: CredentialKind): string {
  return translateKey(KIND_LABELS[kind]);
}

/**
 * The names of the environment's profiles.
 * @l10n-keep a profile's name is its identity (the image upload target names its profile), so it reads the same in every language.
 */
export const ENV_PROFILE_NAMES = {
  keys: 'Environment (OSS_ACCESS_KEY_ID)',
  oidc: 'Environment (OIDC role, RRSA)',
  uri: 'Environment (ALIBABA_CLOUD_CREDENTIALS_URI)',
} as const;
