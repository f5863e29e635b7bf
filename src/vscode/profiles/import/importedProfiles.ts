// From a profile in another tool's credentials file to one of ours, and back to it when the file
// changes: the metadata (kind, keys' IDs, role, region) and the secret that goes to SecretStorage,
// and the plan that brings profiles imported earlier in line with what the file says now. No vscode
// import: unit-tested directly.
import type { ImportedProfile, ParsedProfileFile, ProfileFileFormat } from '../../../oss/credentials/files/profileFile.js';
import { ASSUMED_REGION } from '../envProfiles.js';
import type { ImportOrigin, Profile, ProfileMeta, ProfileSecret } from '../profile.js';
import { checkRegion, parseRegionOrEndpoint, type Location } from '../profileInput.js';

/**
 * The tool each file belongs to, in the names imported profiles get ("work (aliyun CLI)").
 * @l10n-keep product names inside profile names, which are identities settings refer to.
 */
export const FORMAT_LABELS: Record<ProfileFileFormat, string> = {
  alibabacloud: 'Alibaba Cloud SDK',
  'aliyun-cli': 'aliyun CLI',
  ossutil: 'ossutil',
};

export interface ImportedData {
  meta: Omit<ProfileMeta, 'id'>;
  secret: ProfileSecret;
  /** Said once in the log: what the import had to assume. */
  notes: string[];
}

/** @l10n-log the notes go to the "OSS" log, which stays English. */
function locationOf(p: ImportedProfile, notes: string[]): Location {
  let location: Location = {};
  if (p.endpoint) {
    try {
      location = parseRegionOrEndpoint(p.endpoint);
    } catch (e) {
      notes.push(`its endpoint ${JSON.stringify(p.endpoint)} is not usable (${(e as Error).message}); the region is used instead`);
    }
  }
  if (p.region) {
    try {
      location = { ...location, region: checkRegion(p.region) };
    } catch {
      notes.push(`its region ${JSON.stringify(p.region)} is not a region`);
    }
  }
  if (!location.region && !location.endpoint) {
    notes.push(`it names no region; ${ASSUMED_REGION} is assumed (buckets are reached in their own regions once listed)`);
    location = { region: ASSUMED_REGION };
  }
  return location;
}

export function originOf(p: ImportedProfile): ImportOrigin {
  return { format: p.format, file: p.file, name: p.name };
}

export function sameOrigin(a: ImportOrigin | undefined, b: ImportOrigin): boolean {
  return !!a && a.format === b.format && a.file === b.file && a.name === b.name;
}

/** The profile an imported one becomes; `name` is the display name it gets (import keeps an existing one's). */
export function importedData(p: ImportedProfile, name: string): ImportedData {
  const notes: string[] = [];
  const meta: Omit<ProfileMeta, 'id'> = { name, kind: p.kind === 'stsToken' ? 'accessKey' : p.kind, ...locationOf(p, notes), imported: originOf(p) };
  if (p.accessKeyId) meta.accessKeyId = p.accessKeyId;
  if (p.roleArn && (p.kind === 'ramRoleArn' || p.kind === 'oidcRoleArn')) {
    meta.role = { roleArn: p.roleArn };
    if (p.roleSessionName) meta.role.roleSessionName = p.roleSessionName;
    if (p.durationSeconds) meta.role.durationSeconds = p.durationSeconds;
    if (p.policy) meta.role.policy = p.policy;
    if (p.externalId) meta.role.externalId = p.externalId;
    if (p.stsEndpoint) meta.role.stsEndpoint = p.stsEndpoint;
    if (p.stsRegion) meta.role.stsRegion = p.stsRegion;
  }
  if (p.kind === 'ecsRamRole' && p.roleName) meta.ecsRoleName = p.roleName;
  if (p.kind === 'oidcRoleArn') {
    if (p.oidcProviderArn) meta.oidcProviderArn = p.oidcProviderArn;
    if (p.oidcTokenFile) meta.oidcTokenFile = p.oidcTokenFile;
  }
  const secret: ProfileSecret = {};
  if (p.accessKeySecret) secret.accessKeySecret = p.accessKeySecret;
  if (p.securityToken && p.kind === 'stsToken') secret.securityToken = p.securityToken;
  if (p.credentialsUri) secret.credentialsUri = p.credentialsUri;
  return { meta, secret, notes };
}

/** `base (label)`, or with a number when that name is taken. */
export function displayName(p: ImportedProfile, taken: readonly string[]): string {
  const base = `${p.name} (${FORMAT_LABELS[p.format]})`;
  const lower = new Set(taken.map((n) => n.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!lower.has(`${base} ${i}`.toLowerCase())) return `${base} ${i}`;
}

export interface StoredImport {
  profile: Profile;
  /** undefined when none is stored (or it cannot be read). */
  secret: ProfileSecret | undefined;
}

export interface SyncPlan {
  /** Profiles whose credentials or region changed in the file: save these (secret only when it changed). */
  updates: { id: string; meta: Omit<ProfileMeta, 'id'>; secret?: ProfileSecret }[];
  /** Profiles imported from this file whose entry is gone: kept as they are, and said. */
  gone: Profile[];
}

function credentialFields(m: Omit<ProfileMeta, 'id'>): string {
  return JSON.stringify([m.kind ?? 'accessKey', m.accessKeyId, m.role, m.ecsRoleName, m.oidcProviderArn, m.oidcTokenFile, m.region, m.endpoint]);
}

function sameSecret(a: ProfileSecret | undefined, b: ProfileSecret): boolean {
  return !!a && a.accessKeySecret === b.accessKeySecret && a.securityToken === b.securityToken && a.credentialsUri === b.credentialsUri;
}

/**
 * What to change so the profiles imported from `file` match it again. The name a person gave a
 * profile here is kept; everything the file says about credentials and region is taken from it.
 */
export function planSync(stored: readonly StoredImport[], file: ParsedProfileFile): SyncPlan {
  const plan: SyncPlan = { updates: [], gone: [] };
  for (const s of stored) {
    const origin = s.profile.imported;
    if (!origin || origin.format !== file.format || origin.file !== file.file) continue;
    const now = file.profiles.find((p) => p.name === origin.name);
    if (!now) {
      plan.gone.push(s.profile);
      continue;
    }
    const data = importedData(now, s.profile.name);
    const meta: Omit<ProfileMeta, 'id'> = {
      ...data.meta,
      ...(s.profile.signatureVersion ? { signatureVersion: s.profile.signatureVersion } : {}),
      ...(s.profile.customDomainBucket ? { customDomainBucket: s.profile.customDomainBucket } : {}),
    };
    const metaChanged = credentialFields(meta) !== credentialFields(s.profile);
    const secretChanged = !sameSecret(s.secret, data.secret);
    if (metaChanged || secretChanged) plan.updates.push({ id: s.profile.id, meta, ...(secretChanged ? { secret: data.secret } : {}) });
  }
  return plan;
}
