/**
 * The `--target` and `--gpus` options of `roux check` and `roux export`: which engine the recipe
 * must fit, and on how many GPUs its batches must split (the engines' divisibility rules).
 */
import { TARGETS, type Target } from "../compiler/check/target.js";
import { DEFAULT_GPUS } from "../compiler/export/layout.js";
import type { Options, ParsedArgs } from "./command.js";
import { UsageError } from "./usage-error.js";

export const TARGET_OPTIONS: Options = { target: { type: "string" }, gpus: { type: "string" } };

export function targetOption(args: ParsedArgs, allowed: readonly Target[] = TARGETS): Target | undefined {
  const value = args.values.target;
  if (value === undefined) return undefined;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as Target;
  throw new UsageError(`--target takes ${allowed.map((t) => `\`${t}\``).join(", ")}, not \`${String(value)}\``);
}

export function gpusOption(args: ParsedArgs): number {
  const value = args.values.gpus;
  if (value === undefined) return DEFAULT_GPUS;
  const gpus = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || gpus < 1)
    throw new UsageError(`--gpus takes a whole number of GPUs (1 or more), not \`${String(value)}\``);
  return gpus;
}
