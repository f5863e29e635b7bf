// Which Buckets-tree nodes the user had expanded, kept in the workspace's state so a reload (or the
// next session) opens the tree as it was left. VS Code restores an extension tree's expansion only
// within one session; across a reload it asks getTreeItem afresh, and a node then opens only if its
// TreeItem says Expanded. Node ids are profile / bucket / prefix names: nothing secret.
import type * as vscode from 'vscode';

/** The slice of a Memento used here (workspaceState in the extension, a Map-backed one in tests). */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** The slice of a TreeView whose events say what the user expanded or collapsed. */
export interface ExpansionEvents<T> {
  onDidExpandElement: vscode.Event<vscode.TreeViewExpansionEvent<T>>;
  onDidCollapseElement: vscode.Event<vscode.TreeViewExpansionEvent<T>>;
}

const STATE_KEY = 'ossTransfer.buckets.expanded';
/** Enough for any tree a person opens by hand; the oldest are dropped past it (nodes long gone). */
export const MAX_REMEMBERED = 500;

export class ExpansionMemory {
  /** In the order they were expanded, oldest first. */
  private readonly ids: Set<string>;

  constructor(
    private readonly state: StateStore,
    private readonly max = MAX_REMEMBERED,
  ) {
    const saved = state.get<unknown>(STATE_KEY);
    this.ids = new Set(Array.isArray(saved) ? saved.filter((x): x is string => typeof x === 'string') : []);
  }

  isExpanded(id: string | undefined): boolean {
    return id !== undefined && this.ids.has(id);
  }

  expanded(id: string | undefined): void {
    if (id === undefined) return;
    this.ids.delete(id); // moves it to the newest end
    this.ids.add(id);
    while (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
    this.save();
  }

  collapsed(id: string | undefined): void {
    if (id === undefined || !this.ids.delete(id)) return;
    this.save();
  }

  /** Follows a tree view's expand and collapse events; `idOf` gives an element's TreeItem id. */
  watch<T>(view: ExpansionEvents<T>, idOf: (element: T) => string | undefined): vscode.Disposable[] {
    return [
      view.onDidExpandElement((e) => this.expanded(idOf(e.element))),
      view.onDidCollapseElement((e) => this.collapsed(idOf(e.element))),
    ];
  }

  private save(): void {
    // Fire and forget: losing one write loses only a remembered expansion.
    void Promise.resolve(this.state.update(STATE_KEY, [...this.ids])).catch(() => undefined);
  }
}
