import { createTestStack, TestStack } from "./harness";

// Proves the whole chain: engine → language host → dynamic-provider host → program code.
describe("the real Pulumi engine, offline", () => {
  let testStack: TestStack;
  afterAll(async () => testStack?.destroyAndRemove());

  it("runs up, preview, refresh and destroy of a dynamic resource on a file backend", async () => {
    testStack = await createTestStack({ program: "smoke", config: { "smoke:text": { value: "hello" } } });
    const { stack } = testStack;

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.length.value).toBe(5);
    expect(up.outputs.echoId.value).toBe("echo-hello");

    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2 });

    await stack.setConfig("smoke:text", { value: "hello, world" });
    const update = await stack.up();
    expect(update.summary.resourceChanges).toMatchObject({ update: 1, same: 1 });
    expect(update.outputs.length.value).toBe(12);

    const refresh = await stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");

    const state = await testStack.exportState();
    const resources = state.resources as { type: string }[];
    expect(resources.map((r) => r.type)).toContain("pulumi-nodejs:dynamic/smoke:Echo");

    const destroy = await stack.destroy();
    expect(destroy.summary.resourceChanges).toMatchObject({ delete: 2 });
  }, 120_000);
});
