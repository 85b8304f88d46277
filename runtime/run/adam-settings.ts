/** A Step node's optimizer at one step of the stage: the learning rate its schedule gives there. */
import type { Optimizer } from "../../plan/plan.js";
import { scheduleAt } from "../ops/schedule.js";
import { opsSchedule, type StageClock } from "../plan-schedule.js";
import type { AdamSettings } from "../trainer/adam.js";

export function adamAt(optimizer: Optimizer, step: number, clock: StageClock): AdamSettings {
  const schedule = opsSchedule(optimizer.lr, clock);
  if (schedule === undefined) throw new Error("the learning rate's schedule is in tokens, which is not a number of steps");
  const [beta1, beta2] = optimizer.betas;
  if (beta1 === undefined || beta2 === undefined) throw new Error(`plan: Adam's betas are ${JSON.stringify(optimizer.betas)}, expected two numbers`);
  return { lr: scheduleAt(schedule, step), betas: [beta1, beta2], weightDecay: optimizer.weight_decay, clipGrad: optimizer.clip_grad };
}
