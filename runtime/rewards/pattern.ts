/**
 * A recipe's regular expression (the `extract` of exact_match and numeric_match, the `pattern`
 * of regex_match) compiled to a JavaScript RegExp. The checker validates that these are strings,
 * not that they are regular expressions, so a bad pattern is caught here and becomes a clear
 * failure of every sample rather than a throw.
 *
 * The syntax is JavaScript's (without the `u` flag, so `\-` and other escaped punctuation are
 * accepted as in Python). Recipes are often written by people used to Python's `re`, and some
 * of its syntax either does not exist in JavaScript or, worse, means something else there
 * (`\A` is a plain `A` in a JavaScript pattern): those are refused with a message saying what to
 * write instead. One Python form is translated because JavaScript has no way to write it inside
 * a pattern and a recipe has nowhere else to put it: leading inline flags `(?i)`, `(?m)`, `(?s)`
 * (and combinations such as `(?is)`) become the RegExp's flags.
 */

export type CompiledPattern = { ok: true; regex: RegExp /** Number of capturing groups. */; groups: number } | { ok: false; reason: string };

/** Python syntax JavaScript lacks, found at a `(?` or a `\`: what it is and what to write. */
const PYTHON_GROUPS: readonly [prefix: string, message: string][] = [
  ["(?P<", "`(?P<name>...)` is Python's named group; JavaScript writes `(?<name>...)`"],
  ["(?P=", "`(?P=name)` is Python's back-reference to a named group; JavaScript writes `\\k<name>`"],
  ["(?P>", "`(?P>name)` (a recursive group) is not supported by JavaScript regular expressions"],
  ["(?#", "`(?#...)` comments are Python's; JavaScript regular expressions have no comments"],
  ["(?>", "`(?>...)` atomic groups are not supported by JavaScript regular expressions"],
  ["(?(", "`(?(group)yes|no)` conditionals are not supported by JavaScript regular expressions"],
];

const PYTHON_ESCAPES: ReadonlyMap<string, string> = new Map([
  ["A", "`\\A` (start of text) is Python's; JavaScript writes `^` (without the m flag)"],
  ["Z", "`\\Z` (end of text) is Python's; JavaScript writes `$` (without the m flag)"],
  ["z", "`\\z` (end of text) is not JavaScript; write `$` (without the m flag)"],
]);

/** Flags a leading `(?...)` may set, and their RegExp flag. */
const INLINE_FLAGS: ReadonlyMap<string, string> = new Map([
  ["i", "i"],
  ["m", "m"],
  ["s", "s"],
]);

export function compilePattern(pattern: string): CompiledPattern {
  const [leading, letters] = /^\(\?([a-zA-Z]+)\)/.exec(pattern) ?? [];
  let flags = "";
  let body = pattern;
  if (leading !== undefined && letters !== undefined) {
    for (const flag of letters) {
      const js = INLINE_FLAGS.get(flag);
      if (js === undefined) {
        return fail(pattern, `the inline flag \`${flag}\` in \`${leading}\` is not supported; only i, m and s are`);
      }
      if (!flags.includes(js)) flags += js;
    }
    body = pattern.slice(leading.length);
  }
  const python = findPythonSyntax(body);
  if (python !== undefined) return fail(pattern, python);
  let regex: RegExp;
  try {
    regex = new RegExp(body, flags);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(pattern, message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ""));
  }
  // An alternative that matches the empty string makes exec report every group (as undefined).
  const groups = (new RegExp(`${body}|`, flags).exec("")?.length ?? 1) - 1;
  return { ok: true, regex, groups };
}

function fail(pattern: string, why: string): CompiledPattern {
  return { ok: false, reason: `invalid regular expression ${JSON.stringify(pattern)}: ${why}` };
}

/**
 * Walks the pattern as the RegExp parser would (escapes, character classes) and returns a
 * message for the first Python-only construct outside a character class, if any.
 */
function findPythonSyntax(body: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") {
      const escaped = body[i + 1];
      if (!inClass && escaped !== undefined && PYTHON_ESCAPES.has(escaped)) return PYTHON_ESCAPES.get(escaped);
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
      const first = body.startsWith("[^", i) ? i + 2 : i + 1;
      if (body[first] === "]") {
        return "a `]` first in a character class is a literal `]` in Python but closes the class in JavaScript; escape it as `\\]`";
      }
    } else if (c === "(" && body[i + 1] === "?") {
      for (const [prefix, message] of PYTHON_GROUPS) if (body.startsWith(prefix, i)) return message;
      const inline = /^\(\?[a-zA-Z-]+[:)]/.exec(body.slice(i));
      if (inline) return `inline flags \`${inline[0]}\` are only supported at the start of the pattern, as \`(?i)\`, \`(?m)\` or \`(?s)\``;
    }
  }
  return undefined;
}
