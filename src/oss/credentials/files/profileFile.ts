// What the three credentials files other Alibaba Cloud tools write have in common once read: named
// profiles, each one credential kind with its settings. The secrets they hold (AccessKey secret,
// STS token, a credentials URI) are carried here only on their way to the keychain: never log or
// serialise an ImportedProfile.
import type { CredentialKind } from '../../types.js';

/** `alibabacloud`: ~/.alibabacloud/credentials (the SDKs' INI); `aliyun-cli`: ~/.aliyun/config.json; `ossutil`: ~/.ossutilconfig. */
export type ProfileFileFormat = 'alibabacloud' | 'aliyun-cli' | 'ossutil';

export interface ImportedProfile {
  format: ProfileFileFormat;
  file: string;
  /** The profile's name in its file ('default', …). */
  name: string;
  kind: CredentialKind;
  region?: string;
  /** ossutil's endpoint (host or URL), as written. */
  endpoint?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  roleArn?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  policy?: string;
  externalId?: string;
  stsRegion?: string;
  stsEndpoint?: string;
  /** ECS RAM role: the role attached to the instance (asked of the metadata service when absent). */
  roleName?: string;
  oidcProviderArn?: string;
  oidcTokenFile?: string;
  credentialsUri?: string;
}

export interface SkippedProfile {
  name: string;
  reason: string;
}

export interface ParsedProfileFile {
  format: ProfileFileFormat;
  file: string;
  profiles: ImportedProfile[];
  /** Profiles of kinds this extension cannot use, or missing what their kind needs: said, not dropped silently. */
  skipped: SkippedProfile[];
  /** The profile the tool itself uses by default, when the file says. */
  current?: string;
}

/** A file that cannot be read as its format at all. Nothing is imported from it; nothing is changed. */
export class ProfileFileError extends Error {
  override readonly name = 'ProfileFileError';
  readonly code = 'ProfileFileMalformed';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? `, line ${line}` : ''}: ${reason}`);
  }
}

/** Which fields a kind cannot do without; undefined when the profile has them. */
export function missingFor(p: ImportedProfile): string | undefined {
  const need: Partial<Record<CredentialKind, (keyof ImportedProfile)[]>> = {
    accessKey: ['accessKeyId', 'accessKeySecret'],
    stsToken: ['accessKeyId', 'accessKeySecret', 'securityToken'],
    ramRoleArn: ['accessKeyId', 'accessKeySecret', 'roleArn'],
    oidcRoleArn: ['roleArn', 'oidcProviderArn', 'oidcTokenFile'],
    credentialsUri: ['credentialsUri'],
  };
  const missing = (need[p.kind] ?? []).filter((f) => !p[f]);
  return missing.length ? missing.join(', ') : undefined;
}

/** A positive whole number of seconds from a file's text, or undefined. */
export function secondsOf(v: string | number | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v.trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Drops undefined and empty-string fields, so a profile holds only what its file said. */
export function compact(p: ImportedProfile): ImportedProfile {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') out[k] = v;
  return out as unknown as ImportedProfile;
}
