/**
 * Checks one module: its declarations (duplicates E1104, self-reference), its imports, its
 * `run` block, and, in a recipe (a module with `run`), declarations nothing uses (W0001).
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type * as A from "../../grammar/ast.js";
import type { Builtin } from "../builtins/shape.js";
import { lookupBuiltin, RECORDS } from "../builtins/table.js";
import { assignable, showType as typeText, T, type Type } from "../types.js";
import { unknownAt, type Checked } from "../values.js";
import { bindArguments } from "./bind.js";
import { Evaluator, type Environment } from "./evaluate.js";
import { checkRun } from "./run.js";
import type { Binding, Declaration, ModuleView } from "./scope.js";
import { declaredType } from "./type-names.js";

const DECLARED_TYPES: Readonly<Record<Exclude<Declaration["kind"], "let" | "reward">, Type[]>> = {
  model: [T.model],
  data: [T.dataset],
  stage: [T.stage("rl"), T.stage("sft")],
};

/** What the program gives a module: its imports (already loaded) and the global names. */
export interface ModuleContext extends Environment {
  importModule(use: A.UseItem): ModuleView | undefined;
}

export interface ModuleResult {
  declarations: Map<string, Declaration>;
  run?: Checked;
}

export class ModuleChecker {
  readonly declarations = new Map<string, Declaration>();
  private readonly imports = new Map<string, { module: ModuleView; span: Span }>();
  private readonly evaluator: Evaluator;
  private readonly isRecipe: boolean;

  constructor(
    readonly ast: A.RecipeFile,
    private readonly context: ModuleContext,
  ) {
    this.isRecipe = ast.items.some((item) => item.kind === "run");
    this.collect();
    this.evaluator = new Evaluator(
      context,
      (name) => this.local(name),
      () => [...this.declarations.keys(), ...this.imports.keys()],
      (declaration, usedAt) => this.value(declaration, usedAt),
    );
  }

  private report(d: Diagnostic): void {
    this.context.report(d);
  }

  private collect(): void {
    for (const item of this.ast.items) {
      if (item.kind === "run") continue;
      if (item.kind === "use") {
        const module = this.context.importModule(item);
        if (module) this.claim(item.alias.name, item.alias.span, () => this.imports.set(item.alias.name, { module, span: item.alias.span }));
        continue;
      }
      this.claim(item.name.name, item.name.span, () =>
        this.declarations.set(item.name.name, { name: item.name.name, kind: item.kind, item, nameSpan: item.name.span, state: "unchecked", uses: 0 }),
      );
    }
  }

  /** Registers a top-level name, or reports E1104 when the module already has it. */
  private claim(name: string, span: Span, register: () => void): void {
    const earlier = this.declarations.get(name)?.nameSpan ?? this.imports.get(name)?.span;
    if (earlier === undefined) return register();
    this.report(
      diagnostic("E1104", { name }, span, {
        label: "declared again here",
        secondary: [{ span: earlier, message: "first declared here" }],
        help: "give one of them another name",
      }),
    );
  }

  private local(name: string): Binding | undefined {
    const declaration = this.declarations.get(name);
    if (declaration) return { kind: "declaration", declaration };
    const imported = this.imports.get(name);
    return imported ? { kind: "module", module: imported.module, span: imported.span } : undefined;
  }

  /** A declaration's checked value, evaluated on first use. */
  value(declaration: Declaration, usedAt?: Span): Checked {
    if (usedAt) declaration.uses++;
    if (declaration.state === "done") return declaration.value!;
    if (declaration.state === "checking") {
      // A stage may name itself (as a KL reference): only its identity is needed, and whether
      // that reference is valid is the run check's question (E3105), not a cycle.
      if (declaration.kind === "stage") return { ...unknownAt(usedAt ?? declaration.nameSpan), declaration: { name: declaration.name, span: declaration.nameSpan } };
      this.report(
        diagnostic("E2101", { expected: "a value", found: `\`${declaration.name}\` defined in terms of itself` }, usedAt ?? declaration.nameSpan, {
          label: "refers back to the declaration being defined",
          secondary: [{ span: declaration.nameSpan, message: `\`${declaration.name}\` is declared here` }],
        }),
      );
      return unknownAt(usedAt ?? declaration.nameSpan);
    }
    declaration.state = "checking";
    const value = this.evaluateDeclaration(declaration);
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
          this.report(diagnostic("E2101", { expected: typeText(wanted), found: typeText(value.type) }, item.value.span, { label: "does not match the declared type", secondary: [{ span: item.type!.span, message: "declared here" }] }));
        }
        return value;
      }
      case "reward":
        return this.reward(item);
      case "stage": {
        const value = this.evaluator.evaluate(item.value, { types: DECLARED_TYPES.stage, complete: this.isRecipe });
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
      diagnostic("E2101", { expected: what, found: typeText(value.type) }, span, {
        label: `this is ${typeText(value.type)}`,
        help: value.fn ? `\`${value.fn.name}\` takes arguments: write \`${value.fn.name} { ... }\`` : undefined,
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
    this.report(
      diagnostic("E2103", { name: item.name.name, declared, actual: value.reward.granularity }, item.granularity.span, {
        label: `declared ${declared}`,
        secondary: [{ span: item.value.span, message: `gives ${value.reward.granularity} rewards` }],
        help: `declare it \`reward ${item.name.name} : ${value.reward.granularity} = ...\`${value.reward.granularity === "outcome" && declared === "process" ? ", or lift it with `at_end(...)` or `each_step(...)`" : ""}`,
      }),
    );
    return value;
  }

  /** Checks every declaration and the run block; returns the module's result. */
  check(): ModuleResult {
    for (const declaration of this.declarations.values()) this.value(declaration);
    const runItem = this.ast.items.find((item): item is A.RunItem => item.kind === "run");
    const run = runItem ? this.checkRunBlock(runItem) : undefined;
    if (this.isRecipe) this.reportUnused();
    return { declarations: this.declarations, run };
  }

  private checkRunBlock(item: A.RunItem): Checked {
    const args = item.block.fields.map((f) => ({ name: f.name, expr: f.value, span: f.span }));
    const fields = bindArguments(
      { owner: "of `run`", params: RECORDS.run, positional: 0, args, span: item.block.span, requireAll: true },
      (e, x) => this.evaluator.evaluate(e, x),
      (d) => this.report(d),
    );
    const run: Checked = { type: T.record, span: item.span, fields };
    checkRun(run, [...this.declarations.values()], (d) => this.report(d));
    return run;
  }

  private reportUnused(): void {
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
