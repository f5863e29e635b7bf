// Activation: builds the services (log, profiles, clients, transfer manager) and registers the
// Buckets tree, the Transfers view and every command. Nothing here waits on the network, so
// activation stays fast; the tree loads when it is first shown.
import * as vscode from 'vscode';
import { TransferManager } from './transfer/batch/transferManager.js';
import type { CommandContext } from './vscode/commands/commandContext.js';
import { registerCommands } from './vscode/commands/registerCommands.js';
import { dropUploader } from './vscode/commands/upload/uploadCommands.js';
import { installTranslator } from './vscode/localization.js';
import { Logger } from './vscode/logger.js';
import { registerMarkdownImages } from './vscode/markdown/registerMarkdownImages.js';
import { ClientRegistry } from './vscode/profiles/clientRegistry.js';
import { ProfileStore } from './vscode/profiles/profileStore.js';
import { ProfileImporter } from './vscode/profiles/import/profileImporter.js';
import { ProfileStatusBar } from './vscode/profiles/profileStatusBar.js';
import { offerImportOnFirstUse } from './vscode/commands/profiles/importCommands.js';
import { SWITCH_PROFILE_COMMAND } from './vscode/commands/profiles/switchProfileCommand.js';
import { Settings, onSettingsChange } from './vscode/settings/settings.js';
import { registerTransfers } from './vscode/transfers/registerTransfers.js';
import { syncStateDir } from './vscode/commands/sync/syncCommands.js';
import { SyncRemainders } from './vscode/sync/syncRemainders.js';
import { checkpointDirFor } from './vscode/settings/checkpointFolder.js';
import { NetworkSettings, onNetworkSettingsChange } from './vscode/settings/networkSettings.js';
import { BucketDragAndDrop } from './vscode/tree/bucketDragAndDrop.js';
import { BucketTreeProvider } from './vscode/tree/bucketTreeProvider.js';
import { ExpansionMemory } from './vscode/tree/expansionMemory.js';

export const BUCKETS_VIEW_ID = 'ossTransfer.buckets';

/** Set while active: deactivate() waits on it so no transfer writes after the window goes. */
let closeTransfers: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  // Before anything builds a message: the vscode-free modules translate through it.
  context.subscriptions.push(installTranslator());
  const channel = vscode.window.createOutputChannel('OSS', { log: true });
  context.subscriptions.push(channel);
  const log = new Logger(channel);
  const version = (context.extension.packageJSON as { version?: string }).version ?? '?';
  log.info(`OSS Transfer ${version} activating (display language ${vscode.env.language}).`);

  const store = new ProfileStore(context.globalState, context.secrets);
  const importer = new ProfileImporter(store, log.child('import'));
  context.subscriptions.push(importer, new ProfileStatusBar(store, SWITCH_PROFILE_COMMAND));
  const settings = new Settings(log.child('settings'));
  const readSettings = () => settings.read();
  let signature = readSettings().signatureVersion;
  let speedFloor = JSON.stringify(settings.speedFloor());
  const network = new NetworkSettings(() => settings.caFile(), log.child('network'));
  const clients = new ClientRegistry(store, log, () => readSettings().signatureVersion, () => settings.speedFloor(), () => network.options());
  const expansion = new ExpansionMemory(context.workspaceState);
  const tree = new BucketTreeProvider(store, clients, readSettings, log, expansion);
  context.subscriptions.push(store, clients, tree);

  context.subscriptions.push(
    onSettingsChange(() => {
      const s = readSettings();
      // Profiles that follow the setting sign differently now: rebuild their clients.
      // Clients take the speed floor when built: rebuild them when it changes too.
      const floor = JSON.stringify(settings.speedFloor());
      if (s.signatureVersion !== signature || floor !== speedFloor) {
        signature = s.signatureVersion;
        speedFloor = floor;
        clients.reset();
      }
      tree.refresh();
    }),
    // Proxy and CAs: new clients (and so new requests) use the new settings; a running transfer
    // finishes on the client it holds.
    onNetworkSettingsChange(() => {
      network.changed();
      clients.reset();
      tree.refresh();
    }),
  );

  const manager = new TransferManager({
    clientFor: (profileId, bucket) => clients.clientFor(profileId, bucket),
    checkpointDir: checkpointDirFor(context),
    settings: () => settings.transfer(),
    log: log.child('manager'),
  });
  context.subscriptions.push({ dispose: () => manager.dispose() }, onSettingsChange(manager.settingsChanged));
  const transfers = registerTransfers(context, manager, log);
  // Follows the batches of syncs that outlived their window (restoring them is under way meanwhile;
  // a restored batch is picked up whenever it arrives) and finishes those syncs.
  const syncRemainders = new SyncRemainders({
    manager,
    stateDir: syncStateDir(context),
    client: (profileId, bucket) => clients.clientFor(profileId, bucket),
    log: log.child('sync'),
    afterSync: (f) => {
      if (f.direction === 'upload') tree.refreshPrefix(f.profileId, f.pair.bucket, f.pair.prefix);
    },
  });
  context.subscriptions.push(syncRemainders);
  closeTransfers = async () => {
    await manager.close();
    // A sync whose batch the closing stopped writes what remains of it for the next window.
    await syncRemainders.close();
  };

  let ctx: CommandContext | undefined;
  const treeView = vscode.window.createTreeView(BUCKETS_VIEW_ID, {
    treeDataProvider: tree,
    dragAndDropController: new BucketDragAndDrop((target, paths) => (ctx ? dropUploader(ctx)(target, paths) : Promise.resolve()), log.child('drop')),
    canSelectMany: true,
    showCollapseAll: true,
  });
  context.subscriptions.push(treeView, ...expansion.watch(treeView, (node) => node.id));

  ctx = { extension: context, store, importer, clients, tree, treeView, transfers, manager, syncRemainders, log, settings: readSettings, syncSettings: () => settings.sync() };
  context.subscriptions.push(...registerCommands(ctx));
  context.subscriptions.push(...registerMarkdownImages(ctx));
  log.info(`Ready: ${store.list().length} profile(s).`);
  // Off the activation path: imported profiles catch up with their files, and a first-time user
  // with credentials files is offered to import them.
  const started = ctx;
  void importer
    .syncAll()
    .then(() => offerImportOnFirstUse(started))
    .catch((e: unknown) => log.warn(`Reading the Alibaba Cloud credentials files failed: ${(e as Error).message}`));
}

export function deactivate(): Promise<void> | undefined {
  // Returning the promise lets VS Code wait until every transfer has stopped and handed its journal
  // record back, so the next window can resume them; checkpoints are kept.
  const close = closeTransfers;
  closeTransfers = undefined;
  return close?.();
}
