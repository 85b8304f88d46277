import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import onnxProto from "onnx-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubRewardModule } from "../../compiler/import/testing.js";
import { CODES, type Code } from "../../diagnostics/codes.js";
import { REPO_ROOT } from "../../test/recipes.js";
import { checkOptions, runCli } from "../../test/run-cli.js";
import { errorsFile, packageRoot, parseErrorEntries, type ErrorEntry } from "./explain.js";

const ALL_CODES = Object.keys(CODES) as Code[];
const ENTRIES = parseErrorEntries(await readFile(path.join(REPO_ROOT, "docs", "errors.md"), "utf8"));

describe("roux explain", () => {
  it("prints a code's entry: heading, explanation, the wrong and the fixed example", async () => {
    const result = await runCli(["explain", "E3104"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("## E3104: PROF `remove` must be smaller than the stage's `group`");
    expect(result.stdout).toMatch(/### Wrong\n\n```recipe\n[\s\S]*remove = 4\)[\s\S]*```\n\n### Fixed\n\n```recipe\n[\s\S]*remove = 2\)[\s\S]*```\n$/);
    // One entry only: it stops before the next heading.
    expect(result.stdout).not.toContain("E3105");
  });

  it("accepts a code in lower case", async () => {
    const lower = await runCli(["explain", "e3102"]);
    expect(lower.status).toBe(0);
    expect(lower.stdout).toBe((await runCli(["explain", "E3102"])).stdout);
    expect(lower.stdout.startsWith("## E3102: credit assignment needs step-level rewards\n")).toBe(true);
  });

  it("prints the last entry of the file up to its end", async () => {
    const result = await runCli(["explain", ALL_CODES.at(-1)!]);
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().endsWith("```")).toBe(true);
  });

  it("rejects an unknown code with exit 2 and suggests the closest", async () => {
    const result = await runCli(["explain", "E31O4"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error: unknown code `E31O4`; did you mean `E3104`?");
  });

  it("rejects something that is no code at all, without a suggestion", async () => {
    const result = await runCli(["explain", "banana"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown code `banana`");
    expect(result.stderr).not.toContain("did you mean");
  });

  it("takes one code at a time", async () => {
    const result = await runCli(["explain", "E3102", "E3104"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("usage: roux explain [CODE]");
  });

  it("lists every code with its summary when given none", async () => {
    const result = await runCli(["explain"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toEqual(ALL_CODES.map((code) => `${code}  ${CODES[code].summary}`));
  });

  it("is listed in `roux help`", async () => {
    const result = await runCli(["help"]);
    expect(result.stdout).toMatch(/^ {2}explain +explain a diagnostic code/m);
  });

  it("finds the package root from the source folder and from the build folder", () => {
    expect(packageRoot()).toBe(REPO_ROOT);
    expect(packageRoot(path.join(REPO_ROOT, "dist", "cli", "commands"))).toBe(REPO_ROOT);
    expect(errorsFile()).toBe(path.join(REPO_ROOT, "docs", "errors.md"));
  });
});

describe("parseErrorEntries", () => {
  it("splits at `## ` headings outside fenced blocks only", () => {
    const markdown = [
      "# Title",
      "intro",
      "## E0001: first",
      "text",
      "```",
      "## not a heading inside a block",
      "```",
      "",
      "## Not a code",
      "ignored",
      "## W0001: second",
      "last",
      "",
    ].join("\n");
    expect(parseErrorEntries(markdown)).toEqual([
      { code: "E0001", summary: "first", text: "## E0001: first\ntext\n```\n## not a heading inside a block\n```" },
      { code: "W0001", summary: "second", text: "## W0001: second\nlast" },
    ]);
  });
});

/**
 * The ```recipe block under an entry's `### Wrong` or `### Fixed` heading, or the ```yaml block
 * of an engine config `roux import` reads (its first line says `# roux import --from ENGINE`).
 */
function example(entry: ErrorEntry, which: "Wrong" | "Fixed"): string | undefined {
  const match = new RegExp(`^### ${which}\\n\\n\`\`\`(?:recipe|yaml)\\n([^]*?)^\`\`\`$`, "m").exec(entry.text);
  return match?.[1];
}

/** The engine of an engine config example: `# roux import --from verl` on its first line. */
const IMPORT_LINE = /^# roux import --from (\w+)\n/;

describe("docs/errors.md", () => {
  it("has one entry per code of the code table, in the table's order, headed by its summary", () => {
    expect(ENTRIES.map((e) => e.code)).toEqual(ALL_CODES);
    for (const entry of ENTRIES) expect(entry.summary, entry.code).toBe(CODES[entry.code as Code].summary);
  });

  it("gives every entry an explanation, a wrong example and a fixed one", () => {
    for (const entry of ENTRIES) {
      const explanation = entry.text.slice(entry.text.indexOf("\n"), entry.text.indexOf("### Wrong")).trim();
      expect(explanation.length, entry.code).toBeGreaterThan(200);
      const wrong = example(entry, "Wrong");
      const fixed = example(entry, "Fixed");
      expect(wrong, `${entry.code} Wrong`).toBeDefined();
      expect(fixed, `${entry.code} Fixed`).toBeDefined();
      expect(wrong, entry.code).not.toBe(fixed);
      expect(entry.text.indexOf("### Wrong"), entry.code).toBeLessThan(entry.text.indexOf("### Fixed"));
    }
  });
});

/**
 * The examples do what they say: `roux check` reports the entry's code for the wrong one, and
 * nothing at all for the fixed one. They are checked beside the files they name (a dataset, an
 * ONNX model, a JS module, a shared recipe); an example of several files marks each with a
 * `// file: NAME` line, and the last one is checked, with the options its first line names
 * (`// roux check --target verl`).
 */
describe("the examples in docs/errors.md", () => {
  /** Registry modules come from a cache this test does not fill: only their syntax is checked (test/golden/E1103 covers the check). */
  const SYNTAX_ONLY: ReadonlySet<string> = new Set(["E1103"]);
  /** Markdown is UTF-8, so the wrong example of a file in another encoding is written as its text says: in Latin-1. */
  const WRONG_IN_LATIN1: ReadonlySet<string> = new Set(["E0004"]);
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "roux-explain-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function check(code: string, which: "Wrong" | "Fixed", text: string): Promise<Code[]> {
    const dir = path.join(root, `${code}-${which}`);
    await writeFixtures(dir);
    const engine = IMPORT_LINE.exec(text)?.[1];
    if (engine !== undefined) {
      await writeFile(path.join(dir, "config.yaml"), text);
      const result = await runCli(["import", "--from", engine, path.join(dir, "config.yaml")]);
      return [...result.stderr.matchAll(/^(?:error|warning)\[([EW]\d{4})\]/gm)].map((m) => m[1] as Code);
    }
    const parts = text.split(/^\/\/ file: (\S+)\n/m);
    const files: [string, string][] = parts.length === 1 ? [["example.recipe", text]] : pairs(parts.slice(1));
    const encoding = which === "Wrong" && WRONG_IN_LATIN1.has(code) ? "latin1" : "utf8";
    for (const [name, source] of files) await writeFile(path.join(dir, name), source, encoding);
    const [name, source] = files.at(-1)!;
    const result = await runCli(["check", "--format", "json", ...checkOptions(source), path.join(dir, name)]);
    const report = JSON.parse(result.stdout) as { diagnostics: { code: Code }[] };
    return report.diagnostics.map((d) => d.code);
  }

  for (const code of ALL_CODES) {
    it(`${code}: the wrong example gives ${code} and nothing else, the fixed one nothing`, async () => {
      const entry = ENTRIES.find((e) => e.code === code);
      const wrong = entry && example(entry, "Wrong");
      const fixed = entry && example(entry, "Fixed");
      if (wrong === undefined || fixed === undefined) throw new Error(`no examples for ${code}`);
      const wrongCodes = await check(code, "Wrong", wrong);
      const fixedCodes = await check(code, "Fixed", fixed);
      if (SYNTAX_ONLY.has(code)) {
        expect([...wrongCodes, ...fixedCodes].filter((c) => c.startsWith("E0"))).toEqual([]);
        return;
      }
      expect(wrongCodes.length, `${code} Wrong`).toBeGreaterThan(0);
      expect(new Set(wrongCodes), `${code} Wrong`).toEqual(new Set([code]));
      expect(fixedCodes, `${code} Fixed`).toEqual([]);
    });
  }
});

function pairs(parts: string[]): [string, string][] {
  const [name, source, ...rest] = parts;
  return name === undefined || source === undefined ? [] : [[name, source], ...pairs(rest)];
}

/** The files the examples name, as their comments describe them. */
async function writeFixtures(dir: string): Promise<void> {
  for (const folder of ["data", "models", "rewards"]) await mkdir(path.join(dir, folder), { recursive: true });
  const rows = [
    { question: "(7+5)*3", solution: "7+5=12\n12*3=36\nanswer: 36", answer: "36", result: 36 },
    { question: "9-(2*3)", solution: "2*3=6\n9-6=3\nanswer: 3", answer: "3", result: 3 },
  ];
  await writeFile(path.join(dir, "data", "train.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  await writeFile(path.join(dir, "models", "prm.onnx"), processRewardModel());
  await writeFile(
    path.join(dir, "rewards", "format.ts"),
    "export function score(response: string): number {\n  return /answer: -?\\d+$/.test(response) ? 1 : 0;\n}\n",
  );
  await writeFile(path.join(dir, "common.recipe"), 'use "std/arith" as arith\n\ndata train = arith.problems { count = 4000 }\n');
  await writeFile(path.join(dir, "roux_reward.py"), hubRewardModule());
}

/** A stand-in process reward model: `input_ids` in, `probs` out (a sigmoid of the ids). */
function processRewardModel(): Uint8Array {
  const { onnx } = onnxProto;
  const tensor = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "roux-test",
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "prm",
      node: [
        {
          opType: "Cast",
          input: ["input_ids"],
          output: ["ids"],
          attribute: [{ name: "to", type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }],
        },
        { opType: "Sigmoid", input: ["ids"], output: ["probs"] },
      ],
      input: [tensor("input_ids", onnx.TensorProto.DataType.INT64, ["batch", "sequence"])],
      output: [tensor("probs", onnx.TensorProto.DataType.FLOAT, ["batch", "sequence"])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
