// Lint for src/, test/ and scripts/: typescript-eslint's recommended rules, zero warnings, plus the
// project's layering as import restrictions, so a wrong-way import fails `npm test`:
//   src/vscode → src/transfer → src/oss; nothing below src/vscode imports `vscode`;
//   inside src/oss: client → (signing, http, xml, crc, credentials) and never back;
//   inside src/transfer: sync → batch → engine → checkpoint → locking, engine → pacing (listing and
//   paths stand alone);
//   src/vscode/planning and src/vscode/presentation stay vscode-free so they are unit-tested directly
//   (and so do the Markdown image files named below).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const VSCODE = { name: 'vscode', message: 'Only src/vscode (outside planning/ and presentation/) and src/extension.ts may import vscode.' };

/** A no-restricted-imports rule forbidding `vscode` (when asked) and imports into the named folders. */
function restrict({ vscode, folders, why }) {
  return [
    'error',
    {
      paths: vscode ? [VSCODE] : [],
      patterns: folders.length ? [{ group: folders.map((f) => `**/${f}/**`), message: why }] : [],
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.demo-data/**', 'test-results/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    // Sources import './x.js' that is './x.ts' on disk (Node16 module resolution): map it so no-cycle sees every edge.
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // A closure may read a binding that is assigned once, later (extension.ts wires the drop handler before the commands exist).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/oss/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['transfer', 'vscode'], why: 'src/oss is the bottom layer: it imports nothing from src/transfer or src/vscode.' }) },
  },
  {
    files: ['src/oss/signing/**/*.ts', 'src/oss/http/**/*.ts', 'src/oss/xml/**/*.ts', 'src/oss/crc/**/*.ts', 'src/oss/credentials/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['transfer', 'vscode', 'client'], why: 'Signing, HTTP, XML, CRC and credentials are the client\'s tools: they never import the client they serve.' }) },
  },
  {
    files: ['src/transfer/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['vscode'], why: 'src/transfer must not import src/vscode (layering: vscode → transfer → oss).' }) },
  },
  {
    files: ['src/transfer/batch/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['vscode', 'sync'], why: 'Sync runs through the batch layer, never the other way (sync → batch → engine).' }) },
  },
  {
    files: ['src/transfer/engine/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['vscode', 'batch', 'listing', 'sync'], why: 'The part engines know nothing of batches or listing (batch → engine → checkpoint → locking).' }) },
  },
  {
    files: ['src/transfer/pacing/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['vscode', 'batch', 'engine', 'checkpoint', 'locking', 'listing', 'paths', 'sync'], why: 'Pacing (slots, the concurrency controller, the bandwidth cap) sits below the engines: batch → engine → pacing.' }) },
  },
  {
    files: ['src/transfer/checkpoint/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['vscode', 'batch', 'engine', 'listing', 'sync'], why: 'Checkpoint storage sits below the engines (batch → engine → checkpoint → locking).' }) },
  },
  {
    files: ['src/transfer/locking/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['vscode', 'batch', 'engine', 'checkpoint', 'listing', 'sync'], why: 'Locking is the lowest room of src/transfer (batch → engine → checkpoint → locking).' }) },
  },
  {
    files: ['src/transfer/listing/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['vscode', 'batch', 'engine', 'checkpoint', 'locking', 'sync'], why: 'Listing helpers depend on the OSS client only.' }) },
  },
  {
    files: ['src/transfer/paths/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: ['vscode', 'batch', 'engine', 'checkpoint', 'locking', 'listing', 'sync'], why: 'Key/path mapping and the local folder walk stand alone: every room may use them.' }) },
  },
  {
    files: ['src/vscode/planning/**/*.ts', 'src/vscode/presentation/**/*.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: [], why: '' }) },
  },
  {
    // The Markdown image paste/drop: naming, links, the target setting and the upload stay vscode-free (unit- and integration-tested directly).
    files: ['src/vscode/markdown/imageNaming.ts', 'src/vscode/markdown/imageLink.ts', 'src/vscode/markdown/imageTarget.ts', 'src/vscode/markdown/imageUploader.ts'],
    rules: { 'no-restricted-imports': restrict({ vscode: true, folders: [], why: '' }) },
  },
  {
    // Tests use non-null assertions on fixtures they built themselves, and empty catch-alls in teardown.
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-empty': ['error', { allowEmptyCatch: true }] },
  },
);
