// `exclusive: true` on a Share under the real engine, as a scheduled drift job runs it: a grant made out
// of band (another client adds a recipient and a shared object over HTTP) fails `pulumi refresh
// --preview-only --expect-no-changes` and `pulumi preview --refresh --expect-no-changes`, which name it;
// `pulumi up --refresh` removes exactly that and never touches a declared item; a share of the same
// stack that is not exclusive keeps its out-of-band recipient. Then the removal under a lost DELETE
// response and under a killed `up`: nothing declared is removed, and the next `up` finishes the removal.
// Steps run in order on one stack.
import type { RunningEmulator } from "../../emulator";
import { CloudflareSharingClient } from "../../provider/client";
import type { TestStack } from "./harness";
import { pause, readsSettleMs } from "../support/provider-env";
import { cli, releaseLocks, restoreCheckpointIfTorn, until } from "./killed-run";
import { OWNER, PARTNER_A, PARTNER_B, PARTNER_C, PARTNER_D, PARTNER_E, POLICY_1, POLICY_2, RULESET_1, RULESET_2, requests, sharingStack, Spec, startE2eEmulator, TOKEN, writes } from "./fixtures";
import { SHARE_TYPE } from "./invariants";

jest.setTimeout(240_000);

const spec: Spec = {
  accountId: OWNER,
  shares: {
    main: {
      name: "waf rules",
      exclusive: true,
      recipients: [{ recipientAccountId: PARTNER_A }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_1, resourceAccountId: OWNER }],
    },
    open: {
      name: "open rules",
      recipients: [{ recipientAccountId: PARTNER_A }],
      resources: [{ resourceType: "custom-ruleset", resourceId: RULESET_2, resourceAccountId: OWNER }],
    },
  },
};

/** The output of an engine command that must fail (the CLI's exit code and everything it printed). */
async function failureOf(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
  } catch (error) {
    return String(error);
  }
  throw new Error("the operation succeeded; it was expected to fail");
}

