/**
 * Reading an engine's YAML config for `roux import`, with every value's place in the file: a
 * value of the wrong type is E2101 at that value, a missing one E2102, and every key the
 * importer never read is E3401 (a feature of the engine the recipe language cannot say) at
 * that key. Paths are dotted (`actor_rollout_ref.actor.clip_ratio_low`); list items are
 * numbered (`stages.1.algorithm`).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from "yaml";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { LineIndex, type Span } from "../../diagnostics/span.js";

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

  /** A string that must be one of `choices`. */
  choice<T extends string>(path: string, choices: readonly T[]): T | undefined {
    const value = this.str(path);
    if (value === undefined) return undefined;
    if ((choices as readonly string[]).includes(value)) return value as T;
    return this.wrongType(path, `one of ${choices.map((c) => `\`${c}\``).join(", ")}`, value);
  }

  numbers(path: string): number[] | undefined {
    const node = this.node(path);
    if (node === undefined) return undefined;
    this.read.add(path);
    if (!isSeq(node) || !node.items.every((i) => isScalar(i) && typeof i.value === "number")) return this.wrongType(path, "a list of numbers", node.toJSON());
    return node.items.map((i) => (i as { value: number }).value);
  }

  /** How many items the list at `path` has (0 when absent). */
  length(path: string): number {
    const node = this.node(path);
    if (node === undefined) return 0;
    if (!isSeq(node)) return this.wrongType(path, "a list", node.toJSON()) ?? 0;
    this.read.add(path);
    return node.items.length;
  }

  /** The keys of the mapping at `path`. */
  keys(path: string): string[] {
    const node = this.node(path);
    if (node === undefined || !isMap(node)) return [];
    this.read.add(path);
    return node.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key));
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
  unsupported(path: string, feature: string, help: string): void {
    this.read.add(path);
    this.diagnostics.push(
      diagnostic("E3401", { feature, target: "a Roux recipe" }, this.spanAt(path), {
        label: `\`${path}\` cannot be imported`,
        notes: ["the recipe is written without it"],
        help,
      }),
    );
  }

  /** E3401 for every key nothing read: what the import leaves behind. */
  reportUnread(): void {
    const walk = (node: YamlNode | null, prefix: string) => {
      if (node === null || this.covered(prefix)) return;
      if (isMap(node) && node.items.length > 0) {
        for (const pair of node.items as Pair<YamlNode, YamlNode>[]) walk(pair.value, join(prefix, String(isScalar(pair.key) ? pair.key.value : pair.key)));
        return;
      }
      if (isSeq(node) && node.items.length > 0 && node.items.every(isMap)) {
        node.items.forEach((item, i) => {
          walk(item as YamlNode, join(prefix, String(i)));
        });
        return;
      }
      this.diagnostics.push(
        diagnostic("E3401", { feature: `${this.engine}'s \`${prefix}\``, target: "a Roux recipe" }, this.keySpan(prefix), {
          label: "roux import has no recipe field for this key",
          notes: ["the recipe is written without it"],
          help: "check that the engine's default for it is what you want, or remove it from the config",
        }),
      );
    };
    walk(this.root, "");
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
    return node.value === null ? undefined : node.value;
  }

  private wrongType(path: string, expected: string, found: unknown): undefined {
    const node = this.node(path);
    const span = node?.range ? this.lines.span(this.file, node.range[0], node.range[1]) : this.spanAt(path);
    this.diagnostics.push(diagnostic("E2101", { expected, found: JSON.stringify(found) }, span, { label: `\`${path}\` must be ${expected}` }));
    return undefined;
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
