// The INI dialect of ~/.alibabacloud/credentials and ~/.ossutilconfig: [section] headers,
// `key = value` lines, whole-line comments starting with # or ;, blank lines. Values are trimmed
// and lose one pair of surrounding quotes. A line that is none of these is an error naming the
// line: a half-read file must not turn into half-imported profiles.
import { ProfileFileError } from './profileFile.js';

export interface IniSection {
  name: string;
  /** Keys as written (callers normalise them); a repeated key keeps its last value. */
  values: Record<string, string>;
  line: number;
}

export function parseIni(text: string, file: string): IniSection[] {
  const sections: IniSection[] = [];
  const byName = new Map<string, IniSection>();
  let current: IniSection | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      if (name === '') throw new ProfileFileError(file, 'a section header has no name', n);
      current = byName.get(name);
      if (!current) {
        current = { name, values: {}, line: n };
        byName.set(name, current);
        sections.push(current);
      }
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ProfileFileError(file, 'this line is neither a [section], a key = value pair nor a comment', n);
    if (!current) throw new ProfileFileError(file, 'a key = value pair comes before any [section]', n);
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    current.values[key] = value;
  });
  return sections;
}
