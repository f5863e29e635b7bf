// Registers every Buckets-view and Explorer command (the Transfers view registers its own).
import type * as vscode from 'vscode';
import { registerBucketCommands } from './buckets/bucketCommands.js';
import { registerClipboardCommands } from './clipboard/clipboardCommands.js';
import type { CommandContext } from './commandContext.js';
import { registerCreateFolderCommand } from './createFolder/createFolderCommand.js';
import { registerDeleteCommand } from './delete/deleteCommand.js';
import { registerDownloadCommand } from './download/downloadCommand.js';
import { registerMultipartCommand } from './multipart/multipartCommand.js';
import { registerOpenObject } from './openObject/openObjectCommand.js';
import { registerProfileCommands } from './profiles/profileCommands.js';
import { registerImportCommands } from './profiles/importCommands.js';
import { registerSwitchProfileCommand } from './profiles/switchProfileCommand.js';
import { registerSyncCommands } from './sync/syncCommands.js';
import { registerUploadCommands } from './upload/uploadCommands.js';
import { registerViewCommands } from './view/viewCommands.js';

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    ...registerProfileCommands(ctx),
    ...registerImportCommands(ctx),
    registerSwitchProfileCommand(ctx),
    ...registerBucketCommands(ctx),
    ...registerViewCommands(ctx),
    ...registerUploadCommands(ctx),
    registerDownloadCommand(ctx),
    registerDeleteCommand(ctx),
    registerCreateFolderCommand(ctx),
    ...registerClipboardCommands(ctx),
    ...registerOpenObject(ctx),
    registerMultipartCommand(ctx),
    ...registerSyncCommands(ctx),
  ];
}
