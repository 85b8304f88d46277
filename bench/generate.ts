/**
 * A large synthetic recipe and the same content as YAML, for comparing parse speed on equal
 * input. Each unit is a model, a dataset, a reward and an RL stage, as a real recipe has them.
 */
export interface GeneratedPair {
  recipe: string;
  yaml: string;
  lines: number;
}

function recipeUnit(i: number): string {
  return `model policy_${i} = transformer {
  layers = 2
  d_model = 64
  heads = 4
  context = 96
  tokenizer = arith.tokenizer
}

data train_${i} = arith.problems { count = 4000, depth = 2..4, seed = ${i} }
data demos_${i} = arith.solutions { count = 1000, depth = 2..4, seed = ${i} }

reward correct_${i} : outcome = arith.answer_match
reward steps_${i} : process = arith.step_check

stage rl_${i} = grpo with {
  data = train_${i}
  steps = 200 steps
  batch = 16
  group = 8
  sample = { temperature = 1.0, max_tokens = 64 tokens }
  reward = prof(outcome = correct_${i}, process = steps_${i}, remove = 4)
  credit = outcome
  loss = ppo { clip = 0.2, kl = k3(0.001, ref = init) }
  expert = chord {
    data = demos_${i}
    mu = warmup_cosine(0.9 -> 0.05, warmup = 0 steps, decay = 200 steps)
    phi = true
    ratio = 20%
  }
}
`;
}

function yamlUnit(i: number): string {
  return `policy_${i}:
  kind: transformer
  layers: 2
  d_model: 64
  heads: 4
  context: 96
  tokenizer: arith.tokenizer
train_${i}:
  kind: arith.problems
  count: 4000
  depth: [2, 4]
  seed: ${i}
demos_${i}:
  kind: arith.solutions
  count: 1000
  depth: [2, 4]
  seed: ${i}
correct_${i}:
  kind: reward
  granularity: outcome
  source: arith.answer_match
steps_${i}:
  kind: reward
  granularity: process
  source: arith.step_check
rl_${i}:
  kind: grpo
  data: train_${i}
  steps: 200
  batch: 16
  group: 8
  sample: { temperature: 1.0, max_tokens: 64 }
  reward: { prof: { outcome: correct_${i}, process: steps_${i}, remove: 4 } }
  credit: outcome
  loss: { ppo: { clip: 0.2, kl: { k3: 0.001, ref: init } } }
  expert:
    chord:
      data: demos_${i}
      mu: { warmup_cosine: { peak: 0.9, valley: 0.05, warmup: 0, decay: 200 } }
      phi: true
      ratio: 0.2
`;
}

/** About `targetLines` lines of recipe (and the matching YAML). */
export function generatePair(targetLines: number): GeneratedPair {
  const header = 'recipe bench "generated for npm run bench"\n\nuse "std/arith" as arith\n\n';
  const units: string[] = [];
  const yamlUnits: string[] = [];
  let lines = 4;
  for (let i = 0; lines < targetLines; i++) {
    const unit = recipeUnit(i);
    units.push(unit);
    yamlUnits.push(yamlUnit(i));
    lines += unit.split("\n").length;
  }
  // Every stage runs, in order, so lowering has the whole recipe to lower.
  const stages = units.map((_, i) => `rl_${i}`);
  const run = `\nrun {\n  stages = ${stages.join(" -> ")}\n  policy = policy_0\n}\n`;
  const yamlRun = `run:\n  stages: [${stages.join(", ")}]\n  policy: policy_0\n`;
  return { recipe: header + units.join("\n") + run, yaml: yamlUnits.join("") + yamlRun, lines: lines + 5 };
}
