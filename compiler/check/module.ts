/**
 * Checks one module: its declarations (duplicates E1104, self-reference), its imports, its
 * `run` block, and, in a recipe (a module with `run`), declarations nothing uses (W0001).
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type * as A from "../../grammar/ast.js";
import type { Builtin } from "../builtins/shape.js";
import { RECORDS } from "../builtins/records.js";
import { lookupBuiltin } from "../builtins/table.js";
import { assignable, showType as typeText, T, type Type } from "../types.js";
import { unknownAt, type Checked } from "../values.js";
import { bindArguments } from "./bind.js";
import { Evaluator, type Environment } from "./evaluate.js";
import { checkRun } from "./run.js";
import type { Target } from "./target.js";
import type { Binding, Declaration, ModuleView, NameReference } from "./scope.js";
import { dependencyOrder } from "./check-order.js";
import { NESTING_LIMIT } from "../../grammar/nesting.js";
import { declaredType } from "./type-names.js";

const DECLARED_TYPES: Readonly<Record<Exclude<Declaration["kind"], "let" | "reward">, Type[]>> = {
  model: [T.model],
  data: [T.dataset],
  stage: [T.stage("rl"), T.stage("sft")],
};

/** What the program gives a module: its imports (already loaded) and the global names. */
export interface ModuleContext extends Environment {
  importModule(use: A.UseItem): ModuleView | undefined;
  /** What the run block must fit (E3401); the local runtime unless a command says otherwise. */
  target?: Target;
}

export interface ModuleResult {
  declarations: Map<string, Declaration>;
  run?: Checked;
  references: NameReference[];
}

export class ModuleChecker {
  readonly declarations = new Map<string, Declaration>();
  /** Second and later declarations of a name (E1104): still checked, never looked up. */
  private readonly duplicates: Declaration[] = [];
  /** Names declared twice: a use of one could mean either, so it is not checked further. */
  private readonly ambiguous = new Set<string>();
  /** The declarations being evaluated, outermost first, to name a cycle's path. */
  private readonly checking: Declaration[] = [];
  /** Whether a chain of declarations into a cycle went past the nesting limit (reported once). */
  private chainTooDeep = false;
  /** Errors reported in this module, imports that failed included. */
  private errors = 0;
  private readonly imports = new Map<string, { module: ModuleView; span: Span }>();
  private readonly evaluator: Evaluator;
  private readonly isRecipe: boolean;

  constructor(
    readonly ast: A.RecipeFile,
    private readonly context: ModuleContext,
  ) {
    this.isRecipe = ast.items.some((item) => item.kind === "run");
    this.collect();
    const counting: Environment = {
      global: (name) => context.global(name),
      globalNames: () => context.globalNames(),
      report: (d) => this.report(d),
      file: context.file,
    };
    this.evaluator = new Evaluator(
      counting,
      (name) => this.local(name),
      () => [...this.declarations.keys(), ...this.imports.keys()],
      (declaration, usedAt, reference) => this.value(declaration, usedAt, reference),
    );
  }

  private report(d: Diagnostic): void {
    if (d.severity === "error") this.errors++;
    this.context.report(d);
  }

  private collect(): void {
    let firstRun: Span | undefined;
    for (const item of this.ast.items) {
      if (item.kind === "run") {
        const keyword: Span = {
          file: item.span.file,
          start: item.span.start,
          end: { ...item.span.start, column: item.span.start.column + 3, offset: item.span.start.offset + 3 },
        };
        if (firstRun === undefined) firstRun = keyword;
        else {
          this.report(
            diagnostic("E1104", { name: "run" }, keyword, {
              label: "a second `run` block",
              secondary: [{ span: firstRun, message: "the first is here" }],
              help: "a recipe has one `run` block: merge the two",
            }),
          );
        }
        continue;
      }
      if (item.kind === "use") {
        // A module that could not be loaded (E1105, E1102) still binds its alias, to a module
        // whose every member is Unknown: its uses are not each an unknown name.
        let module = this.context.importModule(item);
        if (module === undefined) {
          this.errors++; // reported by the program (E1105, E1102)
          module = unavailableModule(item.path.value, item.path.span);
        }
        this.claim(item.alias.name, item.alias.span, () => this.imports.set(item.alias.name, { module, span: item.alias.span }));
        continue;
      }
      // A sweep's settings are checked as each point's overrides (compiler/sweep/), not here.
      if (item.kind === "sweep" || item.kind === "variants") continue;
      const declaration: Declaration = { name: item.name.name, kind: item.kind, item, nameSpan: item.name.span, state: "unchecked", uses: 0 };
      if (!this.claim(item.name.name, item.name.span, () => this.declarations.set(item.name.name, declaration))) this.duplicates.push(declaration);
    }
  }

