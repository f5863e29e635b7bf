// The `ossTransfer.*` settings as VS Code holds them, through the one reader (settingValues.ts):
// each call sees the user's latest values; a value out of range or of the wrong type is said once
// (per key and value) in the log and in a message that opens the setting.
import * as vscode from 'vscode';
import type { Timeouts } from '../../oss/types.js';
import type { TransferSettings } from '../../transfer/batch/transferTypes.js';
import type { Logger } from '../logger.js';
import {
  SettingsReader,
  settingsFrom,
  speedFloorFrom,
  syncSettingsFrom,
  transferSettingsFrom,
  type ExtensionSettings,
  type SettingValues,
  type SettingWarning,
  type SyncSettings,
} from './settingValues.js';

export type { ExtensionSettings, SyncSettings } from './settingValues.js';

export class Settings {
  private readonly reader = new SettingsReader();

  constructor(private readonly log: Logger) {}

  read(): ExtensionSettings {
    return settingsFrom(this.values());
  }

  /** What the transfer manager reads before each transfer. */
  transfer(): TransferSettings {
    return transferSettingsFrom(this.values());
  }

  /** What each OSS client is built with. */
  speedFloor(): Timeouts {
    return speedFloorFrom(this.values());
  }

  /** What a sync run's options start from. */
  sync(): SyncSettings {
    return syncSettingsFrom(this.values());
  }

  /** ossTransfer.caFile: '' or a PEM file of CAs to trust (the network options are networkSettings.ts's). */
  caFile(): string {
    return this.values().string('caFile').trim();
  }

  private values(): SettingValues {
    const c = vscode.workspace.getConfiguration('ossTransfer');
    const { values, warnings } = this.reader.read((key) => c.get(key));
    for (const w of warnings) this.warn(w);
    return values;
  }

  private warn(w: SettingWarning): void {
    this.log.warn(w.message);
    void vscode.window.showWarningMessage(w.message, vscode.l10n.t('Open Settings')).then(
      (choice) => (choice ? vscode.commands.executeCommand('workbench.action.openSettings', w.key) : undefined),
      () => undefined,
    );
  }
}

/** Fires `listener` when any ossTransfer setting changes. */
export function onSettingsChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('ossTransfer')) listener();
  });
}
