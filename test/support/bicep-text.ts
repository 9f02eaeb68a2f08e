/**
 * Just enough reading of our own Bicep files for consistency tests, without a Bicep compiler:
 * regexes over the simple, known layout of bicep/main.bicep (one entry per line in the lists the
 * tests read). If a test here fails to find a block, keep that layout rather than loosen the regex.
 */
import { readFileSync } from 'node:fs';

/** The line without its `//` comment; `//` inside a '...' string (URLs) is not a comment. */
export function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === "'") inString = false;
    } else if (c === "'") inString = true;
    else if (c === '/' && line[i + 1] === '/') return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

export function readBicep(path: string): string[] {
  return readFileSync(path, 'utf8').split(/\r?\n/).map(stripComment);
}

/**
 * The lines of a top-level declaration that opens with `header` (e.g. `var appSettings = {`) up
 * to its closing `}` or `]` in column 0, both excluded.
 */
export function block(lines: string[], header: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`no line starting with "${header}"`);
  const end = lines.findIndex((l, i) => i > start && /^[}\]]/.test(l));
  if (end < 0) throw new Error(`"${header}" is not closed in column 0`);
  return lines.slice(start + 1, end).filter((l) => l.trim() !== '');
}

export interface AppSetting {
  name: string;
  /** The Bicep expression of the value. */
  value: string;
  /** For `...(COND ? {} : { NAME: VALUE })`: the condition under which it is left out. */
  unlessCondition?: string;
}

const PLAIN = /^ {2}([A-Za-z_][A-Za-z0-9_]*): (.+)$/;
const CONDITIONAL = /^ {2}\.\.\.\((.+) \? \{\} : \{ ([A-Za-z_][A-Za-z0-9_]*): (.+) \}\)$/;

/** `var appSettings = { ... }`: one `NAME: value` per line, or one conditional spread per line. */
export function appSettings(lines: string[]): AppSetting[] {
  return block(lines, 'var appSettings = {').map((line) => {
    const conditional = CONDITIONAL.exec(line);
    if (conditional) return { name: conditional[2]!, value: conditional[3]!, unlessCondition: conditional[1]! };
    const plain = PLAIN.exec(line);
    if (plain) return { name: plain[1]!, value: plain[2]! };
    throw new Error(`appSettings: cannot read "${line.trim()}" (one setting per line)`);
  });
}

/** Reads a one-line Bicep object literal of scalars: `{ id: 'users', defaultTtl: -1 }`. */
export function objectLiteral(line: string): Record<string, string | number | boolean> {
  const body = /^\s*\{ (.*) \}$/.exec(line)?.[1];
  if (body === undefined) throw new Error(`not a one-line object: "${line.trim()}"`);
  const result: Record<string, string | number | boolean> = {};
  for (const part of body.split(/, (?=[A-Za-z_][A-Za-z0-9_]*: )/)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*): (.+)$/.exec(part);
    if (!m) throw new Error(`cannot read "${part}" in "${line.trim()}"`);
    const raw = m[2]!;
    if (/^'.*'$/.test(raw)) result[m[1]!] = raw.slice(1, -1);
    else if (/^-?\d+$/.test(raw)) result[m[1]!] = Number(raw);
    else if (raw === 'true' || raw === 'false') result[m[1]!] = raw === 'true';
    else throw new Error(`"${m[1]}" is not a literal in "${line.trim()}"`);
  }
  return result;
}

export interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
  secure: boolean;
}

/** Every `param`, with whether a `@secure()` decorator precedes it (before the previous declaration). */
export function params(lines: string[]): BicepParam[] {
  const found: BicepParam[] = [];
  let secure = false;
  for (const line of lines) {
    if (/^@secure\(\)/.test(line)) secure = true;
    const m = /^param ([A-Za-z_][A-Za-z0-9_]*) ([A-Za-z]+)( = .*)?$/.exec(line);
    if (m) {
      found.push({ name: m[1]!, type: m[2]!, hasDefault: m[3] !== undefined, secure });
      secure = false;
    } else if (/^(var|resource|module|output|type) /.test(line)) secure = false;
  }
  return found;
}

/** `module NAME 'REF' = {`: every module reference. */
export function moduleRefs(lines: string[]): { name: string; ref: string }[] {
  return lines.flatMap((l) => {
    const m = /^module ([A-Za-z_][A-Za-z0-9_]*) '([^']+)' = /.exec(l);
    return m ? [{ name: m[1]!, ref: m[2]! }] : [];
  });
}