  /** Registers a top-level name, or reports E1104 when the module already has it (and returns false). */
  private claim(name: string, span: Span, register: () => void): boolean {
    const earlier = this.declarations.get(name)?.nameSpan ?? this.imports.get(name)?.span;
    if (earlier === undefined) {
      register();
      return true;
    }
    this.ambiguous.add(name);
    this.report(
      diagnostic("E1104", { name }, span, {
        label: "declared again here",
        secondary: [{ span: earlier, message: "first declared here" }],
        help: "give one of them another name",
      }),
    );
    return false;
  }

  private local(name: string): Binding | undefined {
    const declaration = this.declarations.get(name);
    if (declaration) return { kind: "declaration", declaration };
    const imported = this.imports.get(name);
    return imported ? { kind: "module", module: imported.module, span: imported.span } : undefined;
  }

  /**
   * A declaration's checked value, evaluated on first use. `reference` is set where only the
   * identity of a stage is needed (a KL reference), not its value.
   */
  value(declaration: Declaration, usedAt?: Span, reference = false): Checked {
    if (usedAt) declaration.uses++;
    if (usedAt && this.ambiguous.has(declaration.name)) {
      // Declared twice (E1104): which one is meant is unknown, so nothing is checked against it.
      return unknownAt(usedAt);
    }
    if (declaration.state === "done") return declaration.value!;
    if (declaration.state === "checking") {
      // A stage may name itself as a KL reference: only its identity is needed, and whether
      // that reference is valid is the run check's question (E3105), not a cycle.
      if (declaration.kind === "stage" && reference)
        return { ...unknownAt(usedAt ?? declaration.nameSpan), declaration: { name: declaration.name, span: declaration.nameSpan } };
      const through = this.checking.slice(this.checking.indexOf(declaration) + 1).map((d) => `\`${d.name}\``);
      this.report(
        diagnostic(
          "E2101",
          { expected: "a value", found: `\`${declaration.name}\` defined in terms of itself${through.length > 0 ? ` through ${through.join(", ")}` : ""}` },
          usedAt ?? declaration.nameSpan,
          {
            label: "refers back to the declaration being defined",
            secondary: [{ span: declaration.nameSpan, message: `\`${declaration.name}\` is declared here` }],
          },
        ),
      );
      return unknownAt(usedAt ?? declaration.nameSpan);
    }
    if (this.checking.length >= NESTING_LIMIT) {
      // Only a chain that leads into a cycle gets here: the others were checked dependencies
      // first (check-order.ts). Following it further would exhaust the stack.
      if (!this.chainTooDeep) {
        this.report(
          diagnostic("E0005", { what: "declarations", limit: NESTING_LIMIT }, usedAt ?? declaration.nameSpan, {
            label: `more than ${NESTING_LIMIT} declarations, each defined by the next, that lead back to one of them`,
            help: "a declaration cannot be defined in terms of itself: break the cycle",
          }),
        );
        this.chainTooDeep = true;
      }
      return unknownAt(usedAt ?? declaration.nameSpan);
    }
    declaration.state = "checking";
    this.checking.push(declaration);
    const value = this.evaluateDeclaration(declaration);
    this.checking.pop();
    declaration.value = { ...value, declaration: { name: declaration.name, span: declaration.nameSpan } };
    declaration.state = "done";
    return declaration.value;
  }

  private evaluateDeclaration(declaration: Declaration): Checked {
    const item = declaration.item;
    switch (item.kind) {
      case "let": {
        const wanted = item.type ? declaredType(item.type, (d) => this.report(d)) : undefined;
        const value = this.evaluator.evaluate(item.value, { types: wanted ? [wanted] : [T.unknown] });
        if (wanted && value.type.kind !== "Unknown" && !assignableTo(value, wanted)) {
          this.report(
            diagnostic("E2101", { expected: typeText(wanted), found: typeText(value.type) }, item.value.span, {
              label: "does not match the declared type",
              secondary: [{ span: item.type!.span, message: "declared here" }],
            }),
          );
          return unknownAt(item.value.span); // its uses are not reported again
        }
        return value;
      }
      case "reward":
        return this.reward(item);
      case "stage": {
        const expected = { types: DECLARED_TYPES.stage, complete: this.isRecipe };
        const named = item.value.kind === "ident" || item.value.kind === "member";
        const value =
          named && this.isRecipe ? this.evaluator.amendWith(item.value, [], item.value.span, expected) : this.evaluator.evaluate(item.value, expected);
        return this.expectKind(value, DECLARED_TYPES.stage, "a stage", item.value.span);
      }
      default: {
        const types = DECLARED_TYPES[item.kind];
        const value = this.evaluator.evaluate(item.value, { types });
        return this.expectKind(value, types, item.kind === "model" ? "a model" : "a dataset", item.value.span);
      }
    }
  }

  private expectKind(value: Checked, types: Type[], what: string, span: Span): Checked {
    if (value.type.kind === "Unknown" || types.some((t) => assignableTo(value, t))) return value;
    this.report(
      // A built-in named without its arguments is the usual slip: say so rather than `Function`.
      diagnostic("E2101", { expected: what, found: value.fn ? `the function \`${value.fn.name}\`` : typeText(value.type) }, span, {
        label: value.fn ? "named, not called" : `this is ${typeText(value.type)}`,
        help: value.fn ? argumentsHelp(value.fn) : undefined,
      }),
    );
    return unknownAt(span);
  }

