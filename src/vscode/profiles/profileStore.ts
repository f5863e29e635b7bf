// Keeps the profiles: metadata (never a secret) in globalState, the AccessKey secret and STS token
// in SecretStorage, and the environment profile read from process.env at activation.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable } from '../disposable.js';
import { ENV_PROFILE_ID, type AddedBucket, type Profile, type ProfileMeta, type ProfileSecret } from './profile.js';
import { checkCustomDomainProfile, readEnvProfile, type EnvProfile } from './profileInput.js';

const PROFILES_KEY = 'ossTransfer.profiles';
const ADDED_BUCKETS_KEY = 'ossTransfer.addedBuckets';
const SECRET_PREFIX = 'ossTransfer.profileSecret.';

export class MissingSecretError extends Error {
  readonly code = 'MissingSecret';
  readonly nextStep = 'Enter the AccessKey secret again with Edit Profile.';
  constructor(profileName: string) {
    super(`No AccessKey secret is stored for profile "${profileName}" on this machine`);
    this.name = 'MissingSecretError';
  }
}

export class ProfileStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires after any profile, secret or added-bucket change (also from another window's secret change). */
  readonly onDidChange = this.changed.event;
  private readonly env: (EnvProfile & { problem?: string }) | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
    env: Record<string, string | undefined> = process.env,
  ) {
    super();
    this.env = readEnvProfile(env);
    this.register(
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire();
      }),
    );
  }

  /** The environment profile first, then the user's in the order they were added. */
  list(): Profile[] {
    const user = this.userMetas().map((m): Profile => ({ ...m, source: 'user' }));
    return this.env ? [this.env.profile, ...user] : user;
  }

  get(id: string): Profile | undefined {
    return this.list().find((p) => p.id === id);
  }

  /** A problem with the environment variables, shown on the env profile's node. */
  envProblem(): string | undefined {
    return this.env?.problem;
  }

  async secret(profile: Profile): Promise<ProfileSecret> {
    if (profile.source === 'env') {
      if (!this.env) throw new MissingSecretError(profile.name);
      return this.env.secret;
    }
    const raw = await this.secrets.get(SECRET_PREFIX + profile.id);
    if (!raw) throw new MissingSecretError(profile.name);
    try {
      const parsed = JSON.parse(raw) as ProfileSecret;
      if (typeof parsed.accessKeySecret !== 'string' || !parsed.accessKeySecret) throw new Error('empty');
      return parsed.securityToken ? { accessKeySecret: parsed.accessKeySecret, securityToken: parsed.securityToken } : { accessKeySecret: parsed.accessKeySecret };
    } catch {
      throw new MissingSecretError(profile.name);
    }
  }

  /** Adds a profile (no id) or replaces one; a given secret replaces the stored one. */
  async save(meta: Omit<ProfileMeta, 'id'> & { id?: string }, secret?: ProfileSecret): Promise<Profile> {
    if (meta.id === ENV_PROFILE_ID) throw new Error('The environment profile is set by environment variables and cannot be edited here.');
    const id = meta.id ?? randomUUID();
    const clean: ProfileMeta = { id, name: meta.name, accessKeyId: meta.accessKeyId };
    if (meta.region) clean.region = meta.region;
    if (meta.endpoint) clean.endpoint = meta.endpoint;
    if (meta.customDomainBucket) {
      checkCustomDomainProfile(meta.endpoint, meta.customDomainBucket);
      clean.customDomainBucket = meta.customDomainBucket;
    }
    if (meta.signatureVersion) clean.signatureVersion = meta.signatureVersion;
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
    if (id === ENV_PROFILE_ID) throw new Error('The environment profile comes from environment variables; unset them to remove it.');
    await this.state.update(
      PROFILES_KEY,
      this.userMetas().filter((m) => m.id !== id),
    );
    const buckets = { ...this.addedBucketMap() };
    delete buckets[id];
    await this.state.update(ADDED_BUCKETS_KEY, buckets);
    await this.secrets.delete(SECRET_PREFIX + id);
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
      (m): m is ProfileMeta => !!m && typeof m === 'object' && typeof (m as ProfileMeta).id === 'string' && typeof (m as ProfileMeta).accessKeyId === 'string',
    );
  }

  private addedBucketMap(): Record<string, AddedBucket[]> {
    const raw = this.state.get<unknown>(ADDED_BUCKETS_KEY);
    return raw && typeof raw === 'object' ? (raw as Record<string, AddedBucket[]>) : {};
  }
}
