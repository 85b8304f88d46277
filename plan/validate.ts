/**
 * Validates a plan file against plan.schema.json (JSON Schema draft 2020-12), as the runtime
 * does before running a plan it did not lower itself. The schema is read from the package, so
 * the JSON file stays the one statement of the contract.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { Plan } from "./plan.js";

const SCHEMA_PATH = path.join("plan", "plan.schema.json");

/** plan.schema.json, found from this file whether it runs from source or from dist/. */
export function planSchemaFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, SCHEMA_PATH))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${SCHEMA_PATH} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return path.join(dir, SCHEMA_PATH);
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, discriminator: true }).compile(JSON.parse(readFileSync(planSchemaFile(), "utf8")));
  return compiled;
}

export type Validation = { ok: true; plan: Plan } | { ok: false; errors: string[] };

export function validatePlan(value: unknown): Validation {
  const validate = validator();
  if (validate(value)) return { ok: true, plan: value as Plan };
  return { ok: false, errors: describe(validate.errors ?? []) };
}

/**
 * One line per problem. Tagged unions name their tag (ajv's `discriminator`), so a node with a
 * known `op` is checked against that op's fields only and its errors say what is wrong with it.
 */
function describe(errors: ErrorObject[]): string[] {
  return [...new Set(errors.map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra(e)}`))];
}

function extra(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") return ` (\`${String(params.additionalProperty)}\`)`;
  if (error.keyword === "const") return ` (\`${JSON.stringify(params.allowedValue)}\`)`;
  if (error.keyword === "discriminator") return ` (found \`${JSON.stringify(params.tagValue)}\`)`;
  if (error.keyword === "enum") return ` (${(params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(", ")})`;
  return "";
}
