// The one way vscode-free modules (presentation, planning, profile input) put words on the screen.
// Their messages are English source strings, looked up in the UI language through a translator the
// extension installs at activation (src/vscode/localization.ts hands over vscode.l10n); until then,
// and in unit tests, the English text is shown. Keys are the English messages themselves, as
// vscode.l10n has them: l10n/bundle.l10n.json lists them, l10n/bundle.l10n.<lang>.json translates.
//
// Call t() inside functions, never while a module loads: a message translated at import time would
// stay English (the translator and VS Code's bundle come later). A table of messages looked up later
// marks its entries with msg() and translates them with translateKey(); test/unit/l10nCompleteness
// finds every t() / msg() literal and checks each against the bundles.

export type L10nArg = string | number | boolean;

export interface Translator {
  /** `message` in the UI language, with {0}, {1}… replaced by `args`. */
  t(message: string, args: readonly L10nArg[]): string;
  /** Whether the UI language has its own text for `message` (false while English is shown). */
  has(message: string): boolean;
}

declare const messageKeyBrand: unique symbol;
/** An English message marked for the bundles with msg(); only msg() makes one. */
export type MessageKey = string & { readonly [messageKeyBrand]: true };

/** Replaces {0}, {1}… by the arguments, as vscode.l10n.t does; a placeholder without an argument stays. */
export function formatMessage(message: string, args: readonly L10nArg[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? whole : String(v);
  });
}

/** The source language: the message itself. */
export const englishTranslator: Translator = { t: formatMessage, has: () => false };

let active: Translator = englishTranslator;

/** Installs the translator of the UI language; dispose() restores the one before. */
export function useTranslator(translator: Translator): { dispose(): void } {
  const before = active;
  active = translator;
  return {
    dispose: () => {
      if (active === translator) active = before;
    },
  };
}

/** `message` (an English literal) in the UI language, with {0}, {1}… filled in. */
export function t(message: string, ...args: L10nArg[]): string {
  return active.t(message, args);
}

/** Marks an English message for the bundles without translating it now (for tables read later). */
export function msg(message: string): MessageKey {
  return message as MessageKey;
}

/** A message marked with msg(), in the UI language. */
export function translateKey(key: MessageKey, ...args: L10nArg[]): string {
  return active.t(key, args);
}

/** Whether the UI language has its own text for a marked message. */
export function isTranslated(key: MessageKey): boolean {
  return active.has(key);
}
