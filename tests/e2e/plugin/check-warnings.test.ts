// A warning of Check (here: a resource type the package does not know) under the real engine: the
// plugin logs it against the resource's URN, so it appears on that resource's row, not the Stack's.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../../emulator";
import { TestStack } from "../harness";
import { OWNER, RULESET_1, startE2eEmulator } from "../fixtures";
import { yamlProgram } from "./yaml-program";
import { yamlTestStack } from "./yaml-stack";

jest.setTimeout(120_000);

describe("a Check warning under the real engine", () => {
  let emulator: RunningEmulator;
  let testStack: TestStack;

  beforeAll(async () => {
    emulator = await startE2eEmulator();
    testStack = await yamlTestStack(emulator,
      yamlProgram({
        custom: {
          type: "ShareResource",
          properties: { accountId: OWNER, shareId: "3fd85f74b32742f1bff64a85009dda07", resourceType: "custom-thing", resourceId: RULESET_1, resourceAccountId: OWNER },
        },
      }),
    );
  });
  afterAll(async () => {
    await testStack?.destroyAndRemove().catch(() => undefined);
    await emulator?.stop();
  });

  it("appears as a warning on the resource's row of the event stream, and preview sends no request", async () => {
    emulator.control.clearLog();
    const events: EngineEvent[] = [];
    const preview = await testStack.stack.preview({ onOutput: (line) => testStack.printed.push(line), onEvent: (event) => events.push(event) });
    expect(preview.changeSummary).toMatchObject({ create: 2 });
    const diagnostics = events.flatMap((event) => (event.diagnosticEvent ? [event.diagnosticEvent] : []));
    const warnings = diagnostics.filter((line) => line.message.includes('resourceType "custom-thing" is not one of the known resource types'));
    expect(warnings.length).toBeGreaterThan(0);
    for (const line of warnings) {
      expect(line.severity).toBe("warning");
      expect(line.urn).toMatch(/::cloudflare-sharing:index:ShareResource::custom$/);
    }
    expect(emulator.control.requestLog()).toEqual([]);
  });
});
