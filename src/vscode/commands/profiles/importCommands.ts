// "OSS: Import Profiles…": the profiles of ~/.alibabacloud/credentials, ~/.aliyun/config.json and
// ~/.ossutilconfig in one multi-select quick pick (those not imported yet are ticked); a malformed
// file is reported with its line and imports nothing, the others still offer theirs. The same
// pick is offered once on first use, when no profile exists and one of the files has some.
import * as vscode from 'vscode';
import type { ImportedProfile } from '../../../oss/credentials/files/profileFile.js';
import { kindLabel } from '../../profiles/profile.js';
import type { ProfileImporter, ScanResult } from '../../profiles/import/profileImporter.js';
import type { CommandContext } from '../commandContext.js';
import { registerCommand } from '../errorReportingCommand.js';

const OFFERED_KEY = 'ossTransfer.importOffered';

type Item = vscode.QuickPickItem & { profile: ImportedProfile };

function reportBrokenFiles(scan: ScanResult): void {
  for (const e of scan.errors) {
    void vscode.window.showWarningMessage(`${e.message}. Nothing was imported from this file, and it was not changed.`);
  }
}

async function pickAndImport(ctx: CommandContext, importer: ProfileImporter, scan: ScanResult): Promise<void> {
  const found = scan.files.flatMap((f) => f.profiles);
  for (const f of scan.files) for (const s of f.skipped) ctx.log.info(`Not importable from ${importer.short(f.file)}: profile "${s.name}", because ${s.reason}.`);
  if (found.length === 0) {
    const where = importer.locations.map((l) => importer.short(l.path)).join(', ');
    void vscode.window.showInformationMessage(scan.errors.length ? 'No other profiles to import.' : `No profiles found in ${where}.`);
    return;
  }
  const items: Item[] = found.map((p) => {
    const existing = importer.importedAs(p);
    return {
      label: p.name,
      description: [kindLabel(p.kind), p.region ?? p.endpoint ?? ''].filter(Boolean).join(' · '),
      detail: `${importer.short(p.file)}${existing ? ` — imported as "${existing.name}", kept in sync` : ''}`,
      picked: !existing,
      profile: p,
    };
  });
  const skipped = scan.files.reduce((n, f) => n + f.skipped.length, 0);
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Import OSS Profiles',
    placeHolder: `Profiles found in your Alibaba Cloud credentials files${skipped ? ` (${skipped} of a kind this extension cannot use are listed in the OSS log)` : ''}; secrets go to the system keychain`,
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) return;
  const saved = await importer.importProfiles(picked.map((i) => i.profile));
  if (!ctx.store.current() && saved[0]) await ctx.store.setCurrent(saved[0].id);
  void vscode.window.showInformationMessage(
    `Imported ${saved.length === 1 ? `profile "${saved[0]!.name}"` : `${saved.length} profiles`}; ${saved.length === 1 ? 'it follows its file' : 'they follow their files'} when ${saved.length === 1 ? 'that changes' : 'those change'}.`,
  );
}

export function registerImportCommands(ctx: CommandContext): vscode.Disposable[] {
  const importer = ctx.importer;
  return [
    registerCommand('ossTransfer.importProfiles', ctx.log, async () => {
      const scan = await importer.scan();
      reportBrokenFiles(scan);
      await pickAndImport(ctx, importer, scan);
    }),
  ];
}

/**
 * On first use (no profile at all, not offered before): if the credentials files hold profiles,
 * offer to import them. Asked once; Import Profiles… stays in the palette and the empty view.
 */
export async function offerImportOnFirstUse(ctx: CommandContext): Promise<void> {
  const state = ctx.extension.globalState;
  if (ctx.store.list().length > 0 || state.get<boolean>(OFFERED_KEY)) return;
  const scan = await ctx.importer.scan();
  const count = scan.files.reduce((n, f) => n + f.profiles.length, 0);
  if (count === 0) return;
  const where = scan.files.filter((f) => f.profiles.length).map((f) => ctx.importer.short(f.file)).join(', ');
  await state.update(OFFERED_KEY, true);
  const pick = await vscode.window.showInformationMessage(`Found ${count} Alibaba Cloud profile${count === 1 ? '' : 's'} in ${where}. Import them?`, 'Import…', 'Not Now');
  if (pick !== 'Import…') return;
  reportBrokenFiles(scan);
  await pickAndImport(ctx, ctx.importer, scan);
}
