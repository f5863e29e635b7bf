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
    void vscode.window.showWarningMessage(vscode.l10n.t('{0}. Nothing was imported from this file, and it was not changed.', e.message));
  }
}

async function pickAndImport(ctx: CommandContext, importer: ProfileImporter, scan: ScanResult): Promise<void> {
  const found = scan.files.flatMap((f) => f.profiles);
  for (const f of scan.files) for (const s of f.skipped) ctx.log.info(`Not importable from ${importer.short(f.file)}: profile "${s.name}", because ${s.reason}.`);
  if (found.length === 0) {
    const where = importer.locations.map((l) => importer.short(l.path)).join(', ');
    void vscode.window.showInformationMessage(scan.errors.length ? vscode.l10n.t('No other profiles to import.') : vscode.l10n.t('No profiles found in {0}.', where));
    return;
  }
  const items: Item[] = found.map((p) => {
    const existing = importer.importedAs(p);
    return {
      label: p.name,
      description: [kindLabel(p.kind), p.region ?? p.endpoint ?? ''].filter(Boolean).join(' · '),
      detail: existing ? vscode.l10n.t('{0} — imported as "{1}", kept in sync', importer.short(p.file), existing.name) : importer.short(p.file),
      picked: !existing,
      profile: p,
    };
  });
  const skipped = scan.files.reduce((n, f) => n + f.skipped.length, 0);
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Import OSS Profiles'),
    placeHolder: skipped
      ? vscode.l10n.t(
          'Profiles found in your Alibaba Cloud credentials files ({0} of a kind this extension cannot use are listed in the OSS log); secrets go to the system keychain',
          skipped,
        )
      : vscode.l10n.t('Profiles found in your Alibaba Cloud credentials files; secrets go to the system keychain'),
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) return;
  const saved = await importer.importProfiles(picked.map((i) => i.profile));
  if (!ctx.store.current() && saved[0]) await ctx.store.setCurrent(saved[0].id);
  void vscode.window.showInformationMessage(
    saved.length === 1
      ? vscode.l10n.t('Imported profile "{0}"; it follows its file when that changes.', saved[0]!.name)
      : vscode.l10n.t('Imported {0} profiles; they follow their files when those change.', saved.length),
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
  const importChoice = vscode.l10n.t('Import…');
  const pick = await vscode.window.showInformationMessage(
    count === 1 ? vscode.l10n.t('Found 1 Alibaba Cloud profile in {0}. Import it?', where) : vscode.l10n.t('Found {0} Alibaba Cloud profiles in {1}. Import them?', count, where),
    importChoice,
    vscode.l10n.t('Not Now'),
  );
  if (pick !== importChoice) return;
  reportBrokenFiles(scan);
  await pickAndImport(ctx, ctx.importer, scan);
}
