/**
 * `roux eval RUN_DIR [--data NAME]`: the run's newest checkpoint evaluated on a dataset of its
 * plan, with the rewards, temperature and samples of the run's last eval block (greedy, with
 * every reward source of the plan, when it has none). The result is also appended to the run's
 * events.jsonl as an eval event.
 */
import type { Plan } from "../../plan/plan.js";
import { JsonlLog } from "../record/jsonl-log.js";
import { CheckpointError } from "./checkpoint.js";
import { runEval, type EvalBlock, type EvalResult } from "./evaluate.js";
import { recordEval } from "./eval-record.js";
import type { RunDirectory } from "./run-dir.js";
import { closeSession, openSession } from "./session.js";

export class EvalRequestError extends Error {}

export async function evaluateRun(dir: RunDirectory, data: string | undefined): Promise<EvalResult & { stage: string; step: number }> {
  const plan = await dir.readRunnablePlan();
  const latest = await dir.latestCheckpoint();
  if (latest === undefined) throw new CheckpointError(`${dir.dir} has no checkpoint yet: there is no trained policy to evaluate`);
  const block = evalBlock(plan, data);
  const session = await openSession(plan);
  try {
    session.engine.setWeights(latest.checkpoint.weights);
    const { position } = latest.checkpoint;
    const result = await runEval(session, block, { stage: position.stage, step: position.step });
    const events = new JsonlLog(dir.eventsFile);
    try {
      events.append(await recordEval(dir, result, position.stageName, position.step));
    } finally {
      events.close();
    }
    return { ...result, stage: position.stageName, step: position.step };
  } finally {
    await closeSession(session);
  }
}

function evalBlock(plan: Plan, data: string | undefined): EvalBlock {
  const last = [...plan.stages].reverse().find((s) => s.eval !== null)?.eval ?? null;
  const name = data ?? last?.data;
  const names = plan.datasets.map((d) => `\`${d.name}\``).join(", ");
  if (name === undefined) throw new EvalRequestError(`the run has no eval block, so name a dataset with --data; its datasets: ${names}`);
  if (!plan.datasets.some((d) => d.name === name)) throw new EvalRequestError(`the run has no dataset \`${name}\`; its datasets: ${names}`);
  const rewards = last?.rewards ?? plan.rewards.map((r) => ({ label: r.name, expr: { op: "reward" as const, name: r.name } }));
  return { data: name, temperature: last?.temperature ?? 0, samples: last?.samples ?? 1, rewards };
}
