// The credentials provider a profile signs with, built from its metadata and its secret: an
// AccessKey (with or without an STS token) as is; a RAM role through STS with the profile's
// AccessKey; the ECS instance's role; an OIDC role; a credentials URI. No vscode import: tested
// directly. A profile missing what its kind needs gets an error that says what to add.
import { CredentialsUriProvider } from '../../oss/credentials/credentialsUriProvider.js';
import { StaticCredentialsProvider } from '../../oss/credentials/credentialsProvider.js';
import { EcsRamRoleProvider } from '../../oss/credentials/ecsRamRoleProvider.js';
import { OidcRoleProvider } from '../../oss/credentials/oidcRoleProvider.js';
import { RamRoleArnProvider } from '../../oss/credentials/ramRoleArnProvider.js';
import type { CredentialsEvent } from '../../oss/credentials/refreshingProvider.js';
import type { CredentialsProvider, NetworkOptions } from '../../oss/types.js';
import { kindLabel, kindOf, type Profile, type ProfileSecret } from './profile.js';
import { t } from '../presentation/translate.js';

/** What a profile can lack, for the message. */
export type MissingField = 'accessKeyId' | 'accessKeySecret' | 'roleArn' | 'oidcProviderArn' | 'oidcTokenFile' | 'credentialsUri';

function fieldName(f: MissingField): string {
  switch (f) {
    case 'accessKeyId':
      return t('AccessKey ID');
    case 'accessKeySecret':
      return t('AccessKey secret');
    case 'roleArn':
      return t('role ARN');
    case 'oidcProviderArn':
      return t('OIDC provider ARN');
    case 'oidcTokenFile':
      return t('OIDC token file');
    case 'credentialsUri':
      return t('credentials URI');
  }
}

export class ProfileIncompleteError extends Error {
  readonly code = 'ProfileIncomplete';
  constructor(
    profile: Profile,
    what: MissingField,
    readonly nextStep: string,
  ) {
    super(t('Profile "{0}" ({1}) has no {2}', profile.name, kindLabel(kindOf(profile)), fieldName(what)));
    this.name = 'ProfileIncompleteError';
  }
}

export interface ProviderHooks {
  onEvent?: (e: CredentialsEvent) => void;
  /** Tests and the demo point ECS RAM role profiles at a fake metadata service. */
  metadataEndpoint?: string;
  /** VS Code's proxy and CAs: STS and a credentials URI are reached the way OSS is. */
  network?: NetworkOptions;
}

function fixHint(p: Profile): string {
  if (p.source === 'env') return t('Set the environment variable and restart VS Code.');
  if (p.imported) return t('Add it to {0}; the profile is re-read when the file changes.', p.imported.file);
  return t('Edit the profile and fill it in.');
}

function staticKey(p: Profile, s: ProfileSecret): StaticCredentialsProvider {
  if (!p.accessKeyId) throw new ProfileIncompleteError(p, 'accessKeyId', fixHint(p));
  if (!s.accessKeySecret) throw new ProfileIncompleteError(p, 'accessKeySecret', fixHint(p));
  return new StaticCredentialsProvider({ accessKeyId: p.accessKeyId, accessKeySecret: s.accessKeySecret, ...(s.securityToken ? { securityToken: s.securityToken } : {}) });
}

export function credentialsFor(profile: Profile, secret: ProfileSecret, hooks: ProviderHooks = {}): CredentialsProvider {
  const kind = kindOf(profile, secret);
  const events = hooks.onEvent ? { onEvent: hooks.onEvent } : {};
  const network = hooks.network ? { network: hooks.network } : {};
  const role = profile.role;
  const session = role
    ? {
        roleArn: role.roleArn,
        ...(role.roleSessionName ? { roleSessionName: role.roleSessionName } : {}),
        ...(role.durationSeconds ? { durationSeconds: role.durationSeconds } : {}),
        ...(role.policy ? { policy: role.policy } : {}),
        ...(role.stsEndpoint ? { stsEndpoint: role.stsEndpoint } : {}),
        ...(role.stsRegion ? { stsRegion: role.stsRegion } : {}),
        ...network,
      }
    : undefined;
  switch (kind) {
    case 'accessKey':
    case 'stsToken':
      return staticKey(profile, secret);
    case 'ramRoleArn':
      if (!session) throw new ProfileIncompleteError(profile, 'roleArn', fixHint(profile));
      return new RamRoleArnProvider({ base: staticKey(profile, secret), ...session, ...(role?.externalId ? { externalId: role.externalId } : {}), ...events });
    case 'oidcRoleArn':
      if (!session) throw new ProfileIncompleteError(profile, 'roleArn', fixHint(profile));
      if (!profile.oidcProviderArn) throw new ProfileIncompleteError(profile, 'oidcProviderArn', fixHint(profile));
      if (!profile.oidcTokenFile) throw new ProfileIncompleteError(profile, 'oidcTokenFile', fixHint(profile));
      return new OidcRoleProvider({ ...session, oidcProviderArn: profile.oidcProviderArn, oidcTokenFile: profile.oidcTokenFile, ...events });
    case 'ecsRamRole':
      return new EcsRamRoleProvider({
        ...(profile.ecsRoleName ? { roleName: profile.ecsRoleName } : {}),
        ...(hooks.metadataEndpoint ? { metadataEndpoint: hooks.metadataEndpoint } : {}),
        ...events,
      });
    case 'credentialsUri':
      if (!secret.credentialsUri) throw new ProfileIncompleteError(profile, 'credentialsUri', fixHint(profile));
      return new CredentialsUriProvider({ uri: secret.credentialsUri, ...network, ...events });
  }
}
