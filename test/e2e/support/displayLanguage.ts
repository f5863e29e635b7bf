// VS Code's display language for an e2e run, set as a user sets it: a language pack installed and
// `locale` in the user's argv.json ("Configure Display Language"). VS Code (and code-server) only switch
// to a language an installed pack provides; test/e2e/fixtures/locale-<lang>/ is a pack that provides
// the language without translating VS Code, so the run stays offline and what shows in that language
// is the extension's own bundles.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installVsix } from '../../../scripts/e2e/codeServerInstance.js';
import { projectRoot } from '../../../scripts/e2e/projectPaths.js';

interface PackManifest {
  name: string;
  publisher: string;
  version: string;
  contributes: { localizations: Array<{ languageId: string; languageName: string; localizedLanguageName?: string; translations: Array<{ id: string; path: string }> }> };
}

export function useDisplayLanguage(locale: string, dirs: { root: string; userDataDir: string; extensionsDir: string }): void {
  const fixture = path.join(projectRoot, 'test', 'e2e', 'fixtures', `locale-${locale}`);
  if (!fs.existsSync(fixture)) throw new Error(`no language pack fixture for ${locale} at ${fixture}`);
  const vsix = path.join(dirs.root, `locale-${locale}.vsix`);
  const vsce = path.join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
    cwd: fixture,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`packaging the ${locale} language pack failed: ${r.stdout}${r.stderr}`);
  installVsix(vsix, dirs);
  registerLanguagePack(dirs);
  fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userDataDir, 'User', 'argv.json'), JSON.stringify({ locale }));
}

/**
 * VS Code keeps the installed language packs in <user-data>/languagepacks.json and picks the display
 * language's translations from it at startup. A running VS Code writes the entry when a pack is
 * installed (src/vs/platform/languagePacks/node/languagePacks.ts); installing from the command line,
 * as the harness does before code-server starts, does not, so the entry is written here in that
 * file's own form: per language the pack's id and version, an md5 of them, and the translation files.
 */
function registerLanguagePack(dirs: { userDataDir: string; extensionsDir: string }): void {
  const packs: Record<string, unknown> = {};
  for (const name of fs.readdirSync(dirs.extensionsDir)) {
    const manifestFile = path.join(dirs.extensionsDir, name, 'package.json');
    if (!fs.existsSync(manifestFile)) continue;
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Partial<PackManifest>;
    for (const loc of m.contributes?.localizations ?? []) {
      const id = `${m.publisher}.${m.name}`;
      packs[loc.languageId] = {
        hash: createHash('md5').update(id).update(m.version!).digest('hex'),
        extensions: [{ extensionIdentifier: { id }, version: m.version }],
        translations: Object.fromEntries(loc.translations.map((tr) => [tr.id, path.join(dirs.extensionsDir, name, tr.path)])),
        label: loc.localizedLanguageName ?? loc.languageName,
      };
    }
  }
  fs.mkdirSync(dirs.userDataDir, { recursive: true });
  fs.writeFileSync(path.join(dirs.userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}
