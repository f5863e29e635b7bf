// The fake `vscode` module for the Buckets tree, profile store and client registry tests: the one
// in test/unit/support (install it with `installFakeVscode()` before importing those modules),
// plus a Memento, SecretStorage and LogOutputChannel kept in memory.
import { EventEmitter } from '../unit/support/fakeVscodeTransfers.js';

export * from '../unit/support/fakeVscodeTransfers.js';

/** A Memento kept in memory. */
export class MemoryMemento {
  private readonly data = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  get<T>(key: string, def?: T): T | undefined {
    return (this.data.has(key) ? this.data.get(key) : def) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
  dump(): string {
    return JSON.stringify([...this.data]);
  }
}

/** A SecretStorage kept in memory. */
export class MemorySecrets {
  private readonly data = new Map<string, string>();
  private readonly changed = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
    this.changed.fire({ key });
  }
  async keys(): Promise<string[]> {
    return [...this.data.keys()];
  }
}

/** A LogOutputChannel that keeps its lines. */
export class MemoryChannel {
  readonly lines: string[] = [];
  trace(m: string): void {
    this.lines.push(`trace ${m}`);
  }
  debug(m: string): void {
    this.lines.push(`debug ${m}`);
  }
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
  show(): void {}
}
