// Which names take part in a sync, from .gitignore-style patterns people already write: `*.log`,
// `build/`, `/dist`, `docs/**/*.md`, `!keep.log`. Names are relative, '/'-separated. A folder that
// is excluded is skipped whole (its files cannot be re-included, as in git), so a walk never enters
// node_modules. Includes, when given, narrow the files further: a file takes part when it, or a
// folder above it, matches the include list.

interface Rule {
  negate: boolean;
  dirOnly: boolean;
  re: RegExp;
}

/** Folders left out of every sync unless the caller turns the defaults off. */
export const DEFAULT_EXCLUDES = ['node_modules/', '.git/'];

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** One pattern line as a rule; undefined for blank lines and comments. */
export function compilePattern(line: string): Rule | undefined {
  let p = line.replace(/(?<!\\)\s+$/, '');
  if (p.trim() === '' || p.startsWith('#')) return undefined;
  let negate = false;
  if (p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  } else if (p.startsWith('\\!') || p.startsWith('\\#')) {
    p = p.slice(1);
  }
  let dirOnly = false;
  while (p.endsWith('/')) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  if (p === '') return undefined;
  // A slash anywhere but the end anchors the pattern to the root; otherwise it matches at any depth.
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  let body = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*' && (i === 0 || p[i - 1] === '/')) {
      const next = p[i + 2];
      if (next === '/') {
        body += '(?:.*/)?'; // "**/": any number of folders, none included
        i += 2;
        continue;
      }
      if (next === undefined) {
        body += '.*'; // trailing "/**": everything inside
        i += 1;
        continue;
      }
    }
    if (c === '*') {
      while (p[i + 1] === '*') i++;
      body += '[^/]*';
    } else if (c === '?') {
      body += '[^/]';
    } else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) {
        body += '\\[';
        continue;
      }
      let cls = p.slice(i + 1, end);
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      body += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < p.length) {
      body += escapeChar(p[i + 1]!);
      i++;
    } else {
      body += escapeChar(c);
    }
  }
  return { negate, dirOnly, re: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`, 'u') };
}

function compileAll(patterns: readonly string[]): Rule[] {
  const rules: Rule[] = [];
  for (const p of patterns) {
    for (const line of p.split(/\r?\n/)) {
      const r = compilePattern(line);
      if (r) rules.push(r);
    }
  }
  return rules;
}

/** The last rule that matches decides, as in .gitignore; undefined when none does. */
function decide(rules: readonly Rule[], name: string, isDir: boolean): boolean | undefined {
  let verdict: boolean | undefined;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.re.test(name)) verdict = !r.negate;
  }
  return verdict;
}

export interface SyncFilterOptions {
  include?: readonly string[];
  exclude?: readonly string[];
  /** Add DEFAULT_EXCLUDES and `extraDefaultExcludes` (default true). */
  defaultExcludes?: boolean;
  /** More default exclusions, such as the checkpoint folder when it lies inside the synced folder. */
  extraDefaultExcludes?: readonly string[];
}

export class SyncFilter {
  private readonly include: Rule[];
  private readonly exclude: Rule[];
  /** Folder verdicts, so a listing of 100,000 keys checks each folder once. */
  private readonly dirCache = new Map<string, boolean>();

  constructor(opts: SyncFilterOptions = {}) {
    const defaults = opts.defaultExcludes === false ? [] : [...DEFAULT_EXCLUDES, ...(opts.extraDefaultExcludes ?? [])];
    this.exclude = compileAll([...defaults, ...(opts.exclude ?? [])]);
    this.include = compileAll(opts.include ?? []);
  }

  /** Whether a folder (relative name, no trailing '/') is left out with everything below it. */
  skipsFolder(name: string): boolean {
    const cached = this.dirCache.get(name);
    if (cached !== undefined) return cached;
    const slash = name.lastIndexOf('/');
    const skipped = (slash > 0 && this.skipsFolder(name.slice(0, slash))) || decide(this.exclude, name, true) === true;
    if (this.dirCache.size > 100_000) this.dirCache.clear();
    this.dirCache.set(name, skipped);
    return skipped;
  }

  /**
   * Whether a file (or, with a trailing '/', an empty folder's marker) takes part: not excluded,
   * no folder above it excluded, and matching the includes when there are any.
   */
  takes(name: string): boolean {
    const isDir = name.endsWith('/');
    const body = isDir ? name.slice(0, -1) : name;
    if (body === '') return false;
    const slash = body.lastIndexOf('/');
    if (slash > 0 && this.skipsFolder(body.slice(0, slash))) return false;
    if (isDir ? this.skipsFolder(body) : decide(this.exclude, body, false) === true) return false;
    if (this.include.length === 0) return true;
    // Included when the name or a folder above it matches (the last matching rule decides).
    const parts = body.split('/');
    let verdict: boolean | undefined;
    for (let i = 1; i <= parts.length; i++) {
      const v = decide(this.include, parts.slice(0, i).join('/'), i < parts.length || isDir);
      if (v !== undefined) verdict = v;
    }
    return verdict === true;
  }
}
