// ~/.ossutilconfig, ossutil's INI file, in either generation:
//  - ossutil 1: one [Credentials] section with endpoint, accessKeyID, accessKeySecret, stsToken
//    (other sections hold per-bucket endpoints and are not profiles);
//  - ossutil 2: [default] (or [profile default]) and [profile NAME] sections with region,
//    endpoint, mode and the credentials; [buckets …] sections are per-bucket settings.
// Keys are case-insensitive and may be written accessKeyId, access-key-id or access_key_id.
import type { CredentialKind } from '../../types.js';
import { parseIni } from './iniText.js';
import { compact, missingFor, secondsOf, type ImportedProfile, type ParsedProfileFile } from './profileFile.js';

const MODES: Record<string, CredentialKind> = {
  ak: 'accessKey',
  ststoken: 'stsToken',
  ramrolearn: 'ramRoleArn',
  ecsramrole: 'ecsRamRole',
  oidcrolearn: 'oidcRoleArn',
  oidc: 'oidcRoleArn',
  credentialsuri: 'credentialsUri',
};

function normalise(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k.toLowerCase().replace(/[-_]/g, '')] = v;
  return out;
}

/** The profile name a section header stands for, or undefined for sections that are not profiles. */
function profileName(section: string): string | undefined {
  const s = section.trim();
  if (s.toLowerCase() === 'credentials' || s.toLowerCase() === 'default') return 'default';
  const m = /^profile\s+(.+)$/i.exec(s);
  return m ? m[1]!.trim() : undefined;
}

export function parseOssutilConfig(text: string, file: string): ParsedProfileFile {
  const out: ParsedProfileFile = { format: 'ossutil', file, profiles: [], skipped: [] };
  const seen = new Set<string>();
  for (const section of parseIni(text, file)) {
    const name = profileName(section.name);
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    const v = normalise(section.values);
    const token = v.ststoken ?? v.securitytoken;
    const modeText = v.mode?.toLowerCase().replace(/[-_]/g, '');
    const kind: CredentialKind | undefined = modeText ? MODES[modeText] : token ? 'stsToken' : 'accessKey';
    if (!kind) {
      out.skipped.push({ name, reason: `mode ${v.mode} is not supported here` });
      continue;
    }
    const p = compact({
      format: 'ossutil',
      file,
      name,
      kind,
      region: v.region,
      endpoint: v.endpoint,
      accessKeyId: v.accesskeyid,
      accessKeySecret: v.accesskeysecret,
      securityToken: kind === 'stsToken' ? token : undefined,
      roleArn: v.rolearn ?? v.ramrolearn,
      roleSessionName: v.rolesessionname,
      durationSeconds: secondsOf(v.durationseconds),
      externalId: v.externalid,
      stsRegion: v.stsregion,
      stsEndpoint: v.stsendpoint,
      roleName: v.ecsrolename ?? v.ramrolename,
      oidcProviderArn: v.oidcproviderarn,
      oidcTokenFile: v.oidctokenfilepath ?? v.oidctokenfile,
      credentialsUri: v.credentialsuri ?? v.credentialuri,
    } satisfies ImportedProfile);
    const missing = missingFor(p);
    if (missing) out.skipped.push({ name, reason: `it needs ${missing}` });
    else out.profiles.push(p);
  }
  return out;
}
