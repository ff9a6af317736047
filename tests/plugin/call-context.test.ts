// What the plugin host puts in force around a call reaches the unchanged CRUD code.
import { withCallContext } from "../../provider/call-context";
import { DEFAULT_TIMEOUT_MS, timeoutMs } from "../../provider/resources/inputs";
import { log, warn } from "../../provider/runtime";

describe("the call context", () => {
  it("the engine's deadline overrides the `timeouts` input, only inside the call", async () => {
    expect(timeoutMs({ create: "90s" }, "create")).toBe(90_000);
    const inside = await withCallContext({ timeoutMs: 2_000 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [timeoutMs({ create: "90s" }, "create"), timeoutMs(undefined, "delete")];
    });
    expect(inside).toEqual([2_000, 2_000]);
    expect(timeoutMs(undefined, "delete")).toBe(DEFAULT_TIMEOUT_MS);
  });

  it("progress lines go to the call's sink, each to its own across concurrent calls", async () => {
    const a: string[] = [];
    const b: string[] = [];
    const printed = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await Promise.all([
        withCallContext({ log: (line) => a.push(line) }, async () => {
          log("a1");
          await new Promise((resolve) => setTimeout(resolve, 5));
          log("a2");
        }),
        withCallContext({ log: (line) => b.push(line) }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          log("b1");
        }),
      ]);
      log("outside");
      expect(a).toEqual(["a1", "a2"]);
      expect(b).toEqual(["b1"]);
      expect(printed).toHaveBeenCalledWith("outside");
      expect(printed).toHaveBeenCalledTimes(1);
    } finally {
      printed.mockRestore();
    }
  });

  it("warnings go to the call's warning sink, else are printed as `warning: …` (the dynamic host)", async () => {
    const warnings: string[] = [];
    const lines: string[] = [];
    const printed = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await withCallContext({ log: (line) => lines.push(line), warn: (message) => warnings.push(message) }, async () => warn("inside"));
      warn("outside");
      expect(warnings).toEqual(["inside"]);
      expect(lines).toEqual([]);
      expect(printed.mock.calls).toEqual([["warning: outside"]]);
    } finally {
      printed.mockRestore();
    }
  });
});
