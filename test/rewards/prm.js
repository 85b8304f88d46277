// A stand-in process reward model for the recipes of test/rewards/ (a `js` reward must name a
// module and an export that exist, E3302). Every batch there gives the `prm` values, which
// replace scoring, so it is never run; if it were, it would say so rather than invent scores.
export function score() {
  throw new Error("test/rewards/prm.js is a stand-in: give `prm` in the batch");
}
