/** Model patterns that no JS flavour could compile; their members go unchecked for pattern. */
export const unsupportedPatterns: string[] = [];

const cache = new Map<string, RegExp | null>();

// Characters that may be escaped under the `u` flag; Java accepts a backslash before any
// non-alphanumeric character, so model patterns carry escapes like `\-` or `\:` that `u` rejects.
const SYNTAX_CHARS = new Set([...'^$\\.*+?()[]{}|/']);
const ALPHANUMERIC = /[A-Za-z0-9]/;

/**
 * Compiles a model (Java) pattern for a full-string match, as Coral's `Pattern.matches` does.
 * Compiled once per distinct pattern; the result is stateless (no `g`/`y`), so it is shared.
 */
export function compileModelPattern(pattern: string): RegExp | undefined {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached ?? undefined;
  const re =
    tryCompile(pattern, 'u') ??
    tryCompile(relaxJavaEscapes(pattern), 'u') ??
    // Without `u`, `\p{L}` would mean the letters "p{L}", so only patterns without
    // property escapes may fall back to the legacy flavour.
    (/\\[pP]\{/.test(pattern) ? undefined : tryCompile(pattern, ''));
  if (!re) unsupportedPatterns.push(pattern);
  cache.set(pattern, re ?? null);
  return re;
}

function tryCompile(pattern: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, flags);
  } catch {
    return undefined;
  }
}

export function relaxJavaEscapes(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern.charAt(++i);
      const keep = ALPHANUMERIC.test(next) || SYNTAX_CHARS.has(next) || (inClass && next === '-');
      out += keep ? c + next : next;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}
