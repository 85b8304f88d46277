/** Looking up a stage graph's nodes by op, for the passes and backends that read one node. */
import type { Node } from "../../plan/plan.js";

export function findNode<Op extends Node["op"]>(graph: readonly Node[], op: Op): Extract<Node, { op: Op }> | undefined {
  return graph.find((n): n is Extract<Node, { op: Op }> => n.op === op);
}

/** The node, which the stage's kind guarantees (an RL stage always has a Sample node). */
export function nodeOf<Op extends Node["op"]>(graph: readonly Node[], op: Op): Extract<Node, { op: Op }> {
  const node = findNode(graph, op);
  if (node === undefined) throw new Error(`the stage graph has no ${op} node`);
  return node;
}
