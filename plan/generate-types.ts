/**
 * Writes plan.ts, the Plan's TypeScript types, from plan.schema.json, so the contract is stated
 * once. Covers the part of JSON Schema the Plan uses: `$ref` to `#/$defs/NAME`, `const`,
 * `enum`, `oneOf`, objects with `properties` (optional when not `required`) or with a schema
 * for `additionalProperties`, arrays, and the scalar types. Constraints a type cannot state
 * (`minimum`, `pattern`, ...) stay in the schema; a `description` becomes a doc comment.
 *
 * `npm run plan:types` builds and runs this file; plan/generate-types.test.ts fails when the
 * checked-in plan.ts differs from what it writes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { planSchemaFile } from "./validate.js";

export interface Schema {
  description?: string;
  $ref?: string;
  type?: string;
  const?: unknown;
  enum?: unknown[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  $defs?: Record<string, Schema>;
}

/** Where a comment or a declaration wraps, as the rest of the code base writes them. */
const WIDTH = 100;
/** An object type or union stays on one line up to here. */
const INLINE_WIDTH = 140;

/** plan.ts's text for the schema: a header, PLAN_VERSION, then one declaration per `$defs` entry. */
export function generatePlanTypes(schema: Schema): string {
  const defs = schema.$defs ?? {};
  const version = defs.Plan?.properties?.version?.const;
  if (typeof version !== "number") throw new Error("plan.schema.json: `$defs.Plan.properties.version` must be a number `const`");
  const parts = [
    "// Generated from plan.schema.json by plan/generate-types.ts (`npm run plan:types`): edit the schema, not this file.",
    `${comment(schema.description, "")}export const PLAN_VERSION = ${version};`,
    ...Object.entries(defs).map(([name, def]) => declaration(name, def)),
  ];
  return `${parts.join("\n\n")}\n`;
}

function declaration(name: string, def: Schema): string {
  const doc = comment(def.description, "");
  if (def.type === "object" && def.properties !== undefined) {
    return `${doc}export interface ${name} {\n${members(def, "  ", name === "Plan")}}`;
  }
  const alternatives: Schema[] | undefined = def.oneOf ?? def.enum?.map((value) => ({ const: value }));
  const flat = `export type ${name} = ${typeOf(def, "")};`;
  if (alternatives === undefined || (flat.length <= INLINE_WIDTH && !alternatives.some((a) => a.description))) return `${doc}${flat}`;
  const lines = alternatives.map((a) => `${comment(a.description, "  ")}  | ${typeOf(a, "  ")}`);
  return `${doc}export type ${name} =\n${lines.join("\n")};`;
}

/** An object's properties, one per line with their comments. */
function members(def: Schema, indent: string, isPlan: boolean): string {
  const required = new Set(def.required ?? []);
  return Object.entries(def.properties ?? {})
    .map(([key, property]) => {
      // The version is the exported constant's type, so lowering writes `PLAN_VERSION`, not a bare 1.
      const type = isPlan && key === "version" ? "typeof PLAN_VERSION" : typeOf(property, indent);
      return `${comment(property.description, indent)}${indent}${key}${required.has(key) ? "" : "?"}: ${type};\n`;
    })
    .join("");
}

/** The TypeScript type of a schema, written where a line is indented by `indent`. */
function typeOf(schema: Schema, indent: string): string {
  if (schema.$ref !== undefined) return refName(schema.$ref);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum !== undefined) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.oneOf !== undefined) return schema.oneOf.map((s) => typeOf(s, indent)).join(" | ");
  switch (schema.type) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return schema.type;
    case "integer":
      return "number";
    case "array": {
      if (schema.items === undefined) throw new Error("an array schema without `items`");
      const item = typeOf(schema.items, indent);
      return item.includes(" | ") ? `(${item})[]` : `${item}[]`;
    }
    case "object":
      return objectType(schema, indent);
    default:
      throw new Error(`a schema the generator does not cover: ${JSON.stringify(schema)}`);
  }
}

function objectType(schema: Schema, indent: string): string {
  if (schema.properties === undefined) {
    if (typeof schema.additionalProperties !== "object") throw new Error(`an object schema without properties: ${JSON.stringify(schema)}`);
    return `Record<string, ${typeOf(schema.additionalProperties, indent)}>`;
  }
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties);
  const flat = `{ ${entries.map(([key, property]) => `${key}${required.has(key) ? "" : "?"}: ${typeOf(property, indent)}`).join("; ")} }`;
  if (indent.length + flat.length <= INLINE_WIDTH && !entries.some(([, property]) => property.description)) return flat;
  return `{\n${members(schema, `${indent}    `, false)}${indent}  }`;
}

function refName(ref: string): string {
  const name = /^#\/\$defs\/(\w+)$/.exec(ref)?.[1];
  if (name === undefined) throw new Error(`a $ref the generator does not cover: ${ref}`);
  return name;
}

/** A doc comment wrapped at WIDTH; paragraphs (blank lines in the description) are kept. */
function comment(text: string | undefined, indent: string): string {
  if (text === undefined) return "";
  const room = WIDTH - indent.length - 3;
  const lines = text.split("\n\n").flatMap((paragraph, i) => [...(i > 0 ? [""] : []), ...wrap(paragraph, room)]);
  const [first, ...rest] = lines;
  if (first !== undefined && rest.length === 0 && indent.length + first.length + 7 <= WIDTH) return `${indent}/** ${first} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}\n`).join("")}${indent} */\n`;
}

function wrap(paragraph: string, room: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of paragraph.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** plan.ts beside the schema, in the source tree (this file may run from dist/). */
export function planTypesFile(): string {
  return path.join(path.dirname(planSchemaFile()), "plan.ts");
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = planTypesFile();
  writeFileSync(file, generatePlanTypes(JSON.parse(readFileSync(planSchemaFile(), "utf8")) as Schema));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
