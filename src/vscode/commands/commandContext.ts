// What every command needs: the stores, the tree, the transfer UI and manager, the log and settings.
import type * as vscode from 'vscode';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { Logger } from '../logger.js';
import type { ClientRegistry } from '../profiles/clientRegistry.js';
import type { ProfileStore } from '../profiles/profileStore.js';
import type { ProfileImporter } from '../profiles/import/profileImporter.js';
import type { ExtensionSettings, SyncSettings } from '../settings/settings.js';
import type { BucketTreeProvider } from '../tree/bucketTreeProvider.js';
import type { TreeNode } from '../tree/treeNodes.js';
import type { SyncRemainders } from '../sync/syncRemainders.js';
import type { TransferUi } from '../transfers/registerTransfers.js';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  store: ProfileStore;
  importer: ProfileImporter;
  clients: ClientRegistry;
  tree: BucketTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  transfers: TransferUi;
  /** The extension's one TransferManager (sync runs its batch in it, so it shows in the Transfers view). */
  manager: TransferManager;
  /** Finishes syncs whose batch outlived them (a reload, a resume after a cancel). */
  syncRemainders: SyncRemainders;
  log: Logger;
  settings(): ExtensionSettings;
  /** What each sync run's options start from. */
  syncSettings(): SyncSettings;
}
