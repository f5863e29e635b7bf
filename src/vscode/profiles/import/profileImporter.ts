// Imports profiles from the credentials files of the Alibaba Cloud SDKs, the aliyun CLI and ossutil,
// and keeps them in sync: each file is watched (polled every few seconds, which works for files
// outside any workspace and for files created later) and re-read when it changes, and every
// imported profile is brought in line with its file once at activation. Secrets go to SecretStorage
// through the profile store; this class never logs one.
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import * as os from 'node:os';
import { ProfileFileError, type ImportedProfile, type ParsedProfileFile } from '../../../oss/credentials/files/profileFile.js';
import { profileFileLocations, readProfileFile, type ProfileFileLocation } from '../../../oss/credentials/files/profileFiles.js';
import { Disposable } from '../../disposable.js';
import type { Logger } from '../../logger.js';
import type { Profile } from '../profile.js';
import type { ProfileStore } from '../profileStore.js';
import { displayName, importedData, planSync, sameOrigin, originOf, type StoredImport } from './importedProfiles.js';

export interface ScanResult {
  files: ParsedProfileFile[];
  /** Files that could not be read as their format: nothing is imported from them, nothing changed. */
  errors: ProfileFileError[];
}

export interface ImporterOptions {
  home?: string;
  env?: Record<string, string | undefined>;
  /** How often the files are looked at, ms; 0 turns watching off. */
  pollMs?: number;
}

/** `~/.aliyun/config.json` for messages, when the file is under the home folder. */
export function shortPath(file: string, home: string = os.homedir()): string {
  return home && file.startsWith(`${home}/`) ? `~${file.slice(home.length)}` : file;
}

export class ProfileImporter extends Disposable {
  readonly locations: ProfileFileLocation[];
  private readonly home: string;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: ProfileStore,
    private readonly log: Logger,
    opts: ImporterOptions = {},
  ) {
    super();
    this.home = opts.home ?? os.homedir();
    this.locations = profileFileLocations(this.home, opts.env ?? process.env);
    const pollMs = opts.pollMs ?? 3000;
    if (pollMs > 0) for (const loc of this.locations) this.watch(loc, pollMs);
    this.register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
  }

  short(file: string): string {
    return shortPath(file, this.home);
  }

  /** Reads the three files; missing ones are skipped, malformed ones reported. */
  async scan(): Promise<ScanResult> {
    const out: ScanResult = { files: [], errors: [] };
    for (const loc of this.locations) {
      try {
        const parsed = await readProfileFile(loc);
        if (parsed) out.files.push(parsed);
      } catch (e) {
        if (e instanceof ProfileFileError) out.errors.push(e);
        else throw e;
      }
    }
    return out;
  }

  /** The stored profile imported from `p`'s entry, if any. */
  importedAs(p: ImportedProfile): Profile | undefined {
    const origin = originOf(p);
    return this.store.list().find((s) => sameOrigin(s.imported, origin));
  }

  /** Adds the profiles (or refreshes those imported before); returns them in order. */
  async importProfiles(picked: readonly ImportedProfile[]): Promise<Profile[]> {
    const out: Profile[] = [];
    for (const p of picked) {
      const existing = this.importedAs(p);
      const taken = this.store.list().filter((s) => s.id !== existing?.id).map((s) => s.name);
      const data = importedData(p, existing?.name ?? displayName(p, taken));
      const saved = await this.store.save({ ...data.meta, ...(existing ? { id: existing.id } : {}) }, data.secret);
      for (const note of data.notes) this.log.info(`Imported profile "${saved.name}": ${note}.`);
      this.log.info(`Profile "${saved.name}" ${existing ? 'refreshed' : 'imported'} from ${this.short(p.file)} (${p.kind}); it follows that file from now on.`);
      out.push(saved);
    }
    return out;
  }

  /** Brings the profiles imported from every file in line with it (at activation). */
  async syncAll(): Promise<void> {
    for (const loc of this.locations) await this.syncFile(loc);
  }

  /** Re-reads one file and applies what changed to the profiles imported from it. */
  async syncFile(loc: ProfileFileLocation): Promise<void> {
    const mine = this.store.list().filter((p) => p.imported?.format === loc.format && p.imported.file === loc.path);
    if (mine.length === 0) return;
    let parsed: ParsedProfileFile | undefined;
    try {
      parsed = await readProfileFile(loc);
    } catch (e) {
      // A half-written or broken file changes nothing: the profiles keep what they had.
      this.log.warn(`${(e as Error).message}. The profiles imported from it keep their current credentials until it can be read again.`);
      return;
    }
    const file: ParsedProfileFile = parsed ?? { format: loc.format, file: loc.path, profiles: [], skipped: [] };
    const stored: StoredImport[] = [];
    for (const profile of mine) stored.push({ profile, secret: await this.store.secret(profile).catch(() => undefined) });
    const plan = planSync(stored, file);
    for (const u of plan.updates) {
      await this.store.save({ ...u.meta, id: u.id }, u.secret);
      this.log.info(`Profile "${u.meta.name}" updated from ${this.short(loc.path)}${u.secret ? ' (new credentials)' : ''}.`);
    }
    for (const g of plan.gone) {
      this.log.warn(`Profile "${g.name}" is no longer in ${this.short(loc.path)}; it is kept with its last credentials. Remove it, or import it again once it is back.`);
    }
  }

  private watch(loc: ProfileFileLocation, pollMs: number): void {
    const onChange = (cur: Stats, prev: Stats): void => {
      if (cur.mtimeMs === prev.mtimeMs && cur.size === prev.size && cur.ino === prev.ino) return;
      // Editors write in steps: wait for the file to settle before reading it.
      clearTimeout(this.timers.get(loc.path));
      this.timers.set(
        loc.path,
        setTimeout(() => {
          this.timers.delete(loc.path);
          this.syncFile(loc).catch((e: unknown) => this.log.warn(`Re-reading ${this.short(loc.path)} failed: ${(e as Error).message}`));
        }, 300),
      );
    };
    watchFile(loc.path, { interval: pollMs, persistent: false }, onChange);
    this.register({ dispose: () => unwatchFile(loc.path, onChange) });
  }
}
