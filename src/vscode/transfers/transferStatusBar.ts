// One status-bar item with the running total of everything moving (percentage and speed); hidden
// when idle, and a click opens the Transfers view. The total covers one "wave": every transfer
// that was queued or running since the last idle moment, so finishing files don't make it jump back.
import * as vscode from 'vscode';
import { BatchProgress } from '../presentation/batchProgress.js';
import { TransferSpeeds } from '../presentation/transferSpeeds.js';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { TransferItem } from '../../transfer/batch/transferTypes.js';
import { formatBytes, formatSpeed } from '../presentation/quantityFormat.js';

export const FOCUS_TRANSFERS_COMMAND = 'ossTransfer.transfers.focus';

export class TransferStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly sub: { dispose(): void };
  private wave = new Set<string>();
  private progress: BatchProgress;
  /** The steady 4/s clock while something moves. */
  private timer: NodeJS.Timeout | undefined;
  /** A pending look after an event while idle. */
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly manager: TransferManager,
    private readonly refreshMs = 250,
    /** The speeds the rows and notifications show too, so all agree. */
    private readonly speeds = new TransferSpeeds(),
  ) {
    this.progress = new BatchProgress({ speeds });
    this.item = vscode.window.createStatusBarItem('ossTransfer.transfers.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('OSS Transfers');
    this.item.command = { command: FOCUS_TRANSFERS_COMMAND, title: vscode.l10n.t('Show Transfers') };
    // The manager emits on every progress tick of every file; reading all items per event would cost
    // O(files) each time. While the clock runs it picks the changes up; while idle one look is scheduled.
    this.sub = manager.onDidChange(() => {
      if (this.timer || this.pending) return;
      this.pending = setTimeout(() => {
        this.pending = undefined;
        this.update();
      }, this.refreshMs);
    });
    this.update();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    this.sub.dispose();
    this.item.dispose();
  }

  /** One read of the items: who belongs to the wave, then the redraw (or hide when nothing moves). */
  private update(): void {
    const items = this.manager.items();
    let moving = false;
    for (const it of items) {
      if (it.state === 'running' || it.state === 'queued') {
        this.wave.add(it.id);
        moving = true;
      } else if (it.state !== 'done') {
        // Stopped without finishing (cancelled, failed, paused): it no longer moves, so it leaves the
        // total instead of counting as processed, which would overstate the others' progress.
        this.wave.delete(it.id);
      }
    }
    if (moving) {
      // Redraw on a steady 4/s clock: progress events are bursty and the speed should decay smoothly.
      this.timer ??= setInterval(() => this.update(), this.refreshMs);
      this.render(items.filter((it) => this.wave.has(it.id)));
    } else if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.wave = new Set();
      this.progress = new BatchProgress({ speeds: this.speeds });
      this.item.hide();
    }
  }

  private render(items: TransferItem[]): void {
    const snap = this.progress.sample(items, true);
    if (!snap) return;
    const active = snap.counts.running + snap.counts.queued;
    const icon = items.some((it) => it.state === 'running' && it.spec.direction === 'download') ? '$(cloud-download)' : '$(cloud-upload)';
    const pct = Math.floor(snap.percent);
    const speed = snap.bytesPerSecond > 0 ? ` · ${formatSpeed(snap.bytesPerSecond)}` : '';
    this.item.text = `${icon} ${pct}%${speed}`;
    this.item.tooltip = vscode.l10n.t(
      'OSS transfers: {0} running, {1} queued — {2} of {3}. Click to show the Transfers view.',
      snap.counts.running,
      snap.counts.queued,
      formatBytes(snap.transferredBytes),
      formatBytes(snap.totalBytes),
    );
    this.item.accessibilityInformation = {
      label: speed
        ? vscode.l10n.t('OSS transfers {0} percent, {1}, {2} active', pct, formatSpeed(snap.bytesPerSecond), active)
        : vscode.l10n.t('OSS transfers {0} percent, {1} active', pct, active),
    };
    this.item.show();
  }
}
