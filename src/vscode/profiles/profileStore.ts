// Keeps the profiles: metadata (never a secret) in globalState, the AccessKey secret, STS token and
// credentials URI in SecretStorage, the environment profiles read from process.env at activation,
// and which profile is the current one (see README "Switch Profile": the one commands run from the
// palette or the Explorer use without asking; the tree marks it).
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable } from '../disposable.js';
import { needsAccessKey, type AddedBucket, type Profile, type ProfileMeta, type ProfileSecret } from './profile.js';
import { checkCustomDomainProfile } from './profileInput.js';
import { readEnvProfiles, type EnvProfileEntry } from './envProfiles.js';

const PROFILES_KEY = 'ossTransfer.profiles';
const ADDED_BUCKETS_KEY = 'ossTransfer.addedBuckets';
const SECRET_PREFIX = 'ossTransfer.profileSecret.';
const CURRENT_KEY = 'ossTransfer.currentProfile';

export class MissingSecretError extends Error {
  readonly code = 'MissingSecret';
  readonly nextStep: string;
  /** `what`: the AccessKey secret or the credentials URI; `nextStep` replaces the default "enter it again". */
  constructor(profileName: string, what: 'accessKeySecret' | 'credentialsUri' = 'accessKeySecret', nextStep?: string) {
    super(
      what === 'credentialsUri'
        ? vscode.l10n.t('No credentials URI is stored for profile "{0}" on this machine', profileName)
        : vscode.l10n.t('No AccessKey secret is stored for profile "{0}" on this machine', profileName),
    );
    this.name = 'MissingSecretError';
    this.nextStep =
      nextStep ??
      (what === 'credentialsUri' ? vscode.l10n.t('Enter the credentials URI again with Edit Profile.') : vscode.l10n.t('Enter the AccessKey secret again with Edit Profile.'));
  }
}

/** The metadata fields a stored profile keeps, copied one by one so nothing else slips into globalState. */
function cleanMeta(id: string, meta: Omit<ProfileMeta, 'id'>): ProfileMeta {
  const clean: ProfileMeta = { id, name: meta.name };
  if (meta.kind && meta.kind !== 'accessKey') clean.kind = meta.kind;
  if (meta.accessKeyId) clean.accessKeyId = meta.accessKeyId;
  if (meta.region) clean.region = meta.region;
  if (meta.endpoint) clean.endpoint = meta.endpoint;
  if (meta.customDomainBucket) {
    checkCustomDomainProfile(meta.endpoint, meta.customDomainBucket);
    clean.customDomainBucket = meta.customDomainBucket;
  }
  if (meta.role?.roleArn) {
    const r = meta.role;
    clean.role = { roleArn: r.roleArn };
    for (const k of ['roleSessionName', 'externalId', 'policy', 'stsEndpoint', 'stsRegion'] as const) if (r[k]) clean.role[k] = r[k];
    if (r.durationSeconds) clean.role.durationSeconds = r.durationSeconds;
  }
  if (meta.ecsRoleName) clean.ecsRoleName = meta.ecsRoleName;
  if (meta.oidcProviderArn) clean.oidcProviderArn = meta.oidcProviderArn;
  if (meta.oidcTokenFile) clean.oidcTokenFile = meta.oidcTokenFile;
  if (meta.signatureVersion) clean.signatureVersion = meta.signatureVersion;
  if (meta.imported) clean.imported = { format: meta.imported.format, file: meta.imported.file, name: meta.imported.name };
  return clean;
}

