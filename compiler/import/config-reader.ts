/**
 * Reading an engine's YAML config for `roux import`, with every value's place in the file: a
 * value of the wrong type is E2101 at that value, a missing one E2102, and every key the
 * importer never read is E3401 (a feature of the engine the recipe language cannot say) at
 * that key, or W0004 when it only tunes how the engine runs (tuning.ts). A value is read with
 * its `${...}` interpolations resolved as the engine would (interpolation.ts): one read from the
 * environment is W0004 at the value, since the recipe fixes what the config left to the
 * environment. Paths are dotted (`actor_rollout_ref.actor.clip_ratio_low`); list items are
 * numbered (`stages.1.algorithm`).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from "yaml";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { LineIndex, type Span } from "../../diagnostics/span.js";
import { decode, hasInterpolation, type Interpolated, interpolate } from "./interpolation.js";
import { isTuningKey } from "./tuning.js";

export class ConfigError extends Error {}

export class ConfigReader {
  private readonly root: YamlNode | null;
  private readonly lines: LineIndex;
  private readonly read = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    text: string,
    /** How the diagnostics name the engine: "verl", "Trinity-RFT". */
    private readonly engine: string,
    /** The environment `${oc.env:VAR}` reads. */
    private readonly env: (variable: string) => string | undefined,
  ) {
    const document = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true });
    const [error] = document.errors;
    if (error) {
      const at = error.linePos?.[0];
      throw new ConfigError(`${file}${at ? `:${at.line}:${at.col}` : ""} is not valid YAML: ${error.message.split("\n")[0]}`);
    }
    this.root = document.contents;
    if (this.root !== null && !isMap(this.root)) throw new ConfigError(`${file} is not a YAML mapping of config keys`);
    this.lines = new LineIndex(text);
  }

  has(path: string): boolean {
    return this.node(path) !== undefined;
  }

  /** Marks `path` (and everything under it) as read, without a value: a key the recipe has no use for. */
  skip(path: string): void {
    this.read.add(path);
  }

  num(path: string, options: { integer?: boolean } = {}): number | undefined {
    const value = this.scalar(path);
    if (value === undefined) return undefined;
    if (typeof value === "number" && Number.isFinite(value) && (!options.integer || Number.isInteger(value))) return value;
    return this.wrongType(path, options.integer ? "a whole number" : "a number", value);
  }

  str(path: string): string | undefined {
    const value = this.scalar(path);
    if (value === undefined) return undefined;
    return typeof value === "string" ? value : this.wrongType(path, "a string", value);
  }

  bool(path: string): boolean | undefined {
    const value = this.scalar(path);
    if (value === undefined) return undefined;
    return typeof value === "boolean" ? value : this.wrongType(path, "true or false", value);
  }

  numbers(path: string): number[] | undefined {
    const node = this.node(path);
    if (node === undefined) return undefined;
    this.read.add(path);
    if (!isSeq(node) || !node.items.every((i) => isScalar(i) && typeof i.value === "number")) return this.wrongType(path, "a list of numbers", node.toJSON());
    return node.items.map((i) => (i as { value: number }).value);
  }

  /**
   * How many items the list at `path` has (0 when absent). The items of a list of mappings are
   * read key by key, so what is left in them is reported like any other key.
   */
  length(path: string): number {
    const node = this.node(path);
    if (node === undefined) return 0;
    if (!isSeq(node)) return this.wrongType(path, "a list", node.toJSON()) ?? 0;
    if (node.items.length === 0 || !node.items.every(isMap)) this.read.add(path);
    return node.items.length;
  }

  /** E2102 for a value the recipe cannot do without. */
  missing(path: string, what: string): void {
    // A key that is there with a value of the wrong type has its E2101 already.
    if (this.has(path)) return;
    this.diagnostics.push(
      diagnostic("E2102", { problem: "missing key", name: path, where: `in the ${this.engine} config` }, this.spanAt(this.parentOf(path)), {
        label: `${what} is needed for the recipe`,
        help: `set \`${path}\``,
      }),
    );
  }

  /** E3401 at the key `path`: a value there that a recipe cannot say. */
  unsupported(path: string, feature: string, help: string, notes = ["the recipe is written without it"]): void {
    this.read.add(path);
    this.diagnostics.push(
      diagnostic("E3401", { feature, target: "a Roux recipe" }, this.spanAt(path), {
        label: `\`${path}\` cannot be imported`,
        notes,
        help,
      }),
    );
  }

  /** E2105 at the value at `path`: one the engine would refuse. */
  outOfRange(path: string, reason: string): void {
    this.diagnostics.push(diagnostic("E2105", { what: `\`${path.split(".").at(-1)}\``, reason }, this.valueSpan(path), { label: `\`${path}\`` }));
  }

  /**
   * E3401 for every key nothing read: what the import leaves behind. A tuning key is W0004
   * instead, also inside a block the importer passed over, unless it was read or passed over by
   * its own path.
   */
  reportUnread(): void {
    const walk = (node: YamlNode | null, prefix: string, passed: boolean) => {
      if (node === null) return;
      if (prefix !== "" && isTuningKey(prefix) && !this.read.has(prefix)) {
        this.diagnostics.push(
          diagnostic("W0004", { key: prefix, problem: "is not carried into the recipe" }, this.keySpan(prefix), {
            label: `it sets how fast or in how much memory ${this.engine} trains, not what it trains`,
            help: "`roux export` leaves it to the engine's default or its own setting for the cluster: set it again in the exported config to keep this value",
          }),
        );
        return;
      }
      const covered = passed || this.covered(prefix);
      if (isMap(node) && node.items.length > 0) {
        for (const pair of node.items as Pair<YamlNode, YamlNode>[])
          walk(pair.value, join(prefix, String(isScalar(pair.key) ? pair.key.value : pair.key)), covered);
        return;
      }
      if (isSeq(node) && node.items.length > 0 && node.items.every(isMap)) {
        node.items.forEach((item, i) => {
          walk(item as YamlNode, join(prefix, String(i)), covered);
        });
        return;
      }
      if (covered) return;
      this.diagnostics.push(
        diagnostic("E3401", { feature: `${this.engine}'s \`${prefix}\``, target: "a Roux recipe" }, this.keySpan(prefix), {
          label: "roux import has no recipe field for this key",
          notes: ["the recipe is written without it"],
          help: "check that the engine's default for it is what you want, or remove it from the config",
        }),
      );
    };
    walk(this.root, "", false);
  }

  private covered(path: string): boolean {
    for (let p = path; p !== ""; p = this.parentOf(p)) if (this.read.has(p)) return true;
    return false;
  }

  private scalar(path: string): unknown {
    const node = this.node(path);
    if (node === undefined) return undefined;
    this.read.add(path);
    if (!isScalar(node)) return this.wrongType(path, "a single value", node.toJSON());
    if (typeof node.value === "string" && hasInterpolation(node.value)) return this.interpolated(path, node.value);
    return node.value === null ? undefined : node.value;
  }

  /** The value at `path` with its interpolations resolved, each one read from the environment said at the value. */
  private interpolated(path: string, text: string): unknown {
    const result = this.resolve(text, 0);
    const span = this.valueSpan(path);
    if (result.kind === "unset") {
      this.diagnostics.push(
        diagnostic("E2102", { problem: "unset environment variable", name: result.variable, where: `read by \`${path}\`` }, span, {
          label: `\`${text}\` needs \`${result.variable}\``,
          help: `set \`${result.variable}\` as the engine would see it and import again, or write the value in the config`,
        }),
      );
      return undefined;
    }
    if (result.kind === "unresolved") {
      this.diagnostics.push(
        diagnostic("E3401", { feature: `the OmegaConf interpolation \`${result.text}\``, target: "a Roux recipe" }, span, {
          label: `roux import resolves \`\${oc.env:VAR}\`, \`\${oc.env:VAR,default}\` and \`\${key.path}\` only`,
          notes: ["the recipe is written without this value"],
          help: "write the value the engine would resolve it to in the config",
        }),
      );
      return undefined;
    }
    for (const read of result.env) {
      const how = read.defaulted ? `\`${read.variable}\` is unset, so the recipe has its default` : `\`${read.variable}\` as set when \`roux import\` ran`;
      this.diagnostics.push(
        diagnostic("W0004", { key: path, problem: `takes its value from the environment variable \`${read.variable}\`` }, span, {
          label: `${how}: \`${String(result.value)}\``,
          notes: ["the engine reads the variable each time it loads the config; the recipe keeps the value it had at import"],
          help: `if the runs need another value, set \`${read.variable}\` and import again, or edit the recipe`,
        }),
      );
    }
    return decode(result.value ?? undefined);
  }

  /** `text` resolved, with `${key.path}` read from this file (depth bounds a cycle of references). */
  private resolve(text: string, depth: number): Interpolated {
    return interpolate(text, this.env, (path) => {
      const node = this.node(path);
      if (depth > 16 || !isScalar(node)) return undefined;
      return typeof node.value === "string" && hasInterpolation(node.value)
        ? this.resolve(node.value, depth + 1)
        : { kind: "value", value: node.value, env: [] };
    });
  }

  private wrongType(path: string, expected: string, found: unknown): undefined {
    this.diagnostics.push(diagnostic("E2101", { expected, found: JSON.stringify(found) }, this.valueSpan(path), { label: `\`${path}\` must be ${expected}` }));
    return undefined;
  }

  private valueSpan(path: string): Span {
    const node = this.node(path);
    return node?.range ? this.lines.span(this.file, node.range[0], node.range[1]) : this.spanAt(path);
  }

  private node(path: string): YamlNode | undefined {
    let node: YamlNode | null | undefined = this.root;
    for (const part of path.split(".")) {
      if (isMap(node)) node = node.get(part, true) as YamlNode | undefined;
      else if (isSeq(node) && /^\d+$/.test(part)) node = node.get(Number(part), true) as YamlNode | undefined;
      else return undefined;
    }
    return node ?? undefined;
  }

  /** The span of the key at `path` (its line), or of the file's start. */
  private keySpan(path: string): Span {
    const parent = path.includes(".") ? this.node(this.parentOf(path)) : this.root;
    const last = path.split(".").at(-1)!;
    if (isMap(parent)) {
      const pair = (parent.items as Pair<YamlNode, YamlNode>[]).find((p) => String(isScalar(p.key) ? p.key.value : p.key) === last);
      if (pair && isScalar(pair.key) && pair.key.range) return this.lines.span(this.file, pair.key.range[0], pair.key.range[1]);
    }
    if (isSeq(parent)) {
      const item = parent.items[Number(last)] as YamlNode | undefined;
      if (item?.range) return this.lines.span(this.file, item.range[0], item.range[0] + 1);
    }
    return this.lines.span(this.file, 0, 0);
  }

  private spanAt(path: string): Span {
    return path === "" ? this.lines.span(this.file, 0, 0) : this.keySpan(path);
  }

  private parentOf(path: string): string {
    const i = path.lastIndexOf(".");
    return i < 0 ? "" : path.slice(0, i);
  }
}

function join(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}
