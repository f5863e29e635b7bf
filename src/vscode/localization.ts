// Hands VS Code's l10n (the extension's bundle for the display language, l10n/bundle.l10n.<lang>.json)
// to the vscode-free modules, which translate through presentation/translate.ts. Installed first
// thing at activation, before anything builds a message.
import * as vscode from 'vscode';
import { useTranslator, type Translator } from './presentation/translate.js';

export function vscodeTranslator(): Translator {
  return {
    t: (message, args) => vscode.l10n.t(message, ...args),
    has: (message) => vscode.l10n.bundle?.[message] !== undefined,
  };
}

export function installTranslator(): vscode.Disposable {
  return useTranslator(vscodeTranslator());
}
