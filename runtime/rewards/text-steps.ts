/**
 * A response's steps as text, split the way runtime/ops/batch.ts's `splitSteps` splits its
 * tokens (docs/algorithms.md "Notation"): a separator closes the step it ends, the last step ends
 * at the end of the response, a response without a separator is one step and an empty response
 * has none. So a response whose separator is one token has as many text steps as token steps,
 * and a process reward's values line up with both.
 *
 * Each step's text leaves out the separator that closes it: "a\nb\n" is ["a", "b"], and two
 * separators in a row make an empty step ("a\n\nb" is ["a", "", "b"]), as they make a one-token
 * step of the separator alone.
 */
export function splitStepText(response: string, separator: string): string[] {
  if (response === "") return [];
  const steps = response.split(separator);
  if (steps.length > 1 && steps[steps.length - 1] === "") steps.pop();
  return steps;
}
