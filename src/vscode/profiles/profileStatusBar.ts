// The status-bar item of the current profile ("$(account) Production"): a click runs Switch
// Profile. Hidden while there is no profile at all; "choose" while none is current.
import * as vscode from 'vscode';
import { Disposable } from '../disposable.js';
import { kindLabel, kindOf } from './profile.js';
import type { ProfileStore } from './profileStore.js';

export class ProfileStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly store: ProfileStore,
    command: string,
  ) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('ossTransfer.profile', vscode.StatusBarAlignment.Left, 49));
    this.item.name = vscode.l10n.t('OSS Profile');
    this.item.command = { command, title: vscode.l10n.t('Switch OSS Profile') };
    this.register(store.onDidChange(() => this.update()));
    this.register(store.onDidChangeCurrent(() => this.update()));
    this.update();
  }

  private update(): void {
    const all = this.store.list();
    if (all.length === 0) {
      this.item.hide();
      return;
    }
    const current = this.store.current();
    if (current) {
      this.item.text = `$(account) ${current.name}`;
      const where = current.endpoint ?? current.region ?? '';
      const what = where ? vscode.l10n.t('{0}, {1}', kindLabel(kindOf(current)), where) : kindLabel(kindOf(current));
      this.item.tooltip = vscode.l10n.t('OSS profile: {0} ({1}). Click to switch.', current.name, what);
      this.item.accessibilityInformation = { label: vscode.l10n.t('OSS profile {0}, click to switch', current.name) };
    } else {
      this.item.text = `$(account) ${vscode.l10n.t('OSS: choose profile')}`;
      this.item.tooltip = vscode.l10n.t('No current OSS profile: commands ask which profile to use. Click to choose one.');
      this.item.accessibilityInformation = { label: vscode.l10n.t('No current OSS profile, click to choose one') };
    }
    this.item.show();
  }
}
