import { Batcher, BatchResult } from "../../provider/wait/coalesce";

/** A batch fetch that records its calls and answers from a table, slowly enough to overlap. */
function recordingFetch(table: Record<string, string>, complete = true) {
  const calls: { ids: string[]; preferComplete: boolean }[] = [];
  const fetch = async (ids: readonly string[], preferComplete: boolean): Promise<BatchResult<string>> => {
    calls.push({ ids: [...ids], preferComplete });
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { found: new Map(Object.entries(table)), complete };
  };
  return { fetch, calls };
}

describe("Batcher", () => {
  it("answers lookups arriving within the window with one fetch, ids deduplicated", async () => {
    const { fetch, calls } = recordingFetch({ a: "A", b: "B" });
    const batcher = new Batcher(fetch, 10);
    expect(await Promise.all([batcher.get("a"), batcher.get("b"), batcher.get("a"), batcher.get("zz")])).toEqual(["A", "B", "A", undefined]);
    expect(calls).toEqual([{ ids: ["a", "b", "zz"], preferComplete: false }]);
  });

  it("never answers a wait with a fetch that started before it asked", async () => {
    const { fetch, calls } = recordingFetch({ a: "A" });
    const batcher = new Batcher(fetch, 5);
    const first = batcher.get("a");
    await new Promise((resolve) => setTimeout(resolve, 10)); // the first fetch is now in flight
    const second = batcher.get("a");
    await Promise.all([first, second]);
    expect(calls).toHaveLength(2);
  });

  it("lets reads share a complete list fetched for reads a moment ago", async () => {
    const { fetch, calls } = recordingFetch({ a: "A", b: "B" });
    const batcher = new Batcher(fetch, 5);
    const reading = () => ({ startedNotBefore: Date.now() - 1_000 });
    expect(await batcher.get("a", reading())).toBe("A");
    expect(await batcher.get("b", reading())).toBe("B");
    expect(await batcher.get("gone", reading())).toBeUndefined(); // complete list: absent means not found
    expect(calls).toEqual([{ ids: ["a"], preferComplete: true }]);
    // A wait still asks again.
    await batcher.get("a");
    expect(calls).toHaveLength(2);
  });

  it("does not let reads reuse a list fetched for a wait, nor one older than they accept", async () => {
    const { fetch, calls } = recordingFetch({ a: "A" });
    const batcher = new Batcher(fetch, 5);
    await batcher.get("a"); // a wait's fetch
    await batcher.get("a", { startedNotBefore: Date.now() - 1_000 });
    expect(calls).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await batcher.get("a", { startedNotBefore: Date.now() - 10 }); // the read fetch is now too old
    expect(calls).toHaveLength(3);
  });

  it("answers a wait's look asked a moment ago with a fetch sent since then, which still answers no later read", async () => {
    const { fetch, calls } = recordingFetch({ a: "A", b: "B" });
    const batcher = new Batcher(fetch, 5);
    const askedAt = Date.now();
    const first = batcher.get("a");
    await new Promise((resolve) => setTimeout(resolve, 10)); // that fetch (sent after askedAt) is in flight
    const late = batcher.get("b", { startedNotBefore: askedAt, waitLook: true });
    expect(await Promise.all([first, late])).toEqual(["A", "B"]);
    expect(calls).toHaveLength(1);
    // Asked before that fetch was sent: it needs one of its own.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const tooEarly = batcher.get("a");
    await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all([tooEarly, batcher.get("a", { startedNotBefore: askedAt - 1_000, waitLook: true })]);
    expect(calls).toHaveLength(2);
    // A wait's look queued with an older bound does not make the fetch one that reads reuse.
    await batcher.get("a", { startedNotBefore: Date.now() - 1_000, waitLook: true });
    expect(calls).toHaveLength(3);
    await batcher.get("a", { startedNotBefore: Date.now() - 1_000 });
    expect(calls).toHaveLength(4);
  });

  it("passes a fetch failure to every lookup in the batch", async () => {
    const batcher = new Batcher<string>(async () => { throw new Error("503"); }, 5);
    await expect(Promise.all([batcher.get("a"), batcher.get("b")])).rejects.toThrow("503");
  });
});
