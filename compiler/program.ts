/**
 * Checks a recipe and everything it imports: parses each module once, resolves `use` (cycles
 * are E1102, missing modules E1105), and checks each module against the prelude (std/presets)
 * and the built-ins. This is what `roux check` runs.
 */
import { diagnostic, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import path from "node:path";
import type * as A from "../grammar/ast.js";
import { parse, type ParseResult } from "../grammar/parse.js";
import type { Builtin } from "./builtins/shape.js";
import { BUILTINS } from "./builtins/table.js";
import { TASK_MEMBERS } from "./builtins/tasks.js";
import { ModuleChecker, type ModuleResult } from "./check/module.js";
import type { Checked } from "./values.js";
import type { Binding, ModuleView } from "./check/scope.js";
import { DEFAULT_RESOLVERS, type ModuleResolver } from "./modules/resolve.js";
import { localFileRefused, sealedMayRead } from "./modules/sealed.js";
import { applyOverrides, type OverrideSource } from "./overrides.js";
import type { Target } from "./check/target.js";

export interface CheckedModule {
  file: string;
  /** How it was imported (`std/arith`, `./lib.recipe`); the root's is its file name. */
  specifier: string;
  source: string;
  ast: A.RecipeFile;
  result?: ModuleResult;
  /** From a registry: it may not read local files (modules/sealed.ts)... */
  sealed: boolean;
  /** ...but those inside this folder, its package's, when it came in one. */
  packageRoot?: string;
}

export interface ProgramResult {
  root: CheckedModule;
  modules: Map<string, CheckedModule>;
  diagnostics: Diagnostic[];
}

/** The module every recipe sees without importing it: the RL presets. */
export const PRELUDE = "std/presets";

/**
 * Where a file a recipe names lives (a dataset, a reward model or module): relative to the
 * module that names it, or, for a path given in a `--set` override, relative to the recipe.
 * `roux check` reads it there and the Plan records it there, absolute.
 */
export function namedFilePath(program: ProgramResult, pathValue: Checked, given: string): string {
  const named = pathValue.span.file;
  const base = program.modules.has(named) ? named : program.root.file;
  return path.resolve(path.dirname(base), given);
}

export interface ProgramOptions {
  /** `--set` overrides, applied to the root module before checking. */
  overrides?: readonly OverrideSource[];
  resolvers?: readonly ModuleResolver[];
  /** Check the root as a registry module, sealed: how the registry's server checks an upload. */
  sealedRoot?: boolean;
  /** The folder of the root's package, for a sealed root published with its files. */
  rootPackage?: string;
  /** The target the recipe is checked for (E3401); the local runtime by default. */
  target?: Target;
  /**
   * How a module's text is parsed: `parse`, or what gives the same result faster, as the
   * language server's reparser does (grammar/reparse.ts).
   */
  parse?: (text: string, file: string) => ParseResult;
}

export function checkProgram(file: string, source: string, options: ProgramOptions = {}): ProgramResult {
  return new Program(options.resolvers ?? DEFAULT_RESOLVERS, options.overrides ?? [], options.target ?? "local", options.parse ?? parse).run(file, source, {
    sealed: options.sealedRoot ?? false,
    packageRoot: options.rootPackage,
  });
}

class Program {
  private readonly modules = new Map<string, CheckedModule>();
  private readonly views = new Map<string, ModuleView>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly loading: string[] = [];
  private prelude?: ModuleView;
  private readonly builtins = new Map<string, Builtin>(BUILTINS.map((b) => [b.name, b]));

  constructor(
    private readonly resolvers: readonly ModuleResolver[],
    private readonly overrides: readonly OverrideSource[],
    private readonly target: Target,
    private readonly parseText: (text: string, file: string) => ParseResult,
  ) {}

  run(file: string, source: string, seal: { sealed: boolean; packageRoot?: string }): ProgramResult {
    this.prelude = this.loadPrelude(file);
    this.load(file, source, file, { overrides: this.overrides, ...seal });
    const root = this.modules.get(file)!;
    return { root, modules: this.modules, diagnostics: sortDiagnostics(distinct(this.diagnostics)) };
  }

  private loadPrelude(fromFile: string): ModuleView | undefined {
    const resolver = this.resolvers.find((r) => r.handles(PRELUDE));
    const resolution = resolver?.resolve(PRELUDE, fromFile);
    if (!resolution?.ok) throw new Error(`the standard prelude ${PRELUDE} is missing: ${resolution?.ok === false ? resolution.reason : "no resolver"}`);
    return this.load(resolution.file, resolution.source, PRELUDE, { withPrelude: false });
  }

  /** Parses and checks a module once; later imports of the same file share its view. */
  private load(
    file: string,
    source: string,
    specifier: string,
    how: { withPrelude?: boolean; overrides?: readonly OverrideSource[]; sealed?: boolean; packageRoot?: string } = {},
  ): ModuleView | undefined {
    const { withPrelude = true, overrides = [], sealed = false, packageRoot } = how;
    const cached = this.views.get(file);
    if (cached) return cached;
    // Overrides are spliced into the AST, which must then be this check's own, not one kept for reuse.
    const parsed = overrides.length > 0 ? parse(source, file) : this.parseText(source, file);
    // Overrides apply to a module that parsed; their own syntax errors stop its checking too.
    const problems = parsed.diagnostics.length === 0 ? applyOverrides(parsed.ast, overrides) : parsed.diagnostics;
    this.diagnostics.push(...problems);
    const module: CheckedModule = { file, specifier, source, ast: parsed.ast, sealed, ...(packageRoot === undefined ? {} : { packageRoot }) };
    this.modules.set(file, module);
    if (problems.some((d) => d.severity === "error")) return undefined;
    this.loading.push(file);
    const checker = new ModuleChecker(parsed.ast, {
      file,
      report: (d) => this.diagnostics.push(d),
      global: (name) => this.global(name, withPrelude),
      globalNames: () => [...this.builtins.keys(), ...(withPrelude && this.prelude ? this.prelude.memberNames() : [])],
      importModule: (use) => this.import(use, file),
      target: this.target,
    });
    const taskName = specifier.startsWith("std/") ? specifier.slice(4) : undefined;
    const tasks = (taskName && TASK_MEMBERS[taskName]) || [];
    const view = checker.view(
      specifier,
      (name) => {
        const member = tasks.find((t) => t.name === name);
        return member ? checker.builtinValue(member, parsed.ast.span) : undefined;
      },
      () => tasks.map((t) => t.name),
    );
    this.views.set(file, view);
    module.result = checker.check();
    this.loading.pop();
    return view;
  }

  private global(name: string, withPrelude: boolean): Binding[] {
    const bindings: Binding[] = [];
    const preset = withPrelude ? this.prelude?.member(name) : undefined;
    if (preset) bindings.push({ kind: "prelude", value: preset, name });
    const builtin = this.builtins.get(name);
    if (builtin) bindings.push({ kind: "builtin", builtin });
    return bindings;
  }

  private import(use: A.UseItem, fromFile: string): ModuleView | undefined {
    const specifier = use.path.value;
    const resolver = this.resolvers.find((r) => r.handles(specifier));
    const importer = this.modules.get(fromFile)!;
    // A package's module reads its package's own files (modules/sealed.ts); other sealed modules none.
    const local = importer.sealed && resolver?.readsLocalFiles === true;
    if (local && importer.packageRoot === undefined) {
      this.diagnostics.push(localFileRefused(importer.specifier, `\`${specifier}\``, use.path.span));
      return undefined;
    }
    const resolution = resolver
      ? resolver.resolve(specifier, fromFile, use.sha256?.value)
      : {
          ok: false as const,
          reason: `\`${specifier}\` is neither \`std/NAME\`, a relative \`./file.recipe\` nor \`registry:OWNER/NAME@VERSION\``,
          // A local file written without `./` is the likely slip.
          help: specifier.endsWith(".recipe") ? `for a file relative to this one, write \`use "./${specifier}" as ...\`` : undefined,
        };
    if (!resolution.ok) {
      const code = resolution.code ?? "E1105";
      const label = code === "E1103" ? "this import" : resolution.reason;
      this.diagnostics.push(diagnostic(code, { module: specifier, reason: resolution.reason }, use.path.span, { label, help: resolution.help }));
      return undefined;
    }
    const cycleStart = this.loading.indexOf(resolution.file);
    if (cycleStart >= 0) {
      const cycle = [...this.loading.slice(cycleStart), resolution.file].map((f) => this.modules.get(f)?.file ?? f).join(" -> ");
      this.diagnostics.push(
        diagnostic("E1102", { cycle }, use.path.span, {
          label: "this import closes the cycle",
          help: "move what both modules need into a third module that imports neither",
        }),
      );
      return undefined;
    }
    if (local && !sealedMayRead(importer.packageRoot, resolution.file)) {
      this.diagnostics.push(localFileRefused(importer.specifier, `\`${specifier}\``, use.path.span, true));
      return undefined;
    }
    this.diagnostics.push(...(resolution.problems ?? []));
    const seal = local ? { sealed: true, packageRoot: importer.packageRoot } : { sealed: resolution.sealed, packageRoot: resolution.packageRoot };
    return this.load(resolution.file, resolution.source, specifier, seal);
  }
}

/**
 * Each diagnostic once. A stage amended with `with` is checked again with the fields it keeps,
 * so a mistake in those fields (min-form credit on an outcome reward) is found by both stages at
 * the same place; it is one mistake.
 */
function distinct(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.span.file, d.span.start.offset, d.span.end.offset, d.message, d.label]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
