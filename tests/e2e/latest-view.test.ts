// Hard deadlines after a failed wait, under the real engine: when a wait fails, the provider takes one
// more look for the latest view of the object (so that state records what the server has), and that
// look is bounded too. With `timeouts` of 5 s against a server whose GETs hang (each answers only
// long after the provider's request timeout), `up` fails within 5 s plus one request timeout, the
// object stays in state, and the next `up` (server answering again) resumes it rather than making a
// second one. One case per path: a ShareRecipient whose wait is resumed by an update, a ShareResource
// update whose PUT gets no answer (its write is bounded by the same deadline), and a Share whose
// create cannot see what it made.
import type { RunningEmulator } from "../../emulator";
import type { TestStack } from "./harness";
import { recorder } from "./harness";
import { OWNER, PARTNER_A, PARTNER_B, PARTNER_C, RULESET_1, RULESET_2, RULESET_3, setSpec, sharingStack, Spec, startE2eEmulator } from "./fixtures";

jest.setTimeout(180_000);

const REQUEST_TIMEOUT_MS = 1_000;
const TIMEOUT_MS = 5_000;
// Far past the request timeout: an unbounded look sits through all its retries (6 attempts of 1 s
// plus backoff), seconds past the deadline.
const HANG_MS = 2_500;
// Scheduling slack of a busy 2-core machine plus the engine printing the diagnostic; well below what
// one unbounded look with its retries adds.
const SLACK_MS = 1_500;

const TUNING = JSON.stringify({
  poll: { firstDelayMs: 250, factor: 1.5, maxDelayMs: 1_000, gridMs: 0 },
  coalesceWindowMs: 5,
  createNotFoundChecks: 5,
  client: { perAttemptTimeoutMs: REQUEST_TIMEOUT_MS, maxRetries: 5, backoff: { baseMs: 200, maxMs: 2_000 } },
});

const base = (more: Partial<Spec> = {}): Spec => ({
  accountId: OWNER,
  shares: {
    main: {
      name: "latest view share",
      recipients: [{ recipientAccountId: PARTNER_A }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER, meta: {} }],
    },
  },
  ...more,
});

let emulator: RunningEmulator;
let testStack: TestStack | undefined;

beforeAll(async () => {
  emulator = await startE2eEmulator();
  testStack = await sharingStack(emulator, base(), { CLOUDFLARE_SHARING_TUNING: TUNING });
  await testStack.stack.up();
});

// A test that failed midway may have left the looks hanging.
beforeEach(() => answerAgain());

afterAll(async () => {
  answerAgain();
  await testStack?.destroyAndRemove().catch(() => undefined);
  await emulator?.stop();
});

function hangGets(): void {
  emulator.control.configure({ faults: { latencyMs: [HANG_MS, HANG_MS], methods: ["GET"] } });
}

function answerAgain(): void {
  emulator?.control.configure({ faults: { latencyMs: 0, methods: null as unknown as string[] } });
}

/** Makes every GET hang from the moment the emulator has answered a POST whose path matches `path`. */
function hangGetsAfterPost(path: RegExp): () => void {
  const timer = setInterval(() => {
    if (emulator.control.requestLog().some((entry) => entry.method === "POST" && path.test(entry.path))) {
      clearInterval(timer);
      hangGets();
    }
  }, 10);
  return () => clearInterval(timer);
}

/**
 * Runs `up`, expecting it to fail with an error matching `expected`; returns the error and when the
 * engine printed it.
 */
async function failingUp(expected: RegExp): Promise<{ message: string; failedAt: number }> {
  let failedAt: number | undefined;
  const lines: string[] = [];
  const record = recorder(testStack!);
  const message = await testStack!.stack
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
    );
  expect(message).toMatch(expected);
  expect(failedAt).toBeDefined();
  return { message, failedAt: failedAt! };
}

