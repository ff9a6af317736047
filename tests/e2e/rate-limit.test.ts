// The rate limit under the real engine, with only the headers Cloudflare documents (`Ratelimit`,
// `Ratelimit-Policy`, `Retry-After`) and a quota far from the configured 1200 per 5 minutes: the
// provider paces itself by the server's numbers, alone and with a second stack on the same token.
import { createHash } from "node:crypto";
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { FAST_TUNING, OWNER, PARTNER_A, PARTNER_B, Spec, sharingStack, startE2eEmulator } from "./fixtures";

jest.setTimeout(300_000);

// Cloudflare's 60 per 20 s compressed to a third: the same rate (3 a second), and a 30-object `up`
// (about 50 requests) spans several windows instead of fitting in one.
const QUOTA = 20;
const WINDOW_MS = 7_000;
/** What the provider lets itself use of each window (the 5 % safety margin). */
const USABLE = Math.floor(QUOTA * 0.95);

/** `count` shares, each with one recipient and one resource: 3 × `count` objects. */
function fleet(prefix: string, count: number): Spec {
  const shares: Record<string, object> = {};
  for (let i = 0; i < count; i++) {
    const resourceId = createHash("md5").update(`${prefix}-${i}`).digest("hex");
    shares[`${prefix}${i}`] = {
      name: `${prefix} fleet ${i}`,
      recipients: [{ recipientAccountId: i % 2 === 0 ? PARTNER_A : PARTNER_B }],
      resources: [{ resourceType: "custom-ruleset", resourceId, resourceAccountId: OWNER }],
    };
  }
  return { accountId: OWNER, shares };
}

/**
 * The time the server's numbers allow for the requests it accepted: every full window of them waits
 * for the window to roll, plus slack for the settle waits and a busy machine.
 */
function allowedMs(accepted: number): number {
  return (Math.ceil(accepted / USABLE) - 1) * WINDOW_MS + 15_000;
}

describe("Cloudflare's rate limit headers, quota 20 per 7 s", () => {
  let emulator: RunningEmulator;
  const stacks: TestStack[] = [];

  beforeEach(async () => {
    // A 429 blocks for one window here (five minutes at Cloudflare): a test that earns one fails on the count, not on a timeout.
    emulator = await startE2eEmulator({ rateLimit: { limit: QUOTA, windowMs: WINDOW_MS, blockMs: WINDOW_MS, legacyHeaders: false } });
  });
  afterEach(async () => {
    // Destroying costs requests too: let the window roll first rather than count them against the next test.
    emulator.control.configure({ rateLimit: { enabled: false } });
    for (const testStack of stacks.splice(0)) await testStack.destroyAndRemove().catch(() => undefined);
    await emulator.stop();
  });

  const accepted = () => emulator.control.requestLog().filter((entry) => entry.status !== 429);
  const rejected = () => emulator.control.requestLog().filter((entry) => entry.status === 429);
  const span = (entries: { at: number }[]) => entries[entries.length - 1].at - entries[0].at;

  it("an up of 30 objects finishes with 0 × 429 within what the server's numbers allow", async () => {
    const testStack = await sharingStack(emulator, fleet("solo", 10));
    stacks.push(testStack);
    const lines: string[] = [];
    const up = await testStack.stack.up({ parallel: 64, onOutput: (line) => lines.push(line) });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 11 }); // 10 shares and the stack
    expect(rejected()).toEqual([]);
    const requests = accepted();
    expect(requests.length).toBeGreaterThan(QUOTA); // more than one window: the run had to pace itself
    expect(span(requests)).toBeLessThan(allowedMs(requests.length));
    // The progress lines say why a request waited, with the server's numbers.
    expect(lines.join("\n")).toContain(`"default" allows ${QUOTA} per ${WINDOW_MS / 1000} s (the server's numbers)`);
    // And when the run stopped spending looks on latency: half the server's window was used.
    expect(lines.join("\n")).toMatch(new RegExp(`rate budget: saving requests \\(\\d+ of "default"'s ${QUOTA} requests per ${WINDOW_MS / 1000} s used\\)`));
  });

  it("two stacks' up at once on one token stay under the limit together: 0 × 429", async () => {
    const first = await sharingStack(emulator, fleet("left", 8));
    const second = await sharingStack(emulator, fleet("right", 8));
    stacks.push(first, second);
    const ups = await Promise.all([first.stack.up({ parallel: 64 }), second.stack.up({ parallel: 64 })]);
    for (const up of ups) {
      expect(up.summary.result).toBe("succeeded");
      expect(up.summary.resourceChanges).toMatchObject({ create: 9 }); // 8 shares and the stack
    }
    expect(rejected()).toEqual([]);
    const requests = accepted();
    expect(requests.length).toBeGreaterThan(QUOTA);
    expect(span(requests)).toBeLessThan(allowedMs(requests.length) + WINDOW_MS); // one more window for sharing it
  });
});

describe("the same quota behind a proxy that strips the count headers (only a 429 tells)", () => {
  let emulator: RunningEmulator;
  const stacks: TestStack[] = [];

  beforeEach(async () => {
    emulator = await startE2eEmulator({ rateLimit: { limit: QUOTA, windowMs: WINDOW_MS, blockMs: WINDOW_MS, legacyHeaders: false, countHeaders: false } });
  });
  afterEach(async () => {
    emulator.control.configure({ rateLimit: { enabled: false } });
    for (const testStack of stacks.splice(0)) await testStack.destroyAndRemove().catch(() => undefined);
    await emulator.stop();
  });

  it("two stacks' up at once on one machine share it through the record of requests: 0 × 429", async () => {
    // The budget is told the quota, as a user would behind such a proxy; nothing from the server
    // tells one process what the other sends, so without the shared record each would use it all.
    const tuning = JSON.stringify({ ...JSON.parse(FAST_TUNING), client: { ...JSON.parse(FAST_TUNING).client, rateBudget: { limit: QUOTA, windowMs: WINDOW_MS } } });
    const fleets = await Promise.all(["left", "right"].map((prefix) => sharingStack(emulator, fleet(prefix, 6), { CLOUDFLARE_SHARING_TUNING: tuning })));
    stacks.push(...fleets);
    const ups = await Promise.all(fleets.map((testStack) => testStack.stack.up({ parallel: 64 })));
    for (const up of ups) {
      expect(up.summary.result).toBe("succeeded");
      expect(up.summary.resourceChanges).toMatchObject({ create: 7 }); // 6 shares and the stack
    }
    const log = emulator.control.requestLog();
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    const accepted = log.filter((entry) => entry.status !== 429);
    expect(accepted.length).toBeGreaterThan(QUOTA);
    expect(accepted[accepted.length - 1].at - accepted[0].at).toBeLessThan(allowedMs(accepted.length) + WINDOW_MS);
  });
});
