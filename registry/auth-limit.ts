/**
 * The limit on failed token checks, per client address: each invalid token an address presents
 * adds one to its count, which drains by one every `drainMs`; while the count is at `burst`, the
 * address's requests that need a token are refused (429, with the seconds until it may try
 * again) without checking the token, so guessing from one address is slow. Other addresses, and
 * the same address's public reads, are not affected. A valid token does not reset the count: a
 * guesser holding one account's token could otherwise interleave it to guess on for ever.
 *
 * Memory is bounded: at most `maxAddresses` counts are kept, and the address whose last failure
 * is oldest (its count the most drained) is forgotten first.
 */

export interface AuthLimitOptions {
  /** Failures an address may make in a row before it is refused. */
  burst: number;
  /** One failure is forgiven every this many milliseconds. */
  drainMs: number;
  maxAddresses: number;
  /** Milliseconds, as Date.now; a test's clock is its own. */
  now: () => number;
}

// Ten wrong tokens at once, then one more a minute: a mistyped token costs nobody anything, and
// 3000 guesses from one address take two days.
export const AUTH_LIMIT: AuthLimitOptions = { burst: 10, drainMs: 60_000, maxAddresses: 10_000, now: Date.now };

interface Count {
  failures: number;
  at: number;
}

export class AuthLimit {
  // In order of last failure, oldest first (a Map iterates in insertion order; a failure re-inserts).
  private readonly counts = new Map<string, Count>();

  constructor(private readonly options: AuthLimitOptions = AUTH_LIMIT) {}

  /** Whole seconds until the address may present a token again; 0 when it may now. */
  retryAfter(address: string): number {
    const failures = this.drained(address);
    const excess = failures - (this.options.burst - 1);
    return excess <= 0 ? 0 : Math.ceil((excess * this.options.drainMs) / 1000);
  }

  /** Counts an invalid token presented from the address. */
  failed(address: string): void {
    const failures = this.drained(address) + 1;
    this.counts.delete(address);
    if (this.counts.size >= this.options.maxAddresses) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(address, { failures, at: this.options.now() });
  }

  private drained(address: string): number {
    const count = this.counts.get(address);
    if (count === undefined) return 0;
    return Math.max(0, count.failures - (this.options.now() - count.at) / this.options.drainMs);
  }
}