/** When the first GET of this run reached the server (a wait's first look: its deadline is at most `TIMEOUT_MS` later). */
async function firstLookAt(since: number): Promise<number> {
  // An entry is logged when answered: let the held looks finish.
  await new Promise((resolve) => setTimeout(resolve, HANG_MS + 500));
  const looks = emulator.control.requestLog().filter((entry) => entry.method === "GET" && entry.at >= since);
  expect(looks.length).toBeGreaterThan(0);
  return Math.min(...looks.map((entry) => entry.at));
}

type StateResource = { type: string; id?: string; outputs: Record<string, any> };

async function stateOf(type: string): Promise<StateResource[]> {
  const state = (await testStack!.exportState()).resources as StateResource[];
  return state.filter((resource) => resource.type === `pulumi-nodejs:dynamic/cloudflare:${type}`);
}

// Each case keeps what the cases before it declared: nothing is deleted while the looks hang.
const RECIPIENTS = { extra: { share: "main", recipientAccountId: PARTNER_C, timeouts: { create: "5s" } } };
const RESOURCES = {
  extra: { share: "main", resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER, timeouts: { create: "5s", update: "5s" } },
};

it("a ShareRecipient whose resumed wait times out against hanging looks fails within 5 s + one request timeout, and is resumed next time", async () => {
  const spec = base({ recipients: RECIPIENTS });
  await setSpec(testStack!, spec);
  const shareId = (await stateOf("Share"))[0].id!;
  const timeoutError = new RegExp(`timeout while waiting for recipient [0-9a-f]{32} \\(account ${PARTNER_C}\\) of share ${shareId} to become 'associated'`);

  // The create's wait times out (GETs hang once the POST is answered): the recipient is kept in state.
  emulator.control.clearLog();
  const stop = hangGetsAfterPost(/\/recipients$/);
  await failingUp(timeoutError).finally(stop);
  const made = emulator.control.listRecipients(shareId).filter((r) => r.account_id === PARTNER_C);
  expect(made).toHaveLength(1);
  expect((await stateOf("ShareRecipient")).map((r) => r.id)).toEqual([made[0].id]);

  // The next `up` resumes the wait (an update); the looks still hang. Its error comes within one
  // request timeout of the wait's deadline, the latest-view look after it included.
  await new Promise((resolve) => setTimeout(resolve, HANG_MS + 500));
  hangGets();
  const since = Date.now();
  const { failedAt } = await failingUp(timeoutError);
  const elapsed = failedAt - (await firstLookAt(since));
  expect(elapsed).toBeLessThanOrEqual(TIMEOUT_MS + REQUEST_TIMEOUT_MS + SLACK_MS);
  expect((await stateOf("ShareRecipient")).map((r) => r.id)).toEqual([made[0].id]);

  // Answering again: the wait is resumed on the same recipient, no second POST.
  answerAgain();
  emulator.control.clearLog();
  const next = await testStack!.stack.up({ onOutput: recorder(testStack!) });
  expect(next.outputs.recipients.value.extra).toMatchObject({ id: made[0].id, associationStatus: "associated" });
  expect(emulator.control.requestLog().filter((entry) => entry.method === "POST")).toEqual([]);
  // eslint-disable-next-line no-console
  console.log(`latest view, recipient update: error ${elapsed} ms after the first look`);
});

