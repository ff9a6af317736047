// Hard deadlines for writes, under the real engine: the requests a create makes outside its waits
// (the POST, its retries, the look-ups that recover a lost response) stop at the create's deadline
// plus one request timeout. Here a ShareRecipient's POST is applied but its response is lost, and
// from then on every GET hangs, so the client cannot find out what its POST did: `up` fails within
// 5 s plus one request timeout, and since the outcome is unknown, the in-flight create journal makes
// the next `up` find the recipient that POST made and keep it: exactly one recipient, never two.
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { recorder } from "./harness";
import { OWNER, PARTNER_A, PARTNER_C, RULESET_1, setSpec, sharingStack, Spec, startE2eEmulator } from "./fixtures";

jest.setTimeout(150_000);

const REQUEST_TIMEOUT_MS = 1_000;
const CREATE_TIMEOUT_MS = 5_000;
// Far past the request timeout: without a deadline, each look-up sits through all its retries.
const HANG_MS = 2_500;
// Scheduling slack of a busy 2-core machine plus the engine printing the diagnostic.
const SLACK_MS = 1_500;

const spec = (more: Partial<Spec> = {}): Spec => ({
  accountId: OWNER,
  shares: {
    main: {
      name: "write deadline share",
      recipients: [{ recipientAccountId: PARTNER_A }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
    },
  },
  ...more,
});

let emulator: RunningEmulator;
let testStack: TestStack | undefined;

function answerAgain(): void {
  emulator?.control.configure({ faults: { latencyMs: 0, lostPostResponseRate: 0, methods: null as unknown as string[] } });
}

afterAll(async () => {
  answerAgain();
  await testStack?.destroyAndRemove().catch(() => undefined);
  await emulator?.stop();
});

it("a create whose POST outcome is unknown at its deadline fails within 5 s + one request timeout; the next `up` keeps the one recipient it made", async () => {
  emulator = await startE2eEmulator();
  const tuning = JSON.stringify({
    poll: { firstDelayMs: 250, factor: 1.5, maxDelayMs: 1_000, gridMs: 0 },
    coalesceWindowMs: 5,
    createNotFoundChecks: 5,
    client: { perAttemptTimeoutMs: REQUEST_TIMEOUT_MS, maxRetries: 5, backoff: { baseMs: 200, maxMs: 2_000 } },
  });
  testStack = await sharingStack(emulator, spec(), { CLOUDFLARE_SHARING_TUNING: tuning });
  const first = await testStack.stack.up();
  const shareId = first.outputs.shares.value.main.id;

  await setSpec(testStack, spec({ recipients: { extra: { share: "main", recipientAccountId: PARTNER_C, timeouts: { create: "5s" } } } }));
  emulator.control.clearLog();
  // The POST is applied and its response lost; once it is, every GET hangs (the recovery cannot look).
  emulator.control.configure({ faults: { lostPostResponseRate: 1, methods: ["POST"] } });
  const hangAfterPost = setInterval(() => {
    if (emulator.control.requestLog().some((entry) => entry.method === "POST")) {
      clearInterval(hangAfterPost);
      emulator.control.configure({ faults: { latencyMs: [HANG_MS, HANG_MS], lostPostResponseRate: 0, methods: ["GET"] } });
    }
  }, 10);

  let failedAt: number | undefined;
  const lines: string[] = [];
  const record = recorder(testStack);
  const expected = new RegExp(`adding account ${PARTNER_C} to share ${shareId}: `);
  const message = await testStack.stack
    .up({
      onOutput: (line) => {
        record(line);
        lines.push(line);
        if (failedAt === undefined && expected.test(lines.join(""))) failedAt = Date.now();
      },
    })
    .then(
      () => {
        throw new Error("expected `up` to fail");
      },
      (error: unknown) => String(error),
    )
    .finally(() => clearInterval(hangAfterPost));
  expect(message).toMatch(expected);
  expect(failedAt).toBeDefined();

  await new Promise((resolve) => setTimeout(resolve, HANG_MS + 500));
  const posts = emulator.control.requestLog().filter((entry) => entry.method === "POST");
  expect(posts.length).toBeGreaterThan(0);
  // The create started before its POST reached the server: its deadline is at most 5 s after that.
  const elapsed = failedAt! - posts[0].at;
  expect(elapsed).toBeLessThanOrEqual(CREATE_TIMEOUT_MS + REQUEST_TIMEOUT_MS + SLACK_MS);
  expect(message).toMatch(/no answer from the API within the operation's timeout \(5s\)/);

  // The POST landed: one recipient, not in state (the create failed without an id).
  const live = () => emulator.control.listRecipients(shareId).filter((r) => r.account_id === PARTNER_C && r.association_status !== "disassociated" && r.association_status !== "disassociating");
  expect(live()).toHaveLength(1);
  const made = live()[0].id;

  // Answering again: the next `up` finds that recipient through the journal and keeps it.
  answerAgain();
  emulator.control.clearLog();
  const next = await testStack.stack.up({ onOutput: record });
  expect(next.outputs.recipients.value.extra).toMatchObject({ id: made, associationStatus: "associated" });
  expect(live().map((r) => r.id)).toEqual([made]);
  expect(emulator.control.requestLog().filter((entry) => entry.method === "POST")).toEqual([]);
  // eslint-disable-next-line no-console
  console.log(`write deadline: error ${elapsed} ms after the POST reached the server; ${posts.length} POST(s)`);
});
