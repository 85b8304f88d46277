/**
 * Which meaning of a name a place of use takes, when the name has several (a module's own
 * declaration, a prelude value, a built-in): decided by the kind of value each gives, known
 * without evaluating it (which could be a cycle).
 */
import type { TypeKind } from "../types.js";
import type { Expected } from "./bind.js";
import type { Binding, Declaration } from "./scope.js";

const DECLARATION_KINDS: Readonly<Record<Declaration["kind"], TypeKind | undefined>> = {
  let: undefined,
  model: "Model",
  data: "Dataset",
  reward: "Reward",
  stage: "Stage",
};

function bindingKind(binding: Binding): TypeKind | undefined {
  switch (binding.kind) {
    case "builtin":
      return binding.builtin.result.kind;
    case "prelude":
      return binding.value.type.kind;
    case "declaration":
      return DECLARATION_KINDS[binding.declaration.kind];
    case "module":
      return "Module";
  }
}

/**
 * Among the meanings of a name (the module's own first), the one the place of use can take
 * (`advantage = rloo` is the built-in advantage even inside the preset stage named `rloo`); the
 * module's own name wins otherwise. Undefined when the name has no meaning at all.
 */
export function pickBinding(candidates: Binding[], expected: Expected): Binding | undefined {
  const [first] = candidates;
  if (candidates.length === 1 || !("types" in expected)) return first;
  const wanted = new Set<TypeKind>(expected.types.map((t) => t.kind).filter((k) => k !== "Unknown"));
  if (wanted.has("Float") || wanted.has("Schedule")) for (const k of ["Int", "Fraction", "Float"] as const) wanted.add(k);
  return candidates.find((b) => wanted.has(bindingKind(b) as TypeKind)) ?? first;
}
