// Plain words and a next step for failures to get credentials (STS AssumeRole / AssumeRoleWithOIDC,
// the ECS metadata service, a credentials URI) and for OSS refusing credentials that are renewed
// automatically. These failures carry the operation of the credentials service, so they are told
// apart from OSS's own answers: "OSS answered InvalidAccessKeyId.NotFound" would send a person to
// the wrong console.
import { t } from './translate.js';

export interface CredentialAdvice {
  summary: string;
  nextStep: string;
}

export interface CredentialAdviceOptions {
  credentialSource?: 'user' | 'env';
  /** The file an imported profile is kept in sync with (~/.aliyun/config.json, …). */
  importedFrom?: string;
}

interface Failure {
  operation?: string;
  code?: string;
  status?: number;
  kind?: string;
}

const NETWORK_CODES = new Set(['NetworkError', 'RequestTimeout', 'ConnectionReset']);
const REFRESHING_KINDS = new Set(['ramRoleArn', 'ecsRamRole', 'oidcRoleArn', 'credentialsUri']);
const OSS_REFUSALS = new Set(['SecurityTokenExpired', 'InvalidSecurityToken', 'InvalidAccessKeyId']);
// OSS refusing the keys of an imported profile: fixed in the file it follows (`file`), not with Edit Profile.
function importedAdvice(code: string, file: string): CredentialAdvice | undefined {
  switch (code) {
    case 'SignatureDoesNotMatch':
      return {
        summary: t('The AccessKey secret was rejected'),
        nextStep: t('Check the AccessKey secret (a stray space or the secret of another key pair are the usual causes) in {0}: the profile is re-read when the file changes.', file),
      };
    case 'InvalidAccessKeyId':
      return {
        summary: t('OSS does not know this AccessKey ID'),
        nextStep: t('Check the AccessKey ID, and that the key is enabled in the RAM console, in {0}: the profile is re-read when the file changes.', file),
      };
    case 'SecurityTokenExpired':
      return { summary: t('The STS security token has expired'), nextStep: t('Get a new STS token and write it to {0}: the profile is re-read when the file changes.', file) };
    case 'InvalidSecurityToken':
      return {
        summary: t('The STS security token was rejected'),
        nextStep: t('Check that the STS token belongs to the same temporary AccessKey in {0}: the profile is re-read when the file changes.', file),
      };
    default:
      return undefined;
  }
}

/** Where the fix goes, as a place in a sentence: the environment (`envHint`), the source file, or Edit Profile. */
function where(o: CredentialAdviceOptions, envHint: string): string {
  if (o.credentialSource === 'env') return envHint;
  return o.importedFrom ? t("the profile's source file {0} (re-read when it changes)", o.importedFrom) : t('Edit Profile');
}

function assumeRole(f: Failure, o: CredentialAdviceOptions): CredentialAdvice {
  const code = f.code ?? '';
  const fix = where(o, t('the environment'));
  if (code.startsWith('InvalidAccessKeyId')) {
    return {
      summary: t('STS does not accept the base AccessKey of this RAM role profile (it was deleted or disabled)'),
      nextStep: t('Check the base AccessKey ID in {0}, and that the key is enabled in the RAM console.', fix),
    };
  }
  if (code === 'SignatureDoesNotMatch') {
    return {
      summary: t('STS rejected the base AccessKey secret of this RAM role profile'),
      nextStep: t('Check the AccessKey secret in {0}; a stray space or the secret of another key pair are the usual causes.', fix),
    };
  }
  if (code.startsWith('NoPermission') || code.startsWith('Forbidden')) {
    return {
      summary: t('The base AccessKey may not assume this RAM role'),
      nextStep: t("Grant the RAM user sts:AssumeRole (policy AliyunSTSAssumeRoleAccess) and check that the role's trust policy names this account."),
    };
  }
  if (code.startsWith('EntityNotExist.Role') || code === 'InvalidParameter.RoleArn') {
    return { summary: t('STS does not know this RAM role'), nextStep: t('Check the role ARN (acs:ram::<account id>:role/<role name>) in {0}.', fix) };
  }
  return (
    network(f) ?? {
      summary: t('Temporary credentials for the RAM role could not be obtained (STS answered {0})', code || t('HTTP {0}', f.status ?? 0)),
      nextStep: t('Check the role ARN and that the base AccessKey may assume it; the full answer is in the OSS log.'),
    }
  );
}

