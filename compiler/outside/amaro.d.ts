/** amaro 0.1 (the line that supports Node 20) ships no types: this is the part js-exports.ts uses. */
declare module "amaro" {
  /**
   * `strip-only` replaces type syntax with spaces, so positions in the output are positions in
   * the input; it throws (a rendered report string, not an Error) on a syntax error or on
   * TypeScript that needs a transform (enums, namespaces, parameter properties).
   */
  export function transformSync(source: string, options: { mode: "strip-only" }): { code: string };
}
