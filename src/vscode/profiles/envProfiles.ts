// The profiles VS Code's environment defines: OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET (see
// readEnvProfile), an OIDC role from the variables ACK's RRSA sets in a pod (ALIBABA_CLOUD_ROLE_ARN,
// ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE), and ALIBABA_CLOUD_CREDENTIALS_URI.
// Their region comes from OSS_REGION / OSS_ENDPOINT, else ALIBABA_CLOUD_REGION_ID, else cn-hangzhou
// (buckets are routed to their own region once listed). No vscode import: unit-tested directly.
import { t } from '../presentation/translate.js';
import { ENV_OIDC_PROFILE_ID, ENV_PROFILE_NAMES, ENV_URI_PROFILE_ID, type Profile, type RoleSettings } from './profile.js';
import { checkRegion, parseRegionOrEndpoint, readEnvProfile, type EnvProfile, type Location } from './profileInput.js';

export type EnvProfileEntry = EnvProfile & { problem?: string };

/** The region an imported or environment profile uses when nothing names one. */
export const ASSUMED_REGION = 'cn-hangzhou';

function envLocation(env: Record<string, string | undefined>): { location: Location; problem?: string } {
  try {
    let location: Location = {};
    const endpoint = env.OSS_ENDPOINT?.trim();
    if (endpoint) location = parseRegionOrEndpoint(endpoint);
    const region = env.OSS_REGION?.trim() || (location.region ? undefined : env.ALIBABA_CLOUD_REGION_ID?.trim());
    if (region) location = { ...location, region: checkRegion(region) };
    if (!location.region && !location.endpoint) location = { region: ASSUMED_REGION };
    return { location };
  } catch (e) {
    return { location: { region: ASSUMED_REGION }, problem: t('Environment profile: {0}', (e as Error).message) };
  }
}

function stsFrom(env: Record<string, string | undefined>): Partial<RoleSettings> {
  const out: Partial<RoleSettings> = {};
  const session = env.ALIBABA_CLOUD_ROLE_SESSION_NAME?.trim();
  if (session) out.roleSessionName = session;
  const endpoint = env.ALIBABA_CLOUD_STS_ENDPOINT?.trim();
  if (endpoint) out.stsEndpoint = endpoint;
  const region = env.ALIBABA_CLOUD_STS_REGION?.trim();
  if (region) out.stsRegion = region;
  return out;
}

/** Every profile the environment defines, in a fixed order. */
export function readEnvProfiles(env: Record<string, string | undefined>): EnvProfileEntry[] {
  const out: EnvProfileEntry[] = [];
  const keys = readEnvProfile(env);
  if (keys) out.push(keys);
  const roleArn = env.ALIBABA_CLOUD_ROLE_ARN?.trim();
  const providerArn = env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN?.trim();
  const tokenFile = env.ALIBABA_CLOUD_OIDC_TOKEN_FILE?.trim();
  if (roleArn && providerArn && tokenFile) {
    const { location, problem } = envLocation(env);
    const profile: Profile = {
      id: ENV_OIDC_PROFILE_ID,
      name: ENV_PROFILE_NAMES.oidc,
      source: 'env',
      kind: 'oidcRoleArn',
      role: { roleArn, ...stsFrom(env) },
      oidcProviderArn: providerArn,
      oidcTokenFile: tokenFile,
      ...location,
    };
    out.push({ profile, secret: {}, ...(problem ? { problem } : {}) });
  }
  const uri = env.ALIBABA_CLOUD_CREDENTIALS_URI?.trim();
  if (uri) {
    const { location, problem } = envLocation(env);
    const profile: Profile = { id: ENV_URI_PROFILE_ID, name: ENV_PROFILE_NAMES.uri, source: 'env', kind: 'credentialsUri', ...location };
    out.push({ profile, secret: { credentialsUri: uri }, ...(problem ? { problem } : {}) });
  }
  return out;
}
