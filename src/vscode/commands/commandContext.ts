// What every command needs: the stores, the tree, the transfer UI and the log.
import type * as vscode from 'vscode';
import type { Logger } from '../logger.js';
import type { ClientRegistry } from '../profiles/clientRegistry.js';
import type { ProfileStore } from '../profiles/profileStore.js';
import type { ExtensionSettings } from '../settings/settings.js';
import type { BucketTreeProvider } from '../tree/bucketTreeProvider.js';
import type { TreeNode } from '../tree/treeNodes.js';
import type { TransferUi } from '../transfers/registerTransfers.js';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  store: ProfileStore;
  clients: ClientRegistry;
  tree: BucketTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  transfers: TransferUi;
  log: Logger;
  settings(): ExtensionSettings;
}
