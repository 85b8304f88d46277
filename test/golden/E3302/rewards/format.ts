// A format reward: 1 when the response ends with an answer line.
export function score(response: string): number {
  return /answer: -?\d+$/.test(response.trim()) ? 1 : 0;
}
