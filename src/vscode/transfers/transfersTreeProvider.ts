// The Transfers view: one row per batch with its counts (done / failed / remaining / bytes), which
// expands to the items worth a row of their own (running, failed, paused, interrupted); a one-file
// batch stays a plain row labelled with the object's name. contextValues drive the actions in
// package.json: `transfer.<state>` on an item, `transferBatch <words>` on a batch (batchRows.ts).
// The rows are built once per refresh from one read of the items, and refreshes are throttled,
// so a folder of 10,000 files costs the same few redraws a second as one file.
import * as vscode from 'vscode';
import { describeError } from '../presentation/errorAdvice.js';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { TransferItem } from '../../transfer/batch/transferTypes.js';
import {
  batchContextValue,
  batchLabel,
  buildTransfersModel,
  describeBatch,
  hiddenChildrenText,
  type BatchSummary,
  type TransfersModel,
} from '../presentation/batchRows.js';
import { formatBytes, formatCount, formatPercent } from '../presentation/quantityFormat.js';
import { destinationName, rowDescription, stateWord } from '../presentation/transferText.js';
import { TransferSpeeds } from '../presentation/transferSpeeds.js';

const BATCH_PREFIX = 'batch:';
const MORE_PREFIX = 'more:';

/** The tree element of a batch row, and back: what the batch commands receive when clicked. */
export function batchElement(key: string): string {
  return BATCH_PREFIX + key;
}
export function batchKeyOf(element: unknown): string | undefined {
  return typeof element === 'string' && element.startsWith(BATCH_PREFIX) ? element.slice(BATCH_PREFIX.length) : undefined;
}

export interface TransfersTreeOptions {
  /** Least time between two redraws (~4/s). */
  refreshMs?: number;
  /** The name the UI gave a batch when it started it. */
  labelOf?: (batchId: string) => string | undefined;
  /** The speeds the notifications and the status bar show too, so a row agrees with them. */
  speeds?: TransferSpeeds;
}

