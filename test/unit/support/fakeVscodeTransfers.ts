// The one fake `vscode` module of the tests: the slice of the API the Transfers UI, the Buckets
// tree, the profile store and the client registry use, recording what the UI shows (progress
// reports, messages, status bar, tree) and answering messages the way a test scripts it. Anything
// not listed here fails loudly when touched. `installFakeVscode()` must run before any module
// importing 'vscode' is loaded (test/integration/fakeVscode.ts re-exports it with in-memory
// Memento, SecretStorage and LogOutputChannel).
import Module from 'node:module';
import { formatMessage, type L10nArg } from '../../../src/vscode/presentation/translate.js';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (l: Listener<T>): { dispose(): void } => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  contextValue?: string;
  iconPath?: unknown;
  resourceUri?: unknown;
  command?: unknown;
  accessibilityInformation?: { label: string };
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}
export class ThemeIcon {
  static readonly Folder = new ThemeIcon('folder');
  static readonly File = new ThemeIcon('file');
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class MarkdownString {
  isTrusted = false;
  constructor(public value = '') {}
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendText(s: string): this {
    this.value += s;
    return this;
  }
}
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  static file(p: string): Uri {
    return new Uri('file', p, '');
  }
  static from(c: { scheme: string; path?: string; query?: string }): Uri {
    return new Uri(c.scheme, c.path ?? '', c.query ?? '');
  }
}

export interface ProgressRun {
  title: string;
  reports: Array<{ increment?: number; message?: string }>;
  cancel(): void;
  done: boolean;
}
export interface Shown {
  kind: 'info' | 'warning' | 'error';
  text: string;
  actions: string[];
}

/** What the UI did, and how the "user" answers. */
export const recorder = {
  progress: [] as ProgressRun[],
  messages: [] as Shown[],
  executed: [] as Array<{ command: string; args: unknown[] }>,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  statusBar: undefined as undefined | { text: string; visible: boolean; tooltip?: unknown; command?: unknown },
  treeProvider: undefined as undefined | { getChildren(e?: unknown): unknown; getTreeItem(e: unknown): TreeItem },
  treeView: undefined as undefined | { selection: unknown[]; badge?: unknown; message?: string },
  /** Returns the action to pick for a message, or undefined to dismiss it. */
  answer: (_m: Shown): string | undefined => undefined,
  config: {} as Record<string, unknown>,
  /** Values set in the workspace's settings (they win over `config`, the user's). */
  workspaceConfig: {} as Record<string, unknown>,
  /** What configuration.update() was asked to write (target: 1 user, 2 workspace). */
  configUpdates: [] as Array<{ key: string; value: unknown; target: number }>,
  trusted: true,
  folders: undefined as undefined | unknown[],
  reset(): void {
    this.progress.length = 0;
    this.messages.length = 0;
    this.executed.length = 0;
    this.commands.clear();
    this.statusBar = undefined;
    this.treeProvider = undefined;
    this.treeView = undefined;
    this.answer = () => undefined;
  },
};

function show(kind: Shown['kind']) {
  return (text: string, ...actions: unknown[]): Promise<string | undefined> => {
    const m: Shown = { kind, text, actions: actions.filter((a): a is string => typeof a === 'string') };
    recorder.messages.push(m);
    return Promise.resolve(recorder.answer(m));
  };
}

export const window = {
  createTreeView(_id: string, opts: { treeDataProvider: NonNullable<typeof recorder.treeProvider> }) {
    recorder.treeProvider = opts.treeDataProvider;
    const view = { selection: [] as unknown[], badge: undefined as unknown, message: undefined as string | undefined, dispose() {} };
    recorder.treeView = view;
    return view;
  },
  createStatusBarItem() {
    const item = {
      text: '',
      visible: false,
      tooltip: undefined as unknown,
      command: undefined as unknown,
      name: '',
      accessibilityInformation: undefined as unknown,
      show() {
        item.visible = true;
      },
      hide() {
        item.visible = false;
      },
      dispose() {
        item.visible = false;
      },
    };
    recorder.statusBar = item;
    return item;
  },
  async withProgress<R>(
    opts: { title: string; cancellable?: boolean },
    task: (p: { report(v: { increment?: number; message?: string }): void }, token: CancellationTokenSource['token']) => Promise<R>,
  ): Promise<R> {
    const cts = new CancellationTokenSource();
    const run: ProgressRun = { title: opts.title, reports: [], cancel: () => cts.cancel(), done: false };
    recorder.progress.push(run);
    try {
      return await task({ report: (v) => run.reports.push(v) }, cts.token);
    } finally {
      run.done = true;
    }
  },
  showInformationMessage: show('info'),
  showWarningMessage: show('warning'),
  showErrorMessage: show('error'),
};

export const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
    if (recorder.commands.has(id)) throw new Error(`command '${id}' already exists`);
    recorder.commands.set(id, fn);
    return { dispose: () => recorder.commands.delete(id) };
  },
  async executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    recorder.executed.push({ command, args });
    return recorder.commands.get(command)?.(...args);
  },
  async getCommands(): Promise<string[]> {
    return [...recorder.commands.keys()];
  },
};

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

export const workspace = {
  getWorkspaceFolder(): undefined {
    return undefined;
  },
  get isTrusted(): boolean {
    return recorder.trusted;
  },
  get workspaceFolders(): unknown[] | undefined {
    return recorder.folders;
  },
  getConfiguration() {
    return {
      get(key: string): unknown {
        return key in recorder.workspaceConfig ? recorder.workspaceConfig[key] : recorder.config[key];
      },
      inspect(key: string) {
        return { key, globalValue: recorder.config[key], workspaceValue: recorder.workspaceConfig[key] };
      },
      async update(key: string, value: unknown, target: number): Promise<void> {
        recorder.configUpdates.push({ key, value, target });
        const scope = target === ConfigurationTarget.Global ? recorder.config : recorder.workspaceConfig;
        if (value === undefined) delete scope[key];
        else scope[key] = value;
      },
    };
  },
};

/**
 * vscode.l10n: English (the message itself) unless a test sets `bundle` to a language's
 * l10n/bundle.l10n.<lang>.json, as VS Code does for its display language.
 */
export const l10n = {
  bundle: undefined as Record<string, string> | undefined,
  t(message: string, ...args: L10nArg[]): string {
    return formatMessage(l10n.bundle?.[message] ?? message, args);
  },
};

/** Makes `require('vscode')` load this file. */
export function installFakeVscode(): void {
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = M._resolveFilename;
  const self = __filename;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? self : original.call(this, request, ...rest);
  };
}
