/**
 * A plan as boxes and arrows, for the DOT and Mermaid backends: one cluster per stage in run
 * order, a box per node (its label and, below it, the value it computes), and three kinds of
 * arrow: data (a node reads another's output), next (a stage starts from the policy the one
 * before it left) and ref (a KL term's reference is the policy after that stage's last step).
 */
import type { Node, Plan, Stage } from "../../plan/plan.js";
import { nodeLabel, outputText, stageTitle } from "./label.js";

export interface Box {
  /** Unique in the drawing: `stage/node`. */
  key: string;
  label: string;
  output?: string;
}

export interface Cluster {
  title: string;
  boxes: Box[];
}

export interface Arrow {
  from: string;
  to: string;
  kind: "data" | "next" | "ref";
}

export interface Drawing {
  clusters: Cluster[];
  arrows: Arrow[];
}

export function drawPlan(plan: Plan): Drawing {
  const key = (stage: string, node: string) => `${stage}/${node}`;
  // A stage's policy is the one after its last node; a stage without nodes has no box to point from.
  const end = (stage: Stage | undefined) => {
    const node = stage?.graph.at(-1);
    return stage === undefined || node === undefined ? undefined : key(stage.name, node.id);
  };
  const arrows: Arrow[] = [];
  const clusters = plan.stages.map((stage, i) => {
    const previousEnd = end(plan.stages[i - 1]);
    const first = stage.graph[0];
    if (previousEnd !== undefined && first !== undefined) arrows.push({ from: previousEnd, to: key(stage.name, first.id), kind: "next" });
    for (const node of stage.graph) {
      for (const input of node.inputs) arrows.push({ from: key(stage.name, input), to: key(stage.name, node.id), kind: "data" });
      const refEnd = end(plan.stages.find((s) => s.name === klReference(node)));
      if (refEnd !== undefined) arrows.push({ from: refEnd, to: key(stage.name, node.id), kind: "ref" });
    }
    const boxes = stage.graph.map((node) => ({
      key: key(stage.name, node.id),
      label: nodeLabel(node, stage, plan),
      output: "output" in node ? outputText(node.output) : undefined,
    }));
    return { title: stageTitle(stage), boxes };
  });
  return { clusters, arrows };
}

/** The stage a Loss node's KL term refers to, if it names one. */
function klReference(node: Node): string | undefined {
  if (node.op !== "Loss" || node.loss.objective !== "ppo") return undefined;
  const ref = node.loss.kl?.ref;
  return ref?.kind === "stage" ? ref.stage : undefined;
}
