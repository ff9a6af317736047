// Hard deadlines under the real engine (issue "Waits that end", case 9): a ShareRecipient created with
// `timeouts: { create: "5s" }` against a server whose status looks hang (each GET answers only after
// far longer than the provider's request timeout) makes `up` fail with the timeout error within 5 s
// plus one request timeout of the POST, and leaves the recipient in state (a partial failure), so
// the next run resumes it rather than creating it twice.
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { recorder } from "./harness";
import { OWNER, PARTNER_A, PARTNER_C, RULESET_1, setSpec, sharingStack, Spec, startE2eEmulator } from "./fixtures";

jest.setTimeout(120_000);

const REQUEST_TIMEOUT_MS = 1_000;
const CREATE_TIMEOUT_MS = 5_000;
// Each look is held this long, far past the request timeout: without a hard deadline every look would
// sit through all its retries (6 attempts of 1 s plus backoff) and the wait would end long after 5 s.
const HANG_MS = 2_500;
// Scheduling slack of a busy 2-core machine plus the engine printing the diagnostic; well below what
// a single extra look with its retries would add.
const SLACK_MS = 1_500;

const shareOnly = (more: Partial<Spec> = {}): Spec => ({
  accountId: OWNER,
  shares: {
    main: {
      name: "deadline share",
      recipients: [{ recipientAccountId: PARTNER_A }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
    },
  },
  ...more,
});

let emulator: RunningEmulator;
let testStack: TestStack | undefined;

afterAll(async () => {
  emulator?.control.configure({ faults: { latencyMs: 0, methods: null as unknown as string[] } });
  await testStack?.destroyAndRemove().catch(() => undefined);
  await emulator?.stop();
});

it("9. a 5 s create timeout against hanging status looks ends within 5 s + one request timeout, the recipient kept in state", async () => {
  emulator = await startE2eEmulator();
  const tuning = JSON.stringify({
    poll: { firstDelayMs: 250, factor: 1.5, maxDelayMs: 1_000, gridMs: 0 },
    coalesceWindowMs: 5,
    createNotFoundChecks: 5,
    client: { perAttemptTimeoutMs: REQUEST_TIMEOUT_MS, maxRetries: 5, backoff: { baseMs: 200, maxMs: 2_000 } },
  });
  testStack = await sharingStack(emulator, shareOnly(), { CLOUDFLARE_SHARING_TUNING: tuning });
  const first = await testStack.stack.up();
  const shareId = first.outputs.shares.value.main.id;

  // Once the recipient's POST is answered every GET hangs (the create's own checks before the POST
  // are answered; its first status look comes 250 ms after the POST, long after this 10 ms check).
  emulator.control.clearLog();
  await setSpec(testStack, shareOnly({ recipients: { extra: { share: "main", recipientAccountId: PARTNER_C, timeouts: { create: "5s" } } } }));
  const hangAfterPost = setInterval(() => {
    if (emulator.control.requestLog().some((entry) => entry.method === "POST")) {
      clearInterval(hangAfterPost);
      emulator.control.configure({ faults: { latencyMs: [HANG_MS, HANG_MS], methods: ["GET"] } });
    }
  }, 10);

  let failedAt: number | undefined;
  const lines: string[] = [];
  const record = recorder(testStack);
  const message = await testStack.stack
    .up({
      onOutput: (line) => {
        record(line);
        lines.push(line);
        if (failedAt === undefined && /timeout while waiting for recipient/.test(lines.join(""))) failedAt = Date.now();
      },
    })
    .then(
      () => { throw new Error("expected `up` to fail"); },
      (error: unknown) => String(error),
    )
    .finally(() => clearInterval(hangAfterPost));
  expect(message).toMatch(new RegExp(`timeout while waiting for recipient [0-9a-f]{32} \\(account ${PARTNER_C}\\) of share ${shareId} to become 'associated'`));

  // Let the held looks finish so the log holds every one of them (an entry is logged when answered).
  await new Promise((resolve) => setTimeout(resolve, HANG_MS + 500));
  const log = emulator.control.requestLog();
  const posts = log.filter((entry) => entry.method === "POST");
  expect(posts.map((entry) => [entry.path.replace(/^.*\/shares\//, ""), entry.status])).toEqual([[`${shareId}/recipients`, 201]]);
  const postAnsweredAt = posts[0].at + posts[0].durationMs;
  const looks = log.filter((entry) => entry.method === "GET" && entry.at >= posts[0].at);
  expect(looks.length).toBeGreaterThan(0);
  expect(looks.every((entry) => entry.fault === "latency")).toBe(true);

  // The wait's deadline is 5 s after the POST was answered; no look starts after it, and the error is
  // out within one request timeout of it.
  const lastLookAt = Math.max(...looks.map((entry) => entry.at));
  expect(lastLookAt - postAnsweredAt).toBeLessThanOrEqual(CREATE_TIMEOUT_MS + SLACK_MS);
  expect(failedAt).toBeDefined();
  const elapsed = failedAt! - postAnsweredAt;
  expect(elapsed).toBeGreaterThanOrEqual(CREATE_TIMEOUT_MS - SLACK_MS);
  expect(elapsed).toBeLessThanOrEqual(CREATE_TIMEOUT_MS + REQUEST_TIMEOUT_MS + SLACK_MS);

  // A partial failure: the recipient the POST made is in state, once, with its id.
  const state = (await testStack.exportState()).resources as { type: string; id?: string; outputs: Record<string, any> }[];
  const recipients = state.filter((r) => r.type === "pulumi-nodejs:dynamic/cloudflare:ShareRecipient");
  const made = emulator.control.listRecipients(shareId).filter((r) => r.account_id === PARTNER_C);
  expect(made).toHaveLength(1);
  expect(recipients.map((r) => r.id)).toEqual([made[0].id]);

  // With the server answering again the next `up` resumes the wait on that recipient: no second POST.
  emulator.control.configure({ faults: { latencyMs: 0, methods: null as unknown as string[] } });
  emulator.control.clearLog();
  const next = await testStack.stack.up({ onOutput: record });
  expect(next.outputs.recipients.value.extra).toMatchObject({ id: made[0].id, associationStatus: "associated" });
  expect(emulator.control.requestLog().filter((entry) => entry.method === "POST")).toEqual([]);
  // eslint-disable-next-line no-console
  console.log(`deadline: error ${elapsed} ms after the POST was answered; last look started ${lastLookAt - postAnsweredAt} ms after it; ${looks.length} looks`);
});