function oidc(f: Failure, o: CredentialAdviceOptions): CredentialAdvice {
  const code = f.code ?? '';
  const fix = where(o, t('{0}, {1} and {2}', 'ALIBABA_CLOUD_ROLE_ARN', 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN', 'ALIBABA_CLOUD_OIDC_TOKEN_FILE'));
  if (code === 'OIDCTokenUnreadable') {
    return { summary: t('The OIDC token file cannot be read'), nextStep: t('Check the token file path in {0}; on ACK the RRSA webhook mounts it into the pod.', fix) };
  }
  if (code.startsWith('AuthenticationFail.OIDCToken')) {
    return {
      summary: t('STS did not accept the OIDC token'),
      nextStep: t("The token may have expired or belong to another cluster: check the pod's RRSA service account and that the OIDC provider ARN matches the cluster."),
    };
  }
  if (code.startsWith('EntityNotExist')) {
    return { summary: t('STS does not know this OIDC provider or role'), nextStep: t('Check the OIDC provider ARN and the role ARN in {0}.', fix) };
  }
  if (code.startsWith('NoPermission') || code.startsWith('AuthenticationFail')) {
    return { summary: t('The OIDC identity may not assume this RAM role'), nextStep: t("Check the role's trust policy: it must trust this OIDC provider and the pod's service account.") };
  }
  return (
    network(f) ?? {
      summary: t('Temporary credentials for the OIDC role could not be obtained (STS answered {0})', code || t('HTTP {0}', f.status ?? 0)),
      nextStep: t('The full answer is in the OSS log.'),
    }
  );
}

function ecs(f: Failure, o: CredentialAdviceOptions): CredentialAdvice {
  const code = f.code ?? '';
  if (f.status === 0 && NETWORK_CODES.has(code)) {
    return {
      summary: t('The ECS instance metadata service ({0}) did not answer', '100.100.100.200'),
      nextStep: t('An ECS RAM role profile works only on an ECS instance with a RAM role attached; on this machine use another profile.'),
    };
  }
  if (code === 'NoSuchRamRole' || code === 'NoRamRoleAttached' || f.status === 404) {
    return {
      summary: t('No such RAM role is attached to this ECS instance'),
      nextStep: t('Attach a RAM role to the instance in the ECS console, or correct the role name in {0}.', where(o, t('the environment'))),
    };
  }
  return {
    summary: t('The ECS metadata service did not hand out credentials ({0})', code || t('HTTP {0}', f.status ?? 0)),
    nextStep: t('If the instance allows only IMDSv2 tokens, check that nothing blocks {0}; the full answer is in the OSS log.', 'PUT /latest/api/token'),
  };
}

function uri(f: Failure, o: CredentialAdviceOptions): CredentialAdvice {
  const fix = where(o, 'ALIBABA_CLOUD_CREDENTIALS_URI');
  if (f.status === 0 && NETWORK_CODES.has(f.code ?? '')) {
    return { summary: t('The credentials URI service could not be reached'), nextStep: t('Start the service, or correct the URI in {0}.', fix) };
  }
  return {
    summary: t('The credentials URI service did not hand out credentials ({0})', f.code || t('HTTP {0}', f.status ?? 0)),
    nextStep: t('Check the service behind the URI in {0}; its answer is in the OSS log.', fix),
  };
}

function network(f: Failure): CredentialAdvice | undefined {
  if (f.status !== 0 || !NETWORK_CODES.has(f.code ?? '')) return undefined;
  return {
    summary: t('STS could not be reached to get temporary credentials'),
    nextStep: t('Check the network and the STS endpoint of the profile; transfers resume from their checkpoints once it works again.'),
  };
}

/** Advice for a credentials failure, or undefined when `f` is something else. */
export function credentialAdvice(f: Failure, o: CredentialAdviceOptions = {}): CredentialAdvice | undefined {
  switch (f.operation) {
    case 'AssumeRole':
      return assumeRole(f, o);
    case 'AssumeRoleWithOIDC':
      return oidc(f, o);
    case 'EcsRamRole':
      return ecs(f, o);
    case 'CredentialsUri':
      return uri(f, o);
    case 'Credentials':
      return {
        summary: t('The STS token of this profile has expired'),
        nextStep: t('Get a new STS token and enter it in {0}.', where(o, t('{0} (then restart VS Code)', 'OSS_SESSION_TOKEN'))),
      };
  }
  if (f.code === 'CredentialsExpired') {
    return { summary: t('The temporary credentials were already expired when they arrived'), nextStep: t("Check this computer's clock (enable automatic time), then retry.") };
  }
  if (f.code && OSS_REFUSALS.has(f.code) && f.kind && REFRESHING_KINDS.has(f.kind)) {
    return {
      summary: t('OSS refused the temporary credentials even after renewing them'),
      nextStep: t("Check this computer's clock, and that the role's credentials are meant for OSS; then Test Connection."),
    };
  }
  if (o.importedFrom && f.code) return importedAdvice(f.code, o.importedFrom);
  return undefined;
}