/** Elements are transfer ids (and `batch:<id>` for batch rows), so rows keep their identity (selection, focus) across refreshes. */
export class TransfersTreeProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: { dispose(): void };
  private readonly refreshMs: number;
  private readonly speeds: TransferSpeeds;
  private timer: NodeJS.Timeout | undefined;
  /** While something runs: looks whether a running row's speed or time left would read differently. */
  private clock: NodeJS.Timeout | undefined;
  /** The description each running row was last drawn with. */
  private readonly drawn = new Map<string, string>();
  private model: TransfersModel | undefined;
  /** Set when a redraw is announced: the next ask rebuilds the rows, later asks reuse them. */
  private stale = true;

  constructor(
    private readonly manager: TransferManager,
    private readonly opts: TransfersTreeOptions = {},
  ) {
    this.refreshMs = opts.refreshMs ?? 250;
    this.speeds = opts.speeds ?? new TransferSpeeds();
    // Progress arrives many times a second per file: an event only schedules a redraw (O(1)), at most
    // ~4 a second, and each redraw rebuilds the rows once however many asks VS Code makes for it.
    this.sub = manager.onDidChange(() => this.schedule());
  }

  getChildren(element?: string): string[] {
    const m = this.rows();
    if (!element) return m.rows.map((r) => (r.kind === 'item' ? r.id : batchElement(r.batch.key)));
    const key = batchKeyOf(element);
    const b = key === undefined ? undefined : m.batches.get(key);
    if (!b) return [];
    return b.hiddenChildren ? [...b.childIds, MORE_PREFIX + b.key] : b.childIds;
  }

  getTreeItem(element: string): vscode.TreeItem {
    const key = batchKeyOf(element);
    if (key !== undefined) {
      const b = this.rows().batches.get(key);
      return b ? this.batchRow(b) : new vscode.TreeItem(vscode.l10n.t('(finished)'));
    }
    if (element.startsWith(MORE_PREFIX)) {
      const b = this.rows().batches.get(element.slice(MORE_PREFIX.length));
      const row = new vscode.TreeItem(b ? hiddenChildrenText(b) : '…', vscode.TreeItemCollapsibleState.None);
      row.id = element;
      return row;
    }
    const it = this.manager.get(element);
    if (!it) return new vscode.TreeItem(vscode.l10n.t('(removed)'));
    // Named by the file where it lands, with the folder it goes to: a "Keep both" copy and the same
    // object downloaded twice read differently.
    const name = destinationName(it.spec);
    const row = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    row.id = it.id;
    // The speed and time left every other place shows, not the engine's own figure.
    row.description = this.describe(it);
    if (it.state === 'running') this.drawn.set(it.id, row.description);
    else this.drawn.delete(it.id);
    row.tooltip = tooltipOf(it);
    row.iconPath = iconOf(it.state);
    row.contextValue = `transfer.${it.state}`;
    row.accessibilityInformation = {
      label: it.spec.direction === 'upload' ? vscode.l10n.t('Upload {0}, {1}', name, row.description) : vscode.l10n.t('Download {0}, {1}', name, row.description),
    };
    return row;
  }

  /** Parent lookup for TreeView.reveal: an item listed under a batch row has it as parent. */
  getParent(element: string): string | undefined {
    if (element.startsWith(MORE_PREFIX)) return batchElement(element.slice(MORE_PREFIX.length));
    const key = this.rows().parentOf.get(element);
    return key === undefined ? undefined : batchElement(key);
  }

  /** The batch's members as the rows last showed them (for the batch commands). */
  batch(key: string): BatchSummary | undefined {
    return this.rows().batches.get(key);
  }

  refresh(): void {
    this.stale = true;
    this.changed.fire(undefined);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.clock) clearTimeout(this.clock);
    this.sub.dispose();
    this.changed.dispose();
  }

  private rows(): TransfersModel {
    if (this.stale || !this.model) {
      const items = this.manager.items();
      this.speeds.observe(items);
      this.model = buildTransfersModel(items);
      this.stale = false;
      const running = new Set(items.filter((it) => it.state === 'running').map((it) => it.id));
      for (const id of this.drawn.keys()) if (!running.has(id)) this.drawn.delete(id);
      if (running.size) this.tick();
    }
    return this.model;
  }

  /** A row's words, with the speed and time left every other place shows (not the engine's own figure). */
  private describe(it: TransferItem): string {
    return rowDescription({ ...it, bytesPerSecond: this.speeds.speedOf(it.id), etaSeconds: this.speeds.etaOf(it) });
  }

  /**
   * While something runs, events or not, a running row whose speed or time left now reads
   * differently (a stall decays the speed) is redrawn; a row that would read the same is left alone,
   * so its buttons stay still under the mouse.
   */
  private tick(): void {
    if (this.clock) return;
    this.clock = setTimeout(() => {
      this.clock = undefined;
      if (this.stale) return; // a redraw is coming anyway
      const items = this.manager.items();
      this.speeds.observe(items);
      const running = items.filter((it) => it.state === 'running');
      if (running.some((it) => this.drawn.has(it.id) && this.drawn.get(it.id) !== this.describe(it))) this.refresh();
      else if (running.length) this.tick();
    }, this.refreshMs);
    this.clock.unref?.();
  }

  private batchRow(b: BatchSummary): vscode.TreeItem {
    const label = batchLabel(b, this.opts.labelOf?.(b.key));
    const hasChildren = b.childIds.length > 0 || b.hiddenChildren > 0;
    const row = new vscode.TreeItem(label, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    row.id = batchElement(b.key);
    row.description = describeBatch(b);
    row.iconPath = iconOf(b.state);
    row.contextValue = batchContextValue(b);
    const c = b.counts;
    // The label comes from file names: appended as text, so it is never read as markdown.
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.appendText(label);
    md.appendMarkdown(` — ${stateWord(b.state)}\n\n`);
    const counts = [
      vscode.l10n.t('{0} done', formatCount(c.done)),
      vscode.l10n.t('{0} failed', formatCount(c.failed)),
      vscode.l10n.t('{0} running', formatCount(c.running)),
      vscode.l10n.t('{0} queued', formatCount(c.queued)),
    ];
    if (c.paused) counts.push(vscode.l10n.t('{0} paused', formatCount(c.paused)));
    if (c.cancelled) counts.push(vscode.l10n.t('{0} cancelled', formatCount(c.cancelled)));
    if (c.interrupted) counts.push(vscode.l10n.t('{0} interrupted', formatCount(c.interrupted)));
    md.appendMarkdown(
      `${counts.join(vscode.l10n.t(', '))}\n\n` +
        vscode.l10n.t('{0} of {1} ({2})', formatBytes(b.transferredBytes), formatBytes(b.totalBytes), formatPercent(b.transferredBytes, b.totalBytes)),
    );
    row.tooltip = md;
    row.accessibilityInformation = { label: `${label}, ${describeBatch(b)}` };
    return row;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, this.refreshMs);
  }
}

function tooltipOf(it: TransferItem): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  const s = it.spec;
  const object = `\`oss://${s.bucket}/${s.key}\``;
  const local = `\`${s.file}\``;
  md.appendMarkdown(`**${s.direction === 'upload' ? vscode.l10n.t('Upload') : vscode.l10n.t('Download')}** — ${stateWord(it.state)}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('From: {0}', s.direction === 'upload' ? local : object)}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('To: {0}', s.direction === 'upload' ? object : local)}\n\n`);
  md.appendMarkdown(
    vscode.l10n.t('Progress: {0} of {1} ({2})', formatBytes(it.transferredBytes), formatBytes(it.totalBytes), formatPercent(it.transferredBytes, it.totalBytes)),
  );
  if (it.error !== undefined) {
    const a = describeError(it.error);
    md.appendMarkdown(`\n\n${a.nextStep ? vscode.l10n.t('{0}. {1}', a.summary, a.nextStep) : vscode.l10n.t('{0}.', a.summary)}`);
    if (a.code || a.requestId) {
      md.appendMarkdown(`\n\n${[a.code, a.status, a.requestId && vscode.l10n.t('request id {0}', a.requestId)].filter(Boolean).join(' · ')}`);
    }
  }
  if (it.state === 'interrupted') md.appendMarkdown(`\n\n${vscode.l10n.t('Left over from an earlier session; Resume continues from its checkpoint.')}`);
  return md;
}

function iconOf(state: TransferItem['state']): vscode.ThemeIcon {
  switch (state) {
    case 'running':
      return new vscode.ThemeIcon('sync~spin');
    case 'queued':
      return new vscode.ThemeIcon('clock');
    case 'paused':
      return new vscode.ThemeIcon('debug-pause');
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    case 'interrupted':
      return new vscode.ThemeIcon('debug-disconnect');
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash');
    case 'done':
      return new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed'));
  }
}
