/**
 * Terminal colour for rendered diagnostics: whether to use it, and how to paint a piece of text.
 * Renderers only name a role (`Style`); whether that becomes an ANSI sequence is decided once,
 * by `painter(color)`, so no renderer ever checks the colour setting itself.
 */
import type { Severity } from "./codes.js";

/**
 * The roles text can play: a severity colours the headline and the primary underline; `accent`
 * (blue) is the gutter and secondary underlines, as in rustc; `bold` is the message.
 */
export type Style = Severity | "accent" | "bold";

export type Paint = (style: Style, text: string) => string;

const SGR: Record<Style, string> = {
  error: "\x1b[1;31m",
  warning: "\x1b[1;33m",
  accent: "\x1b[1;34m",
  bold: "\x1b[1m",
};
const RESET = "\x1b[0m";

export function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  // An empty string stays empty so that trimming and length checks on plain runs still hold.
  return (style, text) => (text === "" ? "" : `${SGR[style]}${text}${RESET}`);
}

/**
 * Whether output written to `stream` should be coloured.
 *
 * - `FORCE_COLOR` set to anything non-empty decides on its own: `0` or `false` turn colour off,
 *   any other value turns it on even for a pipe and even when `NO_COLOR` is set (it is the more
 *   specific request, and Node's own `FORCE_COLOR` handling gives it the same precedence).
 * - Otherwise `NO_COLOR` set to anything non-empty turns colour off (https://no-color.org).
 * - Otherwise colour is on only for a terminal that can show it: a TTY whose `TERM` is not `dumb`.
 */
export function shouldUseColor(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force) return force !== "0" && force !== "false";
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}
