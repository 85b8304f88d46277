import { describe, expect, it } from "vitest";
import { compilePattern } from "./pattern.js";

function reason(pattern: string): string {
  const compiled = compilePattern(pattern);
  if (compiled.ok) throw new Error(`${pattern} compiled`);
  return compiled.reason;
}

describe("compilePattern", () => {
  it("compiles JavaScript syntax and counts capturing groups", () => {
    const cases: [string, number][] = [
      ["answer: (\\d+)", 1],
      ["(?<n>\\d+)/(\\d+)", 2],
      ["(?:x)(?=y)(?<=z)a", 0],
      ["\\-?\\d+", 0],
      ["[(](a)[)]", 1],
    ];
    for (const [pattern, groups] of cases) expect(compilePattern(pattern), pattern).toMatchObject({ ok: true, groups });
  });

  it("turns leading inline flags into RegExp flags", () => {
    const compiled = compilePattern("(?is)^yes.done");
    expect(compiled.ok && compiled.regex.flags).toBe("is");
    expect(compiled.ok && compiled.regex.test("YES\ndone")).toBe(true);
    expect(reason("(?x)a b")).toBe('invalid regular expression "(?x)a b": the inline flag `x` in `(?x)` is not supported; only i, m and s are');
    expect(reason("a(?i)b")).toMatch(/inline flags `\(\?i\)` are only supported at the start of the pattern/);
    expect(reason("a(?i:b)")).toMatch(/inline flags `\(\?i:` are only supported at the start/);
  });

  it("explains Python syntax that JavaScript lacks or reads differently", () => {
    expect(reason("answer: (?P<n>\\d+)")).toBe(
      'invalid regular expression "answer: (?P<n>\\\\d+)": `(?P<name>...)` is Python\'s named group; JavaScript writes `(?<name>...)`',
    );
    expect(reason("(?P<n>a)(?P=n)")).toMatch(/Python's named group/);
    expect(reason("(a)(?P=n)")).toMatch(/`\(\?P=name\)` is Python's back-reference to a named group; JavaScript writes `\\k<name>`/);
    expect(reason("\\Aanswer")).toMatch(/`\\A` \(start of text\) is Python's; JavaScript writes `\^`/);
    expect(reason("\\d+\\Z")).toMatch(/`\\Z` \(end of text\) is Python's/);
    expect(reason("a(?#note)")).toMatch(/comments are Python's/);
    expect(reason("(?>a+)b")).toMatch(/atomic groups/);
    expect(reason("(a)?(?(1)b|c)")).toMatch(/conditionals/);
    expect(reason("[]a]")).toMatch(/a `\]` first in a character class/);
    // Inside a class, or escaped, these are ordinary characters.
    expect(compilePattern("[\\A(?P<]")).toMatchObject({ ok: true });
    expect(compilePattern("\\\\A")).toMatchObject({ ok: true });
  });

  it("reports a pattern that does not compile, never throwing", () => {
    expect(reason("(\\d+")).toBe('invalid regular expression "(\\\\d+": Unterminated group');
    expect(reason("a**")).toBe('invalid regular expression "a**": Nothing to repeat');
    expect(reason("\\")).toMatch(/\\ at end of pattern/);
  });
});
