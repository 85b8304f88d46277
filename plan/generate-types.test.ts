import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatePlanTypes, planTypesFile, type Schema } from "./generate-types.js";
import { planSchemaFile } from "./validate.js";

const schema = JSON.parse(readFileSync(planSchemaFile(), "utf8")) as Schema;

describe("plan.ts", () => {
  it("is what the generator writes from plan.schema.json (run `npm run plan:types` after editing the schema)", () => {
    expect(readFileSync(planTypesFile(), "utf8")).toBe(generatePlanTypes(schema));
  });

  it("declares a type for every definition of the schema, under the same name", () => {
    const declared = [...generatePlanTypes(schema).matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(declared).toEqual(Object.keys(schema.$defs ?? {}));
  });
});

describe("generatePlanTypes", () => {
  const plan = (defs: Record<string, Schema>): Schema => ({
    $defs: { Plan: { type: "object", properties: { version: { const: 3 } }, required: ["version"] }, ...defs },
  });

  it("writes the version constant and types the plan's version with it", () => {
    const text = generatePlanTypes(plan({}));
    expect(text).toContain("export const PLAN_VERSION = 3;");
    expect(text).toContain("export interface Plan {\n  version: typeof PLAN_VERSION;\n}");
  });

  it("marks properties left out of `required` optional and turns descriptions into comments", () => {
    const text = generatePlanTypes(
      plan({
        Dim: { type: "object", properties: { size: { type: "integer", description: "Fixed size." }, symbol: { enum: ["B", "G"] } }, required: ["symbol"] },
      }),
    );
    expect(text).toContain('export interface Dim {\n  /** Fixed size. */\n  size?: number;\n  symbol: "B" | "G";\n}');
  });

  it("writes unions, arrays of unions, maps and references", () => {
    const text = generatePlanTypes(
      plan({
        Leaf: { oneOf: [{ type: "object", properties: { op: { const: "a" } }, required: ["op"] }, { $ref: "#/$defs/Plan" }] },
        Holder: {
          type: "object",
          properties: {
            all: { type: "array", items: { oneOf: [{ type: "string" }, { type: "null" }] } },
            by: { type: "object", additionalProperties: { $ref: "#/$defs/Leaf" } },
          },
          required: ["all", "by"],
        },
      }),
    );
    expect(text).toContain('export type Leaf = { op: "a" } | Plan;');
    expect(text).toContain("  all: (string | null)[];\n  by: Record<string, Leaf>;");
  });

  it("refuses a schema it does not cover rather than writing a wrong type", () => {
    expect(() => generatePlanTypes(plan({ Odd: { type: "object", properties: { x: { $ref: "other.json#/X" } } } }))).toThrow(
      /\$ref the generator does not cover/,
    );
    expect(() => generatePlanTypes({ $defs: {} })).toThrow(/version/);
  });
});
