// The credential steps of Add Profile… for the kinds other than an AccessKey: a RAM role assumed
// with an AccessKey (through STS), the ECS instance's RAM role, an OIDC role (a token file, as on
// ACK with RRSA), or a credentials URI. Secrets (the base AccessKey secret, the URI) are asked with
// a password box and go to SecretStorage with the profile.
import * as vscode from 'vscode';
import type { CredentialKind } from '../../../oss/types.js';
import { kindLabel, type ProfileMeta, type ProfileSecret } from '../../profiles/profile.js';
import {
  checkAccessKeyId,
  checkHttpUrl,
  checkOidcProviderArn,
  checkRoleArn,
  checkRoleSessionName,
  checkSecret,
  problemOf,
} from '../../profiles/profileInput.js';

export type CredentialFields = Pick<ProfileMeta, 'kind' | 'accessKeyId' | 'role' | 'ecsRoleName' | 'oidcProviderArn' | 'oidcTokenFile'>;

export interface CredentialStepsResult {
  fields: CredentialFields;
  secret: ProfileSecret;
}

type KindItem = vscode.QuickPickItem & { credential: CredentialKind };

const KIND_ITEMS: KindItem[] = [
  { label: 'AccessKey', description: 'an AccessKey ID and secret, optionally with an STS token', credential: 'accessKey' },
  { label: 'RAM role ARN', description: 'assume a RAM role through STS with an AccessKey; renewed before it expires', credential: 'ramRoleArn' },
  { label: 'ECS RAM role', description: "the RAM role of this ECS instance, from its metadata service", credential: 'ecsRamRole' },
  { label: 'OIDC role', description: 'assume a RAM role with an OIDC token file (ACK RRSA)', credential: 'oidcRoleArn' },
  { label: 'Credentials URI', description: 'a service that hands out temporary credentials', credential: 'credentialsUri' },
];

/** The kind quick pick; undefined when cancelled. */
export async function askKind(title: string): Promise<CredentialKind | undefined> {
  const picked = await vscode.window.showQuickPick(KIND_ITEMS, { title, placeHolder: 'How does this profile get its credentials?', ignoreFocusOut: true });
  return picked?.credential;
}

/** The steps of one kind other than AccessKey; undefined when cancelled. */
export async function askCredentials(kind: Exclude<CredentialKind, 'accessKey' | 'stsToken'>, verb: string): Promise<CredentialStepsResult | undefined> {
  const counts: Record<typeof kind, number> = { ramRoleArn: 5, ecsRamRole: 1, oidcRoleArn: 4, credentialsUri: 1 };
  let n = 0;
  const ask = (options: vscode.InputBoxOptions): Thenable<string | undefined> =>
    vscode.window.showInputBox({ ...options, title: `${verb}: ${kindLabel(kind)} (${++n}/${counts[kind]})`, ignoreFocusOut: true });

  switch (kind) {
    case 'ramRoleArn': {
      const id = await ask({ prompt: 'AccessKey ID the role is assumed with (a RAM user allowed sts:AssumeRole)', placeHolder: 'LTAI…', validateInput: (v) => problemOf(() => checkAccessKeyId(v)) });
      if (id === undefined) return undefined;
      const secret = await ask({ prompt: 'Its AccessKey secret (kept in the system keychain, never in settings)', password: true, validateInput: (v) => problemOf(() => checkSecret(v)) });
      if (secret === undefined) return undefined;
      const arn = await ask({ prompt: 'Role ARN', placeHolder: 'acs:ram::1234567890123456:role/role-name', validateInput: (v) => problemOf(() => checkRoleArn(v)) });
      if (arn === undefined) return undefined;
      const session = await ask({ prompt: 'Role session name, shown in the role\'s audit trail — optional', placeHolder: 'oss-transfer', validateInput: (v) => problemOf(() => checkRoleSessionName(v)) });
      if (session === undefined) return undefined;
      const sts = await ask({ prompt: 'STS endpoint — leave empty for sts.aliyuncs.com', placeHolder: 'https://sts.cn-hangzhou.aliyuncs.com', validateInput: (v) => problemOf(() => checkHttpUrl(v, 'STS endpoint', true)) });
      if (sts === undefined) return undefined;
      const roleSessionName = checkRoleSessionName(session);
      const stsEndpoint = checkHttpUrl(sts, 'STS endpoint', true);
      return {
        fields: { kind, accessKeyId: checkAccessKeyId(id), role: { roleArn: checkRoleArn(arn), ...(roleSessionName ? { roleSessionName } : {}), ...(stsEndpoint ? { stsEndpoint } : {}) } },
        secret: { accessKeySecret: checkSecret(secret) },
      };
    }
    case 'ecsRamRole': {
      const role = await ask({ prompt: 'Name of the RAM role attached to this ECS instance — leave empty to ask the metadata service', placeHolder: 'EcsOssRole' });
      if (role === undefined) return undefined;
      return { fields: { kind, ...(role.trim() ? { ecsRoleName: role.trim() } : {}) }, secret: {} };
    }
    case 'oidcRoleArn': {
      const arn = await ask({ prompt: 'Role ARN', placeHolder: 'acs:ram::1234567890123456:role/role-name', validateInput: (v) => problemOf(() => checkRoleArn(v)) });
      if (arn === undefined) return undefined;
      const provider = await ask({ prompt: 'OIDC provider ARN', placeHolder: 'acs:ram::1234567890123456:oidc-provider/name', validateInput: (v) => problemOf(() => checkOidcProviderArn(v)) });
      if (provider === undefined) return undefined;
      const file = await ask({ prompt: 'Path of the file holding the OIDC token', placeHolder: '/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token', validateInput: (v) => (v.trim() ? undefined : 'Enter the token file path.') });
      if (file === undefined) return undefined;
      const session = await ask({ prompt: 'Role session name — optional', placeHolder: 'oss-transfer', validateInput: (v) => problemOf(() => checkRoleSessionName(v)) });
      if (session === undefined) return undefined;
      const roleSessionName = checkRoleSessionName(session);
      return {
        fields: { kind, role: { roleArn: checkRoleArn(arn), ...(roleSessionName ? { roleSessionName } : {}) }, oidcProviderArn: checkOidcProviderArn(provider), oidcTokenFile: file.trim() },
        secret: {},
      };
    }
    case 'credentialsUri': {
      const uri = await ask({ prompt: 'Credentials URI (kept in the system keychain: it may carry a token)', password: true, placeHolder: 'http://127.0.0.1:6666/credentials', validateInput: (v) => problemOf(() => checkHttpUrl(v, 'credentials URI')) });
      if (uri === undefined) return undefined;
      return { fields: { kind }, secret: { credentialsUri: checkHttpUrl(uri, 'credentials URI')! } };
    }
  }
}
