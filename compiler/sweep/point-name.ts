/**
 * A sweep point's name (docs/language.md §10): its variant, then each grid value as
 * `KEY=VALUE`, joined by `-` (`grpo_null-seed=17-lr=0.0003`). A point's run directory is named
 * after it, so the name must be stable (the same sweep names its points the same), unique within
 * the sweep, and safe as one directory name on any file system.
 */
import { createHash } from "node:crypto";
import type * as A from "../../grammar/ast.js";

/** Past this a name is cut and a hash of the whole keeps it unique (file systems allow 255 bytes). */
const MAX_LENGTH = 120;

/**
 * The key each grid path is named by: its last field (`lr`), or the whole path when another
 * axis ends in the same field (`rl.optimizer.lr` beside `sft.optimizer.lr`).
 */
export function axisKeys(paths: readonly string[]): string[] {
  const last = (p: string) => p.slice(p.lastIndexOf(".") + 1);
  return paths.map((p) => (paths.filter((other) => last(other) === last(p)).length > 1 ? p : last(p)));
}

/** A value as a name shows it: numbers by value (`3e-4` is `0.0003`), names and strings by text. */
export function valueLabel(value: A.Expr, source: string): string {
  switch (value.kind) {
    case "number":
    case "percent":
      return String(value.value);
    case "string":
      return value.value;
    case "ident":
      return value.name;
    case "bool":
      return String(value.value);
    default:
      return source.slice(value.span.start.offset, value.span.end.offset);
  }
}

/** `parts` (the variant, then `KEY=VALUE` per axis) as one name; `taken` holds the names given so far. */
export function pointName(parts: readonly string[], taken: ReadonlySet<string>): string {
  const joined = parts.map(safe).join("-");
  const name = joined.length <= MAX_LENGTH ? joined : `${joined.slice(0, MAX_LENGTH - 9)}~${shortHash(joined)}`;
  // Two values may read the same once made safe (`"a b"` and `"a_b"`): later ones are numbered.
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}~${n}`;
  return unique;
}

/** Letters, digits and `._=+-` kept; any other run of characters becomes one `_`; never `.` or `..` alone. */
function safe(part: string): string {
  const kept = part.replace(/[^A-Za-z0-9._=+-]+/g, "_");
  return kept === "" || /^\.+$/.test(kept) ? "_" : kept;
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}
