/** The failed-token limit, on its own clock: per address, draining over time, bounded in memory. */
import { describe, expect, it } from "vitest";
import { AuthLimit, type AuthLimitOptions, addressKey } from "./auth-limit.js";

function limit(options: Partial<AuthLimitOptions> = {}) {
  const clock = { ms: 0 };
  const limiter = new AuthLimit({ burst: 3, drainMs: 10_000, maxAddresses: 100, now: () => clock.ms, ...options });
  return { limiter, clock };
}

function fail(limiter: AuthLimit, address: string, times: number): void {
  for (let i = 0; i < times; i++) limiter.failed(address);
}

describe("AuthLimit", () => {
  it("refuses an address after `burst` failures, and only that address", () => {
    const { limiter } = limit();
    fail(limiter, "192.0.2.1", 2);
    expect(limiter.retryAfter("192.0.2.1")).toBe(0);
    limiter.failed("192.0.2.1");
    expect(limiter.retryAfter("192.0.2.1")).toBe(10);
    expect(limiter.retryAfter("192.0.2.2")).toBe(0);
    expect(limiter.retryAfter("2001:db8::1")).toBe(0);
  });

  it("forgives one failure per drain period, and says when the next try is allowed", () => {
    const { limiter, clock } = limit();
    fail(limiter, "192.0.2.1", 5);
    expect(limiter.retryAfter("192.0.2.1")).toBe(30);
    clock.ms = 25_000;
    expect(limiter.retryAfter("192.0.2.1")).toBe(5);
    clock.ms = 30_000;
    expect(limiter.retryAfter("192.0.2.1")).toBe(0);
    // One more failure refuses it again at once: the count had drained to just under the burst.
    limiter.failed("192.0.2.1");
    expect(limiter.retryAfter("192.0.2.1")).toBe(10);
  });

  it("keeps at most maxAddresses counts, forgetting the address whose last failure is oldest", () => {
    const { limiter, clock } = limit({ maxAddresses: 2 });
    fail(limiter, "192.0.2.1", 3);
    clock.ms = 1;
    fail(limiter, "192.0.2.2", 3);
    clock.ms = 2;
    // .1 failing again makes .2 the oldest, so the third address pushes .2 out, not .1.
    limiter.failed("192.0.2.1");
    limiter.failed("192.0.2.3");
    expect(limiter.retryAfter("192.0.2.1")).toBeGreaterThan(0);
    expect(limiter.retryAfter("192.0.2.2")).toBe(0);
    expect(limiter.retryAfter("192.0.2.3")).toBe(0);
    fail(limiter, "192.0.2.4", 3);
    expect(limiter.retryAfter("192.0.2.1")).toBe(0);
    expect(limiter.retryAfter("192.0.2.4")).toBeGreaterThan(0);
  });

  it("counts an IPv6 address under its /64, and an IPv4-mapped one as the IPv4 address", () => {
    const { limiter } = limit();
    fail(limiter, "2001:db8:1:2::1", 2);
    limiter.failed("2001:db8:1:2:ffff:ffff:ffff:ffff");
    expect(limiter.retryAfter("2001:0db8:0001:0002::77")).toBe(10);
    expect(limiter.retryAfter("2001:db8:1:3::1")).toBe(0);
    fail(limiter, "::ffff:192.0.2.9", 3);
    expect(limiter.retryAfter("192.0.2.9")).toBe(10);
    expect([
      addressKey("::1"),
      addressKey("fe80::1%eth0"),
      addressKey("2001:db8::"),
      addressKey("1:2:3:4:5:6:7:8"),
      addressKey("1:2:3::"),
      addressKey("192.0.2.9"),
    ]).toEqual(["0:0:0:0::/64", "fe80:0:0:0::/64", "2001:db8:0:0::/64", "1:2:3:4::/64", "1:2:3:0::/64", "192.0.2.9"]);
  });
});
