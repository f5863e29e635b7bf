// The two image-upload settings as VS Code holds them: the workspace's target
// (ossTransfer.imageUpload.target) and the name pattern (ossTransfer.imageUpload.namePattern).
// A broken value is said once (per key and value) in the log and in a message that opens the
// setting; a broken target then counts as none, a broken pattern as the default.
import * as vscode from 'vscode';
import type { Logger } from '../logger.js';
import { DEFAULT_NAME_PATTERN, namePatternProblem } from './imageNaming.js';
import { TARGET_SETTING, imageTargetSetting, readImageTarget, type ImageTarget } from './imageTarget.js';

export const NAME_PATTERN_SETTING = 'imageUpload.namePattern';

/** Where saveTarget put the target: the workspace, or the user settings when no folder is open or the workspace is not trusted. */
export type SavedIn = 'workspace' | 'user-no-folder' | 'user-untrusted';

export class ImageUploadSettings {
  private readonly warned = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  /** The target, or undefined when none is set (or the one set is broken, which is said once). */
  target(): ImageTarget | undefined {
    const config = vscode.workspace.getConfiguration('ossTransfer');
    let raw = config.get<unknown>(TARGET_SETTING);
    if (!vscode.workspace.isTrusted) {
      // A folder the user has not trusted must not choose where their pasted images are published:
      // only the user's own settings count there.
      const seen = config.inspect(TARGET_SETTING);
      if (seen?.workspaceValue !== undefined || seen?.workspaceFolderValue !== undefined) {
        this.warnOnce(
          `${TARGET_SETTING}.untrusted`,
          seen.workspaceValue ?? seen.workspaceFolderValue,
          vscode.l10n.t(
            'This workspace is not trusted, so its ossTransfer.imageUpload.target is ignored: images pasted into Markdown go only where your user settings say. Trust the workspace to use its target.',
          ),
          TARGET_SETTING,
        );
      }
      raw = seen?.globalValue;
    }
    const r = readImageTarget(raw);
    if ('target' in r) return this.fine(TARGET_SETTING, r.target);
    if ('none' in r) return this.fine(TARGET_SETTING, undefined);
    this.warnOnce(
      TARGET_SETTING,
      raw,
      vscode.l10n.t('Setting {0} {1}: images are not uploaded until it is fixed (or set again with "OSS: Set Image Upload Target…").', `ossTransfer.${TARGET_SETTING}`, r.problem),
    );
    return undefined;
  }

  namePattern(): string {
    const raw = vscode.workspace.getConfiguration('ossTransfer').get<unknown>(NAME_PATTERN_SETTING);
    // Not a string at all: the settings reader (settings.ts) already says so, for every setting.
    if (typeof raw !== 'string') return DEFAULT_NAME_PATTERN;
    const problem = namePatternProblem(raw);
    if (problem === undefined) return this.fine(NAME_PATTERN_SETTING, raw.trim());
    this.warnOnce(NAME_PATTERN_SETTING, raw, vscode.l10n.t('Setting {0} {1}: using "{2}".', `ossTransfer.${NAME_PATTERN_SETTING}`, problem, DEFAULT_NAME_PATTERN));
    return DEFAULT_NAME_PATTERN;
  }

  /**
   * Saves the target in the workspace settings; in the user settings when no folder is open (there
   * is no workspace file to hold it) or the workspace is not trusted (its value is ignored then, see
   * target()). Returns where.
   */
  async saveTarget(target: ImageTarget): Promise<SavedIn> {
    const config = vscode.workspace.getConfiguration('ossTransfer');
    const where: SavedIn = !vscode.workspace.workspaceFolders?.length ? 'user-no-folder' : !vscode.workspace.isTrusted ? 'user-untrusted' : 'workspace';
    await config.update(TARGET_SETTING, imageTargetSetting(target), where === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    return where;
  }

  /** Removes the target from every scope that holds one; false when none did. */
  async clearTarget(): Promise<boolean> {
    const config = vscode.workspace.getConfiguration('ossTransfer');
    const seen = config.inspect(TARGET_SETTING);
    let cleared = false;
    for (const [value, scope] of [
      [seen?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [seen?.globalValue, vscode.ConfigurationTarget.Global],
    ] as const) {
      if (value === undefined) continue;
      await config.update(TARGET_SETTING, undefined, scope);
      cleared = true;
    }
    return cleared;
  }

  private fine<T>(key: string, value: T): T {
    this.warned.delete(key);
    return value;
  }

  /** Says `message` once per key and value; its button opens `setting`. */
  private warnOnce(key: string, raw: unknown, message: string, setting = key): void {
    const said = JSON.stringify(raw) ?? String(raw);
    if (this.warned.get(key) === said) return;
    this.warned.set(key, said);
    this.log.warn(message);
    void vscode.window.showWarningMessage(message, vscode.l10n.t('Open Settings')).then(
      (choice) => (choice ? vscode.commands.executeCommand('workbench.action.openSettings', `ossTransfer.${setting}`) : undefined),
      () => undefined,
    );
  }
}
