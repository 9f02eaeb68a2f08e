/**
 * HTTP route templates as the Functions host reads them (ASP.NET style): literal segments,
 * `{name}`, `{name:constraint}`, `{name?}` and a final `{*rest}`. Literals match
 * case-insensitively; more specific templates win, as in the host.
 */
export interface CompiledRoute<T> {
  template: string;
  methods: string[] | null;
  target: T;
  match(path: string): Record<string, string> | null;
  precedence: number[];
}

const CONSTRAINTS: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  guid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  alpha: /^[a-z]+$/i,
  bool: /^(true|false)$/i,
};

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; optional: boolean; constraint: RegExp | null }
  | { kind: 'catchAll'; name: string };

function parseSegment(text: string, template: string): Segment {
  const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?(\?)?\}$/.exec(text);
  if (!param) {
    if (text.includes('{') || text.includes('}')) throw new Error(`Route "${template}": cannot read the segment "${text}"`);
    return { kind: 'literal', text: text.toLowerCase() };
  }
  const [, star, name = '', constraintName, optional] = param;
  if (star) return { kind: 'catchAll', name };
  let constraint: RegExp | null = null;
  if (constraintName) {
    constraint = CONSTRAINTS[constraintName.toLowerCase()] ?? null;
    if (!constraint) throw new Error(`Route "${template}": unsupported constraint "${constraintName}"`);
  }
  return { kind: 'param', name, optional: Boolean(optional), constraint };
}

export function compileRoute<T>(template: string, methods: string[] | null, target: T): CompiledRoute<T> {
  const segments = template.split('/').filter((s) => s !== '').map((s) => parseSegment(s, template));
  const precedence = segments.map((s) => (s.kind === 'literal' ? 0 : s.kind === 'param' ? (s.constraint ? 1 : 2) : 3));
  return {
    template,
    methods: methods?.map((m) => m.toUpperCase()) ?? null,
    target,
    precedence,
    match(path) {
      const parts = path.split('/').filter((s) => s !== '');
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i] as Segment;
        const part = parts[i];
        if (segment.kind === 'catchAll') {
          params[segment.name] = parts.slice(i).map(decodeURIComponent).join('/');
          return params;
        }
        if (part === undefined) {
          if (segment.kind === 'param' && segment.optional && i === segments.length - 1) return params;
          return null;
        }
        const value = decodeURIComponent(part);
        if (segment.kind === 'literal') {
          if (value.toLowerCase() !== segment.text) return null;
        } else {
          if (segment.constraint && !segment.constraint.test(value)) return null;
          params[segment.name] = value;
        }
      }
      return parts.length === segments.length ? params : null;
    },
  };
}

/** Orders routes so literal segments are tried before parameters, and parameters before catch-alls. */
export function byPrecedence<T>(a: CompiledRoute<T>, b: CompiledRoute<T>): number {
  for (let i = 0; i < Math.max(a.precedence.length, b.precedence.length); i++) {
    const diff = (a.precedence[i] ?? -1) - (b.precedence[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
