/**
 * Checks of the `run` block that look across stages: a stage listed twice (E3101), a KL
 * reference to a stage that does not run earlier (E3105), which model is the policy, and
 * whether each stage's responses fit in the policy's context (E2105).
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Checked } from "../values.js";
import type { Declaration } from "./scope.js";
import { checkTarget, type Target } from "./target.js";

/** The stages of a pipeline value, in order. */
export function pipelineStages(pipeline: Checked | undefined): Checked[] {
  if (pipeline === undefined || pipeline.type.kind === "Unknown") return [];
  return pipeline.type.kind === "Pipeline" ? (pipeline.items ?? []) : [pipeline];
}

/** Every KL term a stage's loss carries (`ppo { kl = k3(0.001, ref = warmup) }`). */
function klTerms(stage: Checked): Checked[] {
  const kl = stage.call?.args.get("loss")?.call?.args.get("kl");
  return kl?.call ? [kl] : [];
}

export function checkRun(run: Checked, declarations: Declaration[], report: (d: Diagnostic) => void, target: Target): void {
  const stages = pipelineStages(run.fields?.get("stages"));
  const seen = new Map<string, Checked>();
  for (const stage of stages) {
    const name = stage.declaration?.name;
    if (name === undefined) continue;
    const earlier = seen.get(name);
    if (earlier) {
      report(
        diagnostic("E3101", { name, problem: "runs twice in `run.stages`" }, stage.span, {
          label: "listed again here",
          secondary: [{ span: earlier.span, message: "first listed here" }],
          help: `to train twice, declare a second stage: \`stage ${name}_2 = ${name} with { ... }\``,
        }),
      );
      continue;
    }
    for (const kl of klTerms(stage)) {
      const ref = kl.call!.args.get("ref");
      const refName = ref?.declaration?.name;
      if (ref === undefined || refName === undefined || ref.type.kind === "Init") continue;
      if (!seen.has(refName)) {
        report(
          diagnostic("E3105", { ref: refName, stage: name }, ref.span, {
            label:
              refName === name
                ? "a stage cannot be its own reference"
                : stages.some((s) => s.declaration?.name === refName)
                  ? `\`${refName}\` has not run when \`${name}\` starts`
                  : `\`${refName}\` is not in \`run.stages\``,
            secondary: [{ span: stage.span, message: `\`${name}\` runs here` }],
            help: "reference a stage listed earlier in `run.stages`, or `init` for the starting policy",
            // The stage just before is the usual reference (the policy this one starts from).
            suggestion: { spans: [ref.span], text: [...seen.keys()].at(-1) ?? "init" },
          }),
        );
      }
    }
    seen.set(name, stage);
  }
  const policy = run.fields?.get("policy");
  const models = declarations.filter((d) => d.kind === "model");
  // A model declaration whose value is in error (already reported) may not be meant as one.
  const settled = models.every((m) => m.value?.type.kind !== "Unknown");
  const [firstModel] = models;
  if (policy === undefined && models.length !== 1 && settled) {
    report(
      diagnostic("E2102", { problem: "missing field", name: "policy", where: "of `run`" }, run.span, {
        label: firstModel === undefined ? "no model is declared" : `${models.length} models are declared`,
        help: firstModel === undefined ? "declare one: `model policy = transformer { ... }`" : `say which one: \`policy = ${firstModel.name}\``,
      }),
    );
  } else if (policy === undefined && models.length === 1 && firstModel?.value) {
    // The one model is the policy: written into the run so lowering has a single place to look.
    firstModel.uses++;
    run.fields?.set("policy", firstModel.value);
  }
  checkContext(stages, run.fields?.get("policy"), report);
  checkTarget(run, target, report);
}

/** E2105: a stage samples responses longer than the policy's context can hold. */
function checkContext(stages: Checked[], policy: Checked | undefined, report: (d: Diagnostic) => void): void {
  const context = policy?.call?.builtin === "transformer" ? policy.call.args.get("context")?.constant : undefined;
  if (context?.kind !== "number") return;
  for (const stage of stages) {
    const maxTokens = stage.call?.args.get("sample")?.fields?.get("max_tokens");
    const limit = maxTokens?.constant;
    if (limit?.kind !== "duration" || limit.value < context.value) continue;
    report(
      diagnostic(
        "E2105",
        { what: "`max_tokens`", reason: `${limit.value} tokens leave no room for the prompt in a context of ${context.value}` },
        maxTokens!.span,
        {
          label: "at least the policy's whole context",
          secondary: [{ span: policy!.call!.args.get("context")!.span, message: "the context is set here" }],
          help: `sample fewer tokens, or give the model a longer context`,
        },
      ),
    );
  }
}
