// ~/.aliyun/config.json, the Alibaba Cloud CLI's profiles: {"current": name, "profiles": [...]},
// each with a `mode`: AK, StsToken, RamRoleArn, EcsRamRole, OIDC, CredentialsURI, or
// ChainableRamRoleArn (a role assumed with another profile's key, taken here when that profile is
// an AK or StsToken one). Other modes (External, CloudSSO, RsaKeyPair, …) are reported as skipped.
import type { CredentialKind } from '../../types.js';
import { ProfileFileError, compact, missingFor, secondsOf, type ImportedProfile, type ParsedProfileFile } from './profileFile.js';

const MODES: Record<string, CredentialKind> = {
  AK: 'accessKey',
  StsToken: 'stsToken',
  RamRoleArn: 'ramRoleArn',
  ChainableRamRoleArn: 'ramRoleArn',
  EcsRamRole: 'ecsRamRole',
  OIDC: 'oidcRoleArn',
  CredentialsURI: 'credentialsUri',
};

type Raw = Record<string, unknown>;

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  return undefined;
}

/** "line L" of a JSON.parse failure, from the position Node's message names. */
function lineOf(source: string, message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  if (!m) return undefined;
  return source.slice(0, Number(m[1])).split('\n').length;
}

export function parseAliyunCliConfig(source: string, file: string): ParsedProfileFile {
  let doc: unknown;
  try {
    doc = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (e) {
    // Node's message may quote the text around the mistake (a secret, perhaps): only its position is kept.
    const line = lineOf(source, (e as Error).message);
    throw new ProfileFileError(file, 'it is not valid JSON (a missing or extra comma, quote or brace)', line);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ProfileFileError(file, 'it is not a JSON object with "profiles"');
  const list = (doc as Raw).profiles;
  if (!Array.isArray(list)) throw new ProfileFileError(file, 'it has no "profiles" list');
  const out: ParsedProfileFile = { format: 'aliyun-cli', file, profiles: [], skipped: [] };
  const current = text((doc as Raw).current);
  if (current) out.current = current;
  const byName = new Map<string, Raw>();
  for (const item of list) if (item && typeof item === 'object' && text((item as Raw).name)) byName.set(text((item as Raw).name)!, item as Raw);

  list.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      out.skipped.push({ name: `#${i + 1}`, reason: 'it is not an object' });
      return;
    }
    const r = item as Raw;
    const name = text(r.name);
    if (!name) {
      out.skipped.push({ name: `#${i + 1}`, reason: 'it has no name' });
      return;
    }
    const mode = text(r.mode) ?? 'AK';
    const kind = MODES[mode];
    if (!kind) {
      out.skipped.push({ name, reason: `mode ${mode} is not supported here` });
      return;
    }
    // A chained role signs AssumeRole with its source profile's key.
    let keys: Raw = r;
    if (mode === 'ChainableRamRoleArn') {
      const source = byName.get(text(r.source_profile) ?? '');
      const sourceMode = source ? (text(source.mode) ?? 'AK') : undefined;
      if (!source || (sourceMode !== 'AK' && sourceMode !== 'StsToken')) {
        out.skipped.push({ name, reason: `its source profile ${text(r.source_profile) ?? '(none)'} is not an AK or StsToken profile of this file` });
        return;
      }
      keys = source;
    }
    const p = compact({
      format: 'aliyun-cli',
      file,
      name,
      kind,
      region: text(r.region_id),
      accessKeyId: text(keys.access_key_id),
      accessKeySecret: text(keys.access_key_secret),
      securityToken: text(keys.sts_token),
      roleArn: text(r.ram_role_arn),
      roleSessionName: text(r.ram_session_name),
      durationSeconds: secondsOf(typeof r.expired_seconds === 'number' ? r.expired_seconds : text(r.expired_seconds)) ?? secondsOf(typeof r.duration_seconds === 'number' ? r.duration_seconds : text(r.duration_seconds)),
      policy: text(r.policy),
      externalId: text(r.external_id),
      stsRegion: text(r.sts_region),
      stsEndpoint: text(r.sts_endpoint),
      roleName: text(r.ram_role_name),
      oidcProviderArn: text(r.oidc_provider_arn),
      oidcTokenFile: text(r.oidc_token_file),
      credentialsUri: text(r.credentials_uri),
    } satisfies ImportedProfile);
    // A role profile with an STS base key signs with the token too; the token is not the role's.
    if (kind === 'ramRoleArn' && mode === 'RamRoleArn') delete p.securityToken;
    const missing = missingFor(p);
    if (missing) out.skipped.push({ name, reason: `mode ${mode} needs ${missing.replace(/accessKeyId/, 'access_key_id').replace(/accessKeySecret/, 'access_key_secret')}` });
    else out.profiles.push(p);
  });
  return out;
}
