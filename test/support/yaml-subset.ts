/**
 * Reads the small block-style YAML subset infra/docker-compose.yml is written in (nested maps, lists
 * of scalars, quoted scalars, comments), so a test can check its structure without a YAML package.
 * Anything outside the subset throws rather than being misread.
 */
export type YamlNode = string | null | YamlNode[] | { [key: string]: YamlNode };

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ')) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

function scalar(text: string): string {
  const t = text.trim();
  if (/^(["']).*\1$/.test(t)) return t.slice(1, -1);
  if (/^[[{&*!|>]/.test(t)) throw new Error(`YAML outside the supported subset: ${t}`);
  return t;
}

export function parseYamlSubset(text: string): YamlNode {
  const lines = text
    .split('\n')
    .map(stripComment)
    .filter((l) => l.trim() !== '')
    .map((l) => ({ indent: l.length - l.trimStart().length, content: l.trim() }));
  let i = 0;
  const block = (indent: number): YamlNode => {
    if (lines[i]?.content.startsWith('- ')) {
      const list: YamlNode[] = [];
      while (lines[i]?.indent === indent && lines[i]?.content.startsWith('- ')) list.push(scalar((lines[i++]?.content ?? '').slice(2)));
      return list;
    }
    const map: { [key: string]: YamlNode } = {};
    while (lines[i]?.indent === indent) {
      const line = lines[i++]?.content ?? '';
      const match = /^([^:\s][^:]*):(?:\s+(.*))?$/.exec(line);
      if (!match?.[1]) throw new Error(`YAML outside the supported subset: ${line}`);
      const next = lines[i];
      map[match[1]] = match[2] !== undefined ? scalar(match[2]) : next && next.indent > indent ? block(next.indent) : null;
    }
    if (lines[i] && lines[i]!.indent > indent) throw new Error(`unexpected indentation: ${lines[i]!.content}`);
    return map;
  };
  return block(0);
}
