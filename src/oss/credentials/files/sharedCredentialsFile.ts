// ~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE): the INI file the Alibaba Cloud
// SDKs share. Each section is a profile whose `type` says its kind:
//   access_key      access_key_id, access_key_secret
//   sts             access_key_id, access_key_secret, security_token
//   ram_role_arn    access_key_id, access_key_secret, role_arn [, role_session_name, policy, external_id, duration_seconds]
//   ecs_ram_role    [role_name]
//   oidc_role_arn   role_arn, oidc_provider_arn, oidc_token_file_path [, role_session_name, policy]
//   credentials_uri credentials_uri
// plus an optional region_id, and an optional OSS endpoint (`oss_endpoint` or `endpoint`, which the
// SDKs ignore: for an OSS-compatible server or an internal endpoint). Other types (rsa_key_pair,
// bearer) are reported as skipped.
import type { CredentialKind } from '../../types.js';
import { parseIni } from './iniText.js';
import { compact, missingFor, secondsOf, type ImportedProfile, type ParsedProfileFile } from './profileFile.js';

const KINDS: Record<string, CredentialKind> = {
  access_key: 'accessKey',
  sts: 'stsToken',
  ram_role_arn: 'ramRoleArn',
  ecs_ram_role: 'ecsRamRole',
  oidc_role_arn: 'oidcRoleArn',
  credentials_uri: 'credentialsUri',
};

export function parseSharedCredentialsFile(text: string, file: string): ParsedProfileFile {
  const out: ParsedProfileFile = { format: 'alibabacloud', file, profiles: [], skipped: [] };
  for (const section of parseIni(text, file)) {
    const v: Record<string, string> = {};
    for (const [k, val] of Object.entries(section.values)) v[k.trim().toLowerCase()] = val;
    const type = v.type?.trim().toLowerCase();
    const kind = type ? KINDS[type] : undefined;
    if (!kind) {
      out.skipped.push({ name: section.name, reason: type ? `type ${type} is not supported here` : 'it has no type' });
      continue;
    }
    const p = compact({
      format: 'alibabacloud',
      file,
      name: section.name,
      kind,
      region: v.region_id ?? v.region,
      endpoint: v.oss_endpoint ?? v.endpoint,
      accessKeyId: v.access_key_id,
      accessKeySecret: v.access_key_secret,
      securityToken: v.security_token,
      roleArn: v.role_arn,
      roleSessionName: v.role_session_name,
      durationSeconds: secondsOf(v.duration_seconds),
      policy: v.policy,
      externalId: v.external_id,
      stsRegion: v.sts_region,
      stsEndpoint: v.sts_endpoint,
      roleName: v.role_name,
      oidcProviderArn: v.oidc_provider_arn,
      oidcTokenFile: v.oidc_token_file_path ?? v.oidc_token_file,
      credentialsUri: v.credentials_uri,
    } satisfies ImportedProfile);
    const missing = missingFor(p);
    if (missing) out.skipped.push({ name: section.name, reason: `type ${type} needs ${missing}` });
    else out.profiles.push(p);
  }
  return out;
}
