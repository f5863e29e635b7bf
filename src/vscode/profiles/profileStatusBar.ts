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
    this.item.name = 'OSS Profile';
    this.item.command = { command, title: 'Switch OSS Profile' };
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
      this.item.tooltip = `OSS profile: ${current.name} (${kindLabel(kindOf(current))}${where ? `, ${where}` : ''}). Click to switch.`;
      this.item.accessibilityInformation = { label: `OSS profile ${current.name}, click to switch` };
    } else {
      this.item.text = '$(account) OSS: choose profile';
      this.item.tooltip = 'No current OSS profile: commands ask which profile to use. Click to choose one.';
      this.item.accessibilityInformation = { label: 'No current OSS profile, click to choose one' };
    }
    this.item.show();
  }
}