export class ProfileStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires after any profile, secret or added-bucket change (also from another window's secret change). */
  readonly onDidChange = this.changed.event;
  private readonly currentChanged = this.register(new vscode.EventEmitter<Profile | undefined>());
  /** Fires when Switch Profile picks another current profile (not on every profile change). */
  readonly onDidChangeCurrent = this.currentChanged.event;
  private readonly env: EnvProfileEntry[];

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
    env: Record<string, string | undefined> = process.env,
  ) {
    super();
    this.env = readEnvProfiles(env);
    this.register(
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire();
      }),
    );
  }

  /** The environment profiles first, then the user's in the order they were added. */
  list(): Profile[] {
    const user = this.userMetas().map((m): Profile => ({ ...m, source: 'user' }));
    return [...this.env.map((e) => e.profile), ...user];
  }

  get(id: string): Profile | undefined {
    return this.list().find((p) => p.id === id);
  }

  /** A problem with the environment variables of an environment profile, shown on its node. */
  envProblem(id: string): string | undefined {
    return this.env.find((e) => e.profile.id === id)?.problem;
  }

  /** The current profile: the one Switch Profile chose, while it exists. */
  current(): Profile | undefined {
    const id = this.state.get<unknown>(CURRENT_KEY);
    return typeof id === 'string' ? this.get(id) : undefined;
  }

  async setCurrent(id: string | undefined): Promise<void> {
    if (id !== undefined && !this.get(id)) throw new Error(vscode.l10n.t('There is no profile with id {0}.', id));
    await this.state.update(CURRENT_KEY, id);
    this.currentChanged.fire(id === undefined ? undefined : this.get(id));
  }

  async secret(profile: Profile): Promise<ProfileSecret> {
    if (profile.source === 'env') {
      const entry = this.env.find((e) => e.profile.id === profile.id);
      if (!entry) throw new MissingSecretError(profile.name);
      return entry.secret;
    }
    const kind = profile.kind ?? 'accessKey';
    const raw = await this.secrets.get(SECRET_PREFIX + profile.id);
    let parsed: ProfileSecret = {};
    if (raw) {
      try {
        const v = JSON.parse(raw) as Record<string, unknown>;
        for (const k of ['accessKeySecret', 'securityToken', 'credentialsUri'] as const) if (typeof v[k] === 'string' && v[k]) parsed[k] = v[k] as string;
      } catch {
        parsed = {};
      }
    }
    const fix = profile.imported ? vscode.l10n.t('Add it to {0}; the profile is re-read when the file changes.', profile.imported.file) : undefined;
    if (needsAccessKey(kind) && !parsed.accessKeySecret) throw new MissingSecretError(profile.name, 'accessKeySecret', fix);
    if (kind === 'credentialsUri' && !parsed.credentialsUri) throw new MissingSecretError(profile.name, 'credentialsUri', fix);
    return parsed;
  }

  /** Adds a profile (no id) or replaces one; a given secret replaces the stored one. */
  async save(meta: Omit<ProfileMeta, 'id'> & { id?: string }, secret?: ProfileSecret): Promise<Profile> {
    if (meta.id !== undefined && this.env.some((e) => e.profile.id === meta.id)) {
      throw new Error(vscode.l10n.t('An environment profile is set by environment variables and cannot be edited here.'));
    }
    const id = meta.id ?? randomUUID();
    const clean = cleanMeta(id, meta);
    // Secret first: a profile without its secret would show errors until the next edit.
    if (secret) await this.secrets.store(SECRET_PREFIX + id, JSON.stringify(secret));
    const metas = this.userMetas();
    const i = metas.findIndex((m) => m.id === id);
    if (i >= 0) metas[i] = clean;
    else metas.push(clean);
    await this.state.update(PROFILES_KEY, metas);
    this.changed.fire();
    return { ...clean, source: 'user' };
  }

  async remove(id: string): Promise<void> {
    if (this.env.some((e) => e.profile.id === id)) throw new Error(vscode.l10n.t('An environment profile comes from environment variables; unset them to remove it.'));
    await this.state.update(
      PROFILES_KEY,
      this.userMetas().filter((m) => m.id !== id),
    );
    const buckets = { ...this.addedBucketMap() };
    delete buckets[id];
    await this.state.update(ADDED_BUCKETS_KEY, buckets);
    await this.secrets.delete(SECRET_PREFIX + id);
    if (this.state.get<unknown>(CURRENT_KEY) === id) await this.setCurrent(undefined);
    this.changed.fire();
  }

  addedBuckets(profileId: string): AddedBucket[] {
    return [...(this.addedBucketMap()[profileId] ?? [])];
  }

  async addBucket(profileId: string, bucket: AddedBucket): Promise<void> {
    const list = this.addedBuckets(profileId).filter((b) => b.name !== bucket.name);
    list.push(bucket);
    list.sort((a, b) => a.name.localeCompare(b.name));
    await this.state.update(ADDED_BUCKETS_KEY, { ...this.addedBucketMap(), [profileId]: list });
    this.changed.fire();
  }

  async forgetBucket(profileId: string, name: string): Promise<void> {
    const list = this.addedBuckets(profileId).filter((b) => b.name !== name);
    await this.state.update(ADDED_BUCKETS_KEY, { ...this.addedBucketMap(), [profileId]: list });
    this.changed.fire();
  }

  private userMetas(): ProfileMeta[] {
    const raw = this.state.get<unknown>(PROFILES_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (m): m is ProfileMeta => !!m && typeof m === 'object' && typeof (m as ProfileMeta).id === 'string' && typeof (m as ProfileMeta).name === 'string',
    );
  }

  private addedBucketMap(): Record<string, AddedBucket[]> {
    const raw = this.state.get<unknown>(ADDED_BUCKETS_KEY);
    return raw && typeof raw === 'object' ? (raw as Record<string, AddedBucket[]>) : {};
  }
}
