import { describe, expect, it } from "vitest";
import { decodeSource } from "./source-text.js";

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

describe("decodeSource", () => {
  it("reads UTF-8 of every length, keeping a byte-order mark as the text had it", () => {
    const text = '\uFEFFlet x = "é € 😀"\n';
    expect(decodeSource(bytes(text), "a.recipe")).toEqual({ text, diagnostics: [] });
  });

  it.each([
    ["a Latin-1 byte", [0xe9]],
    ["a lone continuation byte", [0x80]],
    ["an overlong encoding of `/`", [0xc0, 0xaf]],
    ["an overlong three-byte sequence", [0xe0, 0x80, 0xaf]],
    ["a UTF-16 surrogate", [0xed, 0xa0, 0x80]],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a sequence cut short by the end", [0xf0, 0x9f, 0x98]],
  ])("reports %s as E0004 at its byte offset", (_what, bad) => {
    // Two lines of text first, with a multi-byte character, so the byte offset differs from the column.
    const prefix = 'let a = "é"\nlet b = 2 // ';
    const result = decodeSource(bytes(prefix, bad, " tail\n"), "a.recipe");
    const byte = Buffer.byteLength(prefix);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      code: "E0004",
      message: `invalid UTF-8 at byte ${byte}`,
      span: { file: "a.recipe", start: { line: 2, column: 14, offset: prefix.length } },
    });
    expect(result.text.slice(0, prefix.length + 1)).toBe(`${prefix}\uFFFD`);
  });

  it("reports only the first bad sequence", () => {
    const result = decodeSource(bytes("ok ", [0xff], " and ", [0xfe]), "a.recipe");
    expect(result.diagnostics.map((d) => d.message)).toEqual(["invalid UTF-8 at byte 3"]);
  });
});
