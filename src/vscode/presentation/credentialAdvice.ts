// Plain words and a next step for failures to get credentials (STS AssumeRole / AssumeRoleWithOIDC,
// the ECS metadata service, a credentials URI) and for OSS refusing credentials that are renewed
// automatically. These failures carry the operation of the credentials service, so they are told
// apart from OSS's own answers: "OSS answered InvalidAccessKeyId.NotFound" would send a person to
// the wrong console.

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
// OSS refusing the keys of an imported profile: fixed in the file it follows, not with Edit Profile.
const IMPORTED_STEPS: Record<string, [summary: string, step: string]> = {
  SignatureDoesNotMatch: ['The AccessKey secret was rejected', 'Check the AccessKey secret (a stray space or the secret of another key pair are the usual causes) in'],
  InvalidAccessKeyId: ['OSS does not know this AccessKey ID', 'Check the AccessKey ID, and that the key is enabled in the RAM console, in'],
  SecurityTokenExpired: ['The STS security token has expired', 'Get a new STS token and write it to'],
  InvalidSecurityToken: ['The STS security token was rejected', 'Check that the STS token belongs to the same temporary AccessKey in'],
};

function where(o: CredentialAdviceOptions, envHint: string): string {
  if (o.credentialSource === 'env') return envHint;
  return o.importedFrom ? `the profile's source file ${o.importedFrom} (re-read when it changes)` : 'Edit Profile';
}

function assumeRole(f: Failure, o: CredentialAdviceOptions): CredentialAdvice {
  const code = f.code ?? '';
  const fix = where(o, 'the environment');
  if (code.startsWith('InvalidAccessKeyId')) {
    return { summary: 'STS does not accept the base AccessKey of this RAM role profile (it was deleted or disabled)', nextStep: `Check the base AccessKey ID in ${fix}, and that the key is enabled in the RAM console.` };
  }
  if (code === 'SignatureDoesNotMatch') {
    return { summary: 'STS rejected the base AccessKey secret of this RAM role profile', nextStep: `Check the AccessKey secret in ${fix}; a stray space or the secret of another key pair are the usual causes.` };
  }
  if (code.startsWith('NoPermission') || code.startsWith('Forbidden')) {
    return { summary: 'The base AccessKey may not assume this RAM role', nextStep: "Grant the RAM user sts:AssumeRole (policy AliyunSTSAssumeRoleAccess) and check that the role's trust policy names this account." };
  }
  if (code.startsWith('EntityNotExist.Role') || code === 'InvalidParameter.RoleArn') {
    return { summary: 'STS does not know this RAM role', nextStep: `Check the role ARN (acs:ram::<account id>:role/<role name>) in ${fix}.` };
  }
  return network(f) ?? { summary: `Temporary credentials for the RAM role could not be obtained (STS answered ${code || `HTTP ${f.status ?? 0}`})`, nextStep: 'Check the role ARN and that the base AccessKey may assume it; the full answer is in the OSS log.' };
}

function oidc(f: Failure, o: CredentialAdviceOptions): CredentialAdvice {
  const code = f.code ?? '';
  const fix = where(o, 'ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE');
  if (code === 'OIDCTokenUnreadable') {
    return { summary: 'The OIDC token file cannot be read', nextStep: `Check the token file path in ${fix}; on ACK the RRSA webhook mounts it into the pod.` };
  }
  if (code.startsWith('AuthenticationFail.OIDCToken')) {
    return { summary: 'STS did not accept the OIDC token', nextStep: "The token may have expired or belong to another cluster: check the pod's RRSA service account and that the OIDC provider ARN matches the cluster." };
  }
  if (code.startsWith('EntityNotExist')) {
    return { summary: 'STS does not know this OIDC provider or role', nextStep: `Check the OIDC provider ARN and the role ARN in ${fix}.` };
  }
  if (code.startsWith('NoPermission') || code.startsWith('AuthenticationFail')) {
    return { summary: 'The OIDC identity may not assume this RAM role', nextStep: "Check the role's trust policy: it must trust this OIDC provider and the pod's service account." };
  }
  return network(f) ?? { summary: `Temporary credentials for the OIDC role could not be obtained (STS answered ${code || `HTTP ${f.status ?? 0}`})`, nextStep: 'The full answer is in the OSS log.' };
}

function ecs(f: Failure, o: CredentialAdviceOptions): CredentialAdvice {
  const code = f.code ?? '';
  if (f.status === 0 && NETWORK_CODES.has(code)) {
    return { summary: 'The ECS instance metadata service (100.100.100.200) did not answer', nextStep: 'An ECS RAM role profile works only on an ECS instance with a RAM role attached; on this machine use another profile.' };
  }
  if (code === 'NoSuchRamRole' || code === 'NoRamRoleAttached' || f.status === 404) {
    return { summary: 'No such RAM role is attached to this ECS instance', nextStep: `Attach a RAM role to the instance in the ECS console, or correct the role name in ${where(o, 'the environment')}.` };
  }
  return { summary: `The ECS metadata service did not hand out credentials (${code || `HTTP ${f.status ?? 0}`})`, nextStep: 'If the instance allows only IMDSv2 tokens, check that nothing blocks PUT /latest/api/token; the full answer is in the OSS log.' };
}

function uri(f: Failure, o: CredentialAdviceOptions): CredentialAdvice {
  const fix = where(o, 'ALIBABA_CLOUD_CREDENTIALS_URI');
  if (f.status === 0 && NETWORK_CODES.has(f.code ?? '')) {
    return { summary: 'The credentials URI service could not be reached', nextStep: `Start the service, or correct the URI in ${fix}.` };
  }
  return { summary: `The credentials URI service did not hand out credentials (${f.code || `HTTP ${f.status ?? 0}`})`, nextStep: `Check the service behind the URI in ${fix}; its answer is in the OSS log.` };
}

function network(f: Failure): CredentialAdvice | undefined {
  if (f.status !== 0 || !NETWORK_CODES.has(f.code ?? '')) return undefined;
  return { summary: 'STS could not be reached to get temporary credentials', nextStep: 'Check the network and the STS endpoint of the profile; transfers resume from their checkpoints once it works again.' };
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
      return { summary: 'The STS token of this profile has expired', nextStep: `Get a new STS token and enter it in ${where(o, 'OSS_SESSION_TOKEN (then restart VS Code)')}.` };
  }
  if (f.code === 'CredentialsExpired') {
    return { summary: 'The temporary credentials were already expired when they arrived', nextStep: "Check this computer's clock (enable automatic time), then retry." };
  }
  if (f.code && OSS_REFUSALS.has(f.code) && f.kind && REFRESHING_KINDS.has(f.kind)) {
    return { summary: 'OSS refused the temporary credentials even after renewing them', nextStep: "Check this computer's clock, and that the role's credentials are meant for OSS; then Test Connection." };
  }
  if (o.importedFrom && f.code && IMPORTED_STEPS[f.code]) {
    const [summary, step] = IMPORTED_STEPS[f.code]!;
    return { summary, nextStep: `${step} ${o.importedFrom}: the profile is re-read when the file changes.` };
  }
  return undefined;
}
