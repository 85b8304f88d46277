/**
 * The limit on failed token checks, per client address: each invalid token an address presents
 * adds one to its count, which drains by one every `drainMs`; while the count is at `burst`, the
 * address's requests that need a token are refused (429, with the seconds until it may try
 * again) without checking the token, so guessing from one address is slow. Other addresses, and
 * the same address's public reads, are not affected. A valid token does not reset the count: a
 * guesser holding one account's token could otherwise interleave it to guess on for ever.
 *
 * An IPv6 address is counted under its /64, the block one subscriber is usually given, so that
 * one host cannot start afresh from each of its 2^64 addresses; an IPv4-mapped IPv6 address (a
 * dual-stack server's view of an IPv4 client) is counted as the IPv4 address. Memory is bounded:
 * at most `maxAddresses` counts are kept, and the one whose last failure is oldest (the most
 * drained) is forgotten first.
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

/** What an address is counted under: itself for IPv4, the /64 for IPv6. */
export function addressKey(address: string): string {
  const [, ipv4] = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address) ?? [];
  if (ipv4 !== undefined) return ipv4;
  if (!address.includes(":")) return address;
  // `::` stands for as many zero groups as the address lacks; a zone (`%eth0`) is no part of it.
  const [head = "", tail] = address.split("%")[0]!.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

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
    const failures = this.drained(addressKey(address));
    const excess = failures - (this.options.burst - 1);
    return excess <= 0 ? 0 : Math.ceil((excess * this.options.drainMs) / 1000);
  }

  /** Counts an invalid token presented from the address. */
  failed(address: string): void {
    const key = addressKey(address);
    const failures = this.drained(key) + 1;
    this.counts.delete(key);
    if (this.counts.size >= this.options.maxAddresses) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(key, { failures, at: this.options.now() });
  }

  private drained(key: string): number {
    const count = this.counts.get(key);
    if (count === undefined) return 0;
    return Math.max(0, count.failures - (this.options.now() - count.at) / this.options.drainMs);
  }
}