describe("an exclusive share under the real engine", () => {
  let emulator: RunningEmulator;
  let api: CloudflareSharingClient;
  let testStack: TestStack;
  let main: string;
  let open: string;
  /** Every id of a declared recipient or resource: no request may ever name one after the first `up`. */
  let declaredIds: string[];

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    api = new CloudflareSharingClient({ credentials: { apiToken: TOKEN }, baseUrl: emulator.url });
    testStack = await sharingStack(emulator, spec);
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  const record = (line: string) => testStack.printed.push(line);
  const liveStatus = (shareId: string, itemId: string) =>
    emulator.control.listRecipients(shareId).find((r) => r.id === itemId)?.association_status ??
    emulator.control.listResources(shareId).find((r) => r.id === itemId)?.status ??
    "gone";
  const touchingDeclared = () => requests(emulator).filter((request) => declaredIds.some((id) => request.includes(id)));
  /** Adds a recipient (and a shared object) as another client would, and waits until every read shows them. */
  async function grant(shareId: string, partner: string, policy?: string) {
    const recipient = await api.recipients.create(OWNER, shareId, { recipient_account_id: partner });
    const resource = policy ? await api.resources.create(OWNER, shareId, { resource_type: "gateway-policy", resource_id: policy, resource_account_id: OWNER, meta: {} }) : undefined;
    await pause(readsSettleMs(emulator) + 100);
    return { recipient: recipient.id, resource: resource?.id };
  }
  /** The drift job passes: lists may trail the last removal, so it runs once every read shows it. */
  async function expectNoDrift() {
    await pause(readsSettleMs(emulator) + 100);
    await testStack.stack.previewRefresh({ expectNoChanges: true, onOutput: record });
    await testStack.stack.preview({ refresh: true, expectNoChanges: true, onOutput: record });
  }

  it("the drift job fails on an out-of-band grant and names it; up --refresh removes it; the non-exclusive share keeps its own", async () => {
    await testStack.stack.up({ onOutput: record });
    const shares = ((await testStack.exportState()).resources as { type: string; id: string; urn: string }[]).filter((r) => r.type === SHARE_TYPE);
    main = shares.find((r) => r.urn.endsWith("::main"))!.id;
    open = shares.find((r) => r.urn.endsWith("::open"))!.id;
    declaredIds = [main, open].flatMap((id) => [...emulator.control.listRecipients(id), ...emulator.control.listResources(id)].map((item) => item.id));

    const extra = await grant(main, PARTNER_B, POLICY_1);
    const openExtra = await grant(open, PARTNER_C);
    emulator.control.clearLog();

    // The scheduled drift job, as a scheduler runs the CLI: exits non-zero, and its output names the account and the object.
    const job = await cli(testStack, ["refresh", "--preview-only", "--expect-no-changes"], 120_000);
    expect(job.code).not.toBe(0);
    const refresh = job.output;
    expect(refresh).toContain("no changes were expected");
    expect(refresh).toContain(`(account ${PARTNER_B}) of share ${main}`);
    expect(refresh).toContain(`gateway-policy ${POLICY_1}`);
    expect(refresh).not.toContain(PARTNER_C); // the share that is not exclusive keeps what others add
    const preview = await failureOf(testStack.stack.preview({ refresh: true, expectNoChanges: true, diff: true, onOutput: record }));
    expect(preview).toContain("no changes were expected");
    expect(preview).toContain(PARTNER_B);
    expect(preview).toContain(POLICY_1);
    expect(preview).toMatch(/undeclaredRecipients/);
    expect(writes(emulator)).toEqual([]);

    const up = await testStack.stack.up({ refresh: true, onOutput: record });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(up.stdout).toContain(`removed recipient ${extra.recipient} (account ${PARTNER_B}) of share ${main}: it is disassociated`);
    expect(up.stdout).toContain(`removed gateway-policy ${POLICY_1} of account ${OWNER} (share resource ${extra.resource}) on share ${main}: it is deleted`);
    // Waited for: gone when `up` returned.
    expect(liveStatus(main, extra.recipient)).toBe("disassociated");
    expect(liveStatus(main, extra.resource!)).toMatch(/deleted|gone/);
    expect(liveStatus(open, openExtra.recipient)).toBe("associated");
    expect(writes(emulator).sort()).toEqual([`DELETE /shares/${main}/recipients/${extra.recipient}`, `DELETE /shares/${main}/resources/${extra.resource}`].sort());
    expect(touchingDeclared()).toEqual([]);
    await expectNoDrift();
  });

  it("a lost DELETE response: nothing declared is removed, and the removal ends gone", async () => {
    const extra = await grant(main, PARTNER_D, POLICY_2);
    emulator.control.clearLog();
    emulator.control.configure({ faults: { lostPostResponseRate: 1, lostResponseMethods: ["DELETE"], methods: ["DELETE"] } });
    let first: string | undefined;
    try {
      await testStack.stack.up({ refresh: true, onOutput: record });
    } catch (error) {
      first = String(error); // every response lost, retries included: the run may give up, keeping state
    } finally {
      emulator.control.configure({ faults: { lostPostResponseRate: 0, lostResponseMethods: null as never, methods: null as never } });
    }
    expect(emulator.control.requestLog().filter((entry) => entry.fault === "lost-response").length).toBeGreaterThan(0);
    if (first !== undefined) await testStack.stack.up({ refresh: true, onOutput: record });
    expect(liveStatus(main, extra.recipient)).toBe("disassociated");
    expect(liveStatus(main, extra.resource!)).toMatch(/deleted|gone/);
    expect(touchingDeclared()).toEqual([]);
    expect(emulator.control.listRecipients(main).filter((r) => r.association_status === "associated").map((r) => r.account_id)).toEqual([PARTNER_A]);
    await expectNoDrift();
  });

  it("up killed while it waits for a removal: nothing declared is removed, and the next up finishes it", async () => {
    const extra = await grant(main, PARTNER_E);
    emulator.control.clearLog();
    // A slow disassociation: the kill lands while `up` waits for it, and it is still under way when the next `up` starts.
    const usual = emulator.control.settings.timings.recipientDisassociateMs;
    emulator.control.configure({ timings: { recipientDisassociateMs: 15_000 } });
    let kill: () => void = () => undefined;
    const run = cli(testStack, ["up", "--refresh", "--yes", "--skip-preview"], 120_000, (k) => (kill = k));
    const deleted = () => writes(emulator).includes(`DELETE /shares/${main}/recipients/${extra.recipient}`);
    await until(deleted, 90_000, "the DELETE of the undeclared recipient");
    kill();
    expect((await run).signal).toBe("SIGKILL");
    expect(liveStatus(main, extra.recipient)).toBe("disassociating");
    releaseLocks(testStack.backendDir);
    restoreCheckpointIfTorn(testStack.backendDir);

    const next = await cli(testStack, ["up", "--refresh", "--yes", "--skip-preview"], 120_000);
    emulator.control.configure({ timings: { recipientDisassociateMs: usual } });
    if (next.code !== 0) throw new Error(`up failed:\n${next.output}`);
    // The next `up` found the removal under way and waited for it: disassociated when it returned.
    expect(liveStatus(main, extra.recipient)).toBe("disassociated");
    expect(next.output).toContain(`removed recipient ${extra.recipient} (account ${PARTNER_E}) of share ${main}: it is disassociated`);
    expect(writes(emulator).filter((write) => write.includes(extra.recipient))).toEqual([`DELETE /shares/${main}/recipients/${extra.recipient}`]);
    expect(touchingDeclared()).toEqual([]);
    await expectNoDrift();
  });
});
