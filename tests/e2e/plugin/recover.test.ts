// Recovery of a killed `pulumi up` through the plugin face, on a runner that never saw the killed run:
// a YAML program's `up` is SIGKILLed after its share's POST landed, then, with an EMPTY journal folder,
// `npx pulumi-cloudflare-sharing recover --apply` puts the share the killed run made into state and
// `up` finishes: one share, no duplicate, nothing left to do (the recipe of tests/e2e/recover.test.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "../../../emulator";
import type { TestStack } from "../harness";
import { startE2eEmulator, TOKEN } from "../fixtures";
import { duplicates, hexIdOf, idsInState, liveObjects, orphans, PLUGIN_SHARE_TYPE } from "../invariants";
import { cli, RECOVER_CLI, releaseLocks, restoreCheckpointIfTorn, runInProgram, until } from "../killed-run";
import { yamlProgram } from "./yaml-program";
import { yamlTestStack } from "./yaml-stack";

jest.setTimeout(300_000);

const OWNER = hexIdOf("plugin-recover-owner");
const HELD = hexIdOf("plugin-recover-partner-held");
const OTHER = hexIdOf("plugin-recover-partner-other");
const RULESET = hexIdOf("plugin-recover-ruleset");
const NAME = "recovered through the plugin";

/** A folder with no journal in it: the second machine (or the killed run's own, kept apart). */
const journalDir = () => ({ CLOUDFLARE_SHARING_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "plugin-recover-journal-")) });

describe("a killed plugin `up` recovered on another runner (no journal)", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack | undefined;

  beforeAll(async () => {
    emulator = await startE2eEmulator();
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  const sharesNamed = () => liveObjects(emulator, OWNER).filter(({ share }) => share.name === NAME);

  it("recover --apply then up leave exactly one share, in state and settled, and preview expects no changes", async () => {
    const share = {
      type: "Share" as const,
      properties: {
        accountId: OWNER,
        name: NAME,
        recipients: [{ recipientAccountId: HELD }, { recipientAccountId: OTHER }],
        resources: [{ resourceType: "custom-ruleset", resourceId: RULESET, resourceAccountId: OWNER, meta: { tier: "gold" } }],
      },
    };
    testStack = await yamlTestStack(emulator, yamlProgram({ share }, { shareId: "${share.id}" }));

    // The first recipient held `associating`: the share's create waits, its POST landed, its id outside state.
    emulator.control.injectRecipientError({ accountId: HELD, error: "Recipient is being provisioned", terminal: false });
    let kill: () => void = () => undefined;
    const run = cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, (k) => (kill = k), journalDir());
    await until(() => sharesNamed().length > 0, 90_000, "the POST of the share");
    kill();
    expect((await run).signal).toBe("SIGKILL");
    restoreCheckpointIfTorn(testStack.backendDir);
    releaseLocks(testStack.backendDir); // the operator cancels the killed run's lock
    const killed = idsInState(await testStack.exportState());
    expect({ pending: killed.pending.map((op) => op.type), shares: killed.shares.size }).toEqual({ pending: [PLUGIN_SHARE_TYPE], shares: 0 });
    emulator.control.clearRecipientErrors();
    const [made] = sharesNamed();

    // The plugin takes its credentials from the stack's config; `recover` from the environment.
    const credentials = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: emulator.url };
    const recovered = await runInProgram(testStack, process.execPath, [RECOVER_CLI, "recover", "--stack", testStack.stack.name, "--apply"], 120_000, undefined, {
      ...credentials,
      ...journalDir(),
    });
    if (recovered.code !== 0) throw new Error(`recover --apply failed (${recovered.code}):\n${recovered.output}`);
    expect(recovered.output).toContain(`is Share ${made.share.id}`);
    expect(recovered.output).not.toContain(TOKEN);

    const up = await cli(testStack, ["up", "--yes", "--skip-preview"], 120_000, undefined, journalDir());
    if (up.code !== 0) throw new Error(`up failed:\n${up.output}`);

    const live = sharesNamed();
    expect(live.map(({ share }) => share.id)).toEqual([made.share.id]);
    const state = idsInState(await testStack.exportState());
    expect({ shares: [...state.shares], pending: state.pending }).toEqual({ shares: [made.share.id], pending: [] });
    const all = liveObjects(emulator, OWNER);
    expect({ orphans: orphans(all, state), duplicates: duplicates(all) }).toEqual({ orphans: [], duplicates: [] });
    const [{ recipients, resources }] = live;
    expect([made.share.id, ...recipients.map((r) => r.association_status), ...resources.map((r) => r.status)]).toEqual([made.share.id, "associated", "associated", "active"]);
    expect(emulator.control.getShare(made.share.id)?.status).toBe("active");
    expect(up.output).not.toContain(TOKEN);

    const preview = await cli(testStack, ["preview", "--expect-no-changes"], 120_000, undefined, journalDir());
    if (preview.code !== 0) throw new Error(`preview shows changes:\n${preview.output}`);
  });
});
