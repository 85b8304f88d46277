/**
 * DAPO's dynamic sampling (docs/algorithms.md §1.10) as a choice among groups, apart from how
 * they are sampled and scored: the step's first round holds as many groups as the step trains
 * on; while fewer than that carry a signal and the cap allows, another round of as many is
 * drawn; the step keeps the first groups with signal, in the order they were drawn. A step that
 * reaches the cap keeps every group with signal and fills the rest of its batch with the first
 * zero-signal ones drawn, so that its batch keeps its size (and the loss its normalisation);
 * `capped` says so.
 */

/** One round of a step's sampling: its groups, and which of them carry no signal. */
export interface Round<G> {
  readonly groups: readonly G[];
  /** Per group: 1 when its responses' scores all agree (runtime/ops/zero-signal.ts). */
  readonly zeroSignal: Uint8Array;
}

export interface Refilled<G> {
  /** As many groups as the first round held, in the order they were drawn. */
  readonly groups: G[];
  /** Rounds drawn after the first. */
  readonly refills: number;
  /** The cap stopped the rounds before enough groups had a signal: zero-signal groups fill the batch. */
  readonly capped: boolean;
}

/** The first round's groups, refilled by up to `maxRefills` rounds of `draw(round)` (round 1, 2, ...). */
export async function refill<G>(first: Round<G>, maxRefills: number, draw: (round: number) => Promise<Round<G>>): Promise<Refilled<G>> {
  const want = first.groups.length;
  const rounds = [checked(first, 0)];
  let withSignal = signalCount(first);
  while (withSignal < want && rounds.length <= maxRefills) {
    const round = checked(await draw(rounds.length), rounds.length);
    rounds.push(round);
    withSignal += signalCount(round);
  }
  let signalSlots = want;
  let zeroSlots = Math.max(0, want - withSignal);
  const groups: G[] = [];
  for (const round of rounds) {
    round.groups.forEach((group, i) => {
      if (round.zeroSignal[i] === 1 ? zeroSlots-- > 0 : signalSlots-- > 0) groups.push(group);
    });
  }
  return { groups, refills: rounds.length - 1, capped: withSignal < want };
}

function checked<G>(round: Round<G>, index: number): Round<G> {
  if (round.groups.length !== round.zeroSignal.length) {
    throw new Error(`sampling round ${index}: ${round.groups.length} groups and ${round.zeroSignal.length} zero-signal flags`);
  }
  return round;
}

function signalCount(round: Round<unknown>): number {
  let n = 0;
  for (const z of round.zeroSignal) n += 1 - z;
  return n;
}
