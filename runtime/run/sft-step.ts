/**
 * One SFT step (the `Batch → Loss → Step` graph): teacher-forced cross-entropy on the
 * responses of a batch of examples (each response followed by eos, so the policy learns to
 * stop), one Adam update.
 */
import type { SftStage } from "../../plan/plan.js";
import type { Sequence } from "../policy/sequence.js";
import { adamAt } from "./adam-settings.js";
import { now, type MetricsRecord } from "../record/events.js";
import { NonFiniteError } from "./non-finite.js";
import { examplesOf, type Session } from "./session.js";
import { stepExamples, type StageShape } from "./stage-clock.js";

export function sftStep(session: Session, stage: SftStage, stageIndex: number, shape: StageShape, step: number): MetricsRecord {
  const rows = stepExamples(examplesOf(session, shape.data), shape.rowsPerStep, step, session.plan.settings.seed, stageIndex, "order");
  const sequences: Sequence[] = rows.map((e) => ({ prompt: e.promptIds, response: e.target! }));
  const optimizer = stage.graph.find((n) => n.op === "Step");
  if (optimizer?.op !== "Step") throw new Error(`plan: stage \`${stage.name}\` has no Step node`);
  const adam = adamAt(optimizer.optimizer, step, shape.clock);
  const started = performance.now();
  const result = session.engine.sftStep(sequences, adam);
  const seconds = (performance.now() - started) / 1000;
  if (!result.applied) {
    throw new NonFiniteError(
      stage.name,
      step + 1,
      result.nonFinite === "gradient" ? "step" : "loss",
      result.nonFinite === "gradient" ? "the gradient" : "the loss",
    );
  }
  return {
    stage: stage.name,
    step: step + 1,
    time: now(),
    loss: result.loss,
    grad_norm: result.gradNorm,
    lr: adam.lr,
    tokens: result.tokens,
    train_tok_s: result.tokens / seconds,
    time_train_s: seconds,
  };
}