// A share resource's create answers `active` at once, so its update is where a failed write is
// followed by a look: a new `meta` whose PUT gets no answer.
it("a ShareResource update whose PUT and looks hang fails within 5 s + one request timeout, and the next `up` applies it to the same object", async () => {
  await setSpec(testStack!, base({ recipients: RECIPIENTS, resources: RESOURCES }));
  await testStack!.stack.up({ onOutput: recorder(testStack!) });
  const shareId = (await stateOf("Share"))[0].id!;
  const made = emulator.control.listResources(shareId).filter((r) => r.resource_id === RULESET_2);
  expect(made).toHaveLength(1);

  const changed = { extra: { ...RESOURCES.extra, meta: { note: "changed" } } };
  await setSpec(testStack!, base({ recipients: RECIPIENTS, resources: changed }));
  emulator.control.clearLog();
  emulator.control.configure({ faults: { latencyMs: [HANG_MS, HANG_MS], methods: ["GET", "PUT"] } });
  const { failedAt, message } = await failingUp(new RegExp(`error: [^\n]*${made[0].id}`));
  await new Promise((resolve) => setTimeout(resolve, HANG_MS + 500));
  const puts = emulator.control.requestLog().filter((entry) => entry.method === "PUT");
  expect(puts.length).toBeGreaterThan(0);
  // The update started just before its first PUT reached the server: its deadline is at most 5 s after.
  const elapsed = failedAt - puts[0].at;
  expect(elapsed).toBeLessThanOrEqual(TIMEOUT_MS + REQUEST_TIMEOUT_MS + SLACK_MS);
  expect(message).toMatch(new RegExp(`updating share resource ${made[0].id} of share ${shareId}: no answer from the API within the operation's timeout \\(5s\\)`));
  expect((await stateOf("ShareResource")).map((r) => r.id)).toEqual([made[0].id]);

  answerAgain();
  emulator.control.clearLog();
  const next = await testStack!.stack.up({ onOutput: recorder(testStack!) });
  expect(next.outputs.resources.value.extra).toMatchObject({ id: made[0].id, status: "active" });
  expect(JSON.parse(next.outputs.resources.value.extra.meta)).toEqual({ note: "changed" });
  expect(emulator.control.requestLog().filter((entry) => entry.method === "POST")).toEqual([]);
  // eslint-disable-next-line no-console
  console.log(`latest view, resource update: error ${elapsed} ms after the first PUT`);
});

it("a Share create that cannot see what it made (looks hang) fails within 5 s + one request timeout, and the next `up` keeps that one share", async () => {
  const second = {
    name: "latest view second share",
    recipients: [{ recipientAccountId: PARTNER_B }],
    resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_3, resourceAccountId: OWNER, meta: {} }],
    timeouts: { create: "5s" },
  };
  const spec = base({ recipients: RECIPIENTS, resources: { extra: { ...RESOURCES.extra, meta: { note: "changed" } } } });
  await setSpec(testStack!, { ...spec, shares: { ...spec.shares, second } });

  emulator.control.clearLog();
  const stop = hangGetsAfterPost(/\/shares$/);
  const { failedAt } = await failingUp(/timeout while waiting for the recipients and resources of share [0-9a-f]{32}/).finally(stop);
  await new Promise((resolve) => setTimeout(resolve, HANG_MS + 500));
  const log = emulator.control.requestLog();
  const posts = log.filter((entry) => entry.method === "POST");
  expect(posts).toHaveLength(1);
  // The discovery's deadline is 5 s after the POST was answered.
  const elapsed = failedAt - (posts[0].at + posts[0].durationMs);
  expect(elapsed).toBeLessThanOrEqual(TIMEOUT_MS + REQUEST_TIMEOUT_MS + SLACK_MS);
  const made = emulator.control.listShares(OWNER).filter((share) => share.name === second.name);
  expect(made).toHaveLength(1);
  expect((await stateOf("Share")).map((share) => share.id)).toContain(made[0].id);

  answerAgain();
  emulator.control.clearLog();
  const next = await testStack!.stack.up({ onOutput: recorder(testStack!) });
  expect(next.outputs.shares.value.second).toMatchObject({ id: made[0].id, status: "active" });
  expect(emulator.control.listShares(OWNER).filter((share) => share.name === second.name)).toHaveLength(1);
  expect(emulator.control.requestLog().filter((entry) => entry.method === "POST" && /\/shares$/.test(entry.path))).toEqual([]);
  // eslint-disable-next-line no-console
  console.log(`latest view, share create: error ${elapsed} ms after the POST was answered`);
});