  /** `reward NAME : g = source`: the source's granularity must be the declared one (E2103). */
  private reward(item: A.RewardItem): Checked {
    const declared = item.granularity.name;
    const value = this.evaluator.evaluate(item.value, { types: [T.reward(declared)] });
    if (value.type.kind === "Unknown") return value;
    if (value.reward === undefined) return this.expectKind(value, [T.reward(declared)], "a reward", item.value.span);
    const adopts = (value.call && lookupBuiltin(value.call.builtin)?.adopts) ?? [];
    if (value.reward.granularity === declared || adopts.includes(declared)) {
      return { ...value, type: T.reward(declared), reward: { ...value.reward, granularity: declared } };
    }
    const lift = value.reward.granularity === "outcome" && declared === "process" ? ", or lift it with `at_end(...)` or `each_step(...)`" : "";
    this.report(
      diagnostic("E2103", { name: item.name.name, declared, actual: value.reward.granularity }, item.granularity.span, {
        label: `declared ${declared}`,
        secondary: [{ span: item.value.span, message: `gives ${value.reward.granularity} rewards` }],
        help: `declare it \`reward ${item.name.name} : ${value.reward.granularity} = ...\`${lift}`,
      }),
    );
    // Neither granularity can be trusted now: uses of the reward are not checked against either.
    return unknownAt(item.value.span);
  }

  /** Checks every declaration and the run block; returns the module's result. */
  check(): ModuleResult {
    for (const declaration of dependencyOrder(this.declarations)) this.value(declaration);
    for (const declaration of [...this.declarations.values(), ...this.duplicates]) this.value(declaration);
    const [runItem, ...extraRuns] = this.ast.items.filter((item): item is A.RunItem => item.kind === "run");
    const run = runItem ? this.checkRunBlock(runItem) : undefined;
    // A second `run` block (E1104) is not used; its fields are still checked for their own mistakes.
    for (const extra of extraRuns) for (const field of extra.block.fields) this.evaluator.evaluate(field.value);
    this.evaluator.reportUnknownNames();
    if (this.isRecipe) this.reportUnused();
    return { declarations: this.declarations, run, references: this.evaluator.references };
  }

  private checkRunBlock(item: A.RunItem): Checked {
    const args = item.block.fields.map((f) => ({ name: f.name, expr: f.value, span: f.span }));
    const fields = bindArguments(
      { owner: "of `run`", params: RECORDS.run, positional: 0, args, span: item.block.span, requireAll: true, noun: "field" },
      (e, x) => this.evaluator.evaluate(e, x),
      (d) => this.report(d),
    );
    const run: Checked = { type: T.record, span: item.span, fields };
    checkRun(run, [...this.declarations.values()], (d) => this.report(d), this.context.target ?? "local");
    return run;
  }

  /**
   * W0001, in a module without errors only: after a mistake, a declaration can look unused
   * because the mistake hid its use (a misspelt name, a reference that did not resolve), and one
   * mistake is one diagnostic. The warnings come once the errors are fixed.
   */
  private reportUnused(): void {
    if (this.errors > 0) return;
    for (const declaration of this.declarations.values()) {
      if (declaration.uses > 0 || declaration.name.startsWith("_")) continue;
      this.report(
        diagnostic("W0001", { name: declaration.name }, declaration.nameSpan, {
          label: "never used",
          help: `remove it, or start its name with \`_\` to keep it unused on purpose`,
        }),
      );
    }
  }

  /** A built-in as a member of this module (a task's generator or verifier). */
  builtinValue(builtin: Builtin, span: Span): Checked {
    return this.evaluator.bare(builtin, span);
  }

  /** The module as importers see it. */
  view(specifier: string, extraMembers: (name: string) => Checked | undefined, extraNames: () => string[]): ModuleView {
    return {
      specifier,
      member: (name) => {
        const declaration = this.declarations.get(name);
        return declaration ? this.value(declaration, declaration.nameSpan) : extraMembers(name);
      },
      memberNames: () => [...this.declarations.keys(), ...extraNames()],
    };
  }
}

function assignableTo(value: Checked, type: Type): boolean {
  return assignable(value.type, type);
}

/** What a `use` that could not be loaded binds: a module whose every member is Unknown. */
function unavailableModule(specifier: string, span: Span): ModuleView {
  return { specifier, member: () => unknownAt(span), memberNames: () => [] };
}

/**
 * How to call a built-in named bare. The help names the required arguments rather than the
 * callee, which the user may have written qualified (`arith.problems`).
 */
function argumentsHelp(fn: Builtin): string {
  const required = fn.params.filter((p) => p.default === undefined && !p.optional).map((p) => `${p.name} = ...`);
  return `\`${fn.name}\` takes arguments: add them in braces after it, e.g. \`{ ${required.join(", ")} }\``;
}
