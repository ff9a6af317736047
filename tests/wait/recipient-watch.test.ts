import type { RecipientAssociationStatus, RecipientObject, ShareObject } from "../../provider/client/types";
import { ALL_GONE, RecipientWatch } from "../../provider/wait/recipient-watch";

/** An account held in memory: shares with recipients whose statuses the test moves. */
function fakeAccount() {
  const shares = new Map<string, Map<string, RecipientObject>>();
  const calls = { share: [] as string[], recipients: [] as string[] };
  let counts = true;
  // Recipients the share's counts do not show yet (lists trail writes).
  const uncounted = new Set<string>();
  const recipient = (id: string, status: RecipientAssociationStatus, error?: string): RecipientObject => ({
    id,
    account_id: `acct-${id}`,
    association_status: status,
    created: "2026-01-01T00:00:00Z",
    modified: "2026-01-01T00:00:00Z",
    resources: error ? [{ resource_id: "r1", resource_version: 1, error, terminal: true }] : [],
  });
  const account = {
    calls,
    withoutCounts: () => (counts = false),
    countLater: (id: string) => uncounted.add(id),
    countNow: (id: string) => uncounted.delete(id),
    set(shareId: string, id: string, status: RecipientAssociationStatus, error?: string) {
      if (!shares.has(shareId)) shares.set(shareId, new Map());
      shares.get(shareId)!.set(id, recipient(id, status, error));
    },
    sources: {
      async share(shareId: string): Promise<ShareObject | undefined> {
        calls.share.push(shareId);
        const list = shares.get(shareId);
        if (!list) return undefined;
        const count = (status: RecipientAssociationStatus) => [...list.values()].filter((r) => r.association_status === status && !uncounted.has(r.id)).length;
        const share = { id: shareId, status: "active" } as ShareObject;
        if (!counts) return share;
        return {
          ...share,
          associating_recipient_count: count("associating"),
          associated_recipient_count: count("associated"),
          disassociating_recipient_count: count("disassociating"),
          disassociated_recipient_count: count("disassociated"),
        };
      },
      async recipients(shareId: string, _signal?: AbortSignal, onSent?: () => void): Promise<RecipientObject[] | undefined> {
        calls.recipients.push(shareId);
        onSent?.();
        const list = shares.get(shareId);
        return list ? [...list.values()].map((r) => ({ ...r })) : undefined;
      },
    },
  };
  return account;
}

function setup(recheckMs = 2_000, listLagMs = 0, listPatienceMs = 0) {
  const account = fakeAccount();
  let now = 1_000_000;
  const watch = new RecipientWatch(account.sources, { windowMs: 1, recheckMs, listLagMs, listPatienceMs, now: () => now });
  return { account, watch, advance: (ms: number) => (now += ms) };
}

const statusOf = (look: unknown) => (look === ALL_GONE ? "ALL_GONE" : (look as RecipientObject | undefined)?.association_status);

describe("RecipientWatch", () => {
  it("lists a lone share's recipients directly: counts would cost as much", async () => {
    const { account, watch } = setup();
    account.set("s1", "a", "associating");
    account.set("s1", "b", "associated");
    const looks = await Promise.all([watch.look("s1", "a"), watch.look("s1", "b")]);
    expect(looks.map(statusOf)).toEqual(["associating", "associated"]);
    expect(account.calls).toEqual({ share: [], recipients: ["s1"] });
  });

  it("answers looks on many shares with their counts, listing only the shares that changed", async () => {
    const { account, watch, advance } = setup();
    for (const share of ["s1", "s2", "s3"]) account.set(share, `${share}-a`, "associating");
    await Promise.all(["s1", "s2", "s3"].map((share) => watch.list(share)));
    account.calls.recipients.length = 0;
    advance(500);
    account.set("s2", "s2-a", "associated"); // only s2 changed
    const looks = await Promise.all(["s1", "s2", "s3"].map((share) => watch.look(share, `${share}-a`)));
    expect(looks.map(statusOf)).toEqual(["associating", "associated", "associating"]);
    expect(account.calls.share.sort()).toEqual(["s1", "s2", "s3"]);
    expect(account.calls.recipients).toEqual(["s2"]);
    expect(watch.stats.unchanged).toBe(2);
  });

  it("lists a share again after recheckMs even when its counts did not change (a terminal error shows no count)", async () => {
    const { account, watch, advance } = setup(2_000);
    account.set("s1", "a", "associating");
    account.set("s2", "b", "associating");
    await Promise.all([watch.list("s1"), watch.list("s2")]);
    account.set("s1", "a", "associating", "Recipient is missing necessary entitlement");
    advance(1_000);
    const early = await Promise.all([watch.look("s1", "a"), watch.look("s2", "b")]);
    expect((early[0] as RecipientObject).resources).toEqual([]); // counts unchanged: the earlier list answers
    advance(1_000);
    account.calls.recipients.length = 0;
    const late = await Promise.all([watch.look("s1", "a"), watch.look("s2", "b")]);
    expect((late[0] as RecipientObject).resources?.[0].terminal).toBe(true);
    expect(account.calls.recipients.sort()).toEqual(["s1", "s2"]);
  });

  it("says ALL_GONE without a list when the counts show no live recipient", async () => {
    const { account, watch } = setup();
    account.set("s1", "a", "disassociated");
    account.set("s2", "b", "disassociated");
    account.set("s2", "c", "disassociated");
    const looks = await Promise.all([watch.look("s1", "a"), watch.look("s2", "b"), watch.look("s2", "c")]);
    expect(looks).toEqual([ALL_GONE, ALL_GONE, ALL_GONE]);
    expect(account.calls.recipients).toEqual([]);
  });

  it("lists when a recipient is not in the last list, when counts are missing, and answers undefined for a missing share", async () => {
    const { account, watch, advance } = setup();
    account.set("s1", "a", "associating");
    account.set("s2", "b", "associating");
    await Promise.all([watch.list("s1"), watch.list("s2")]);
    account.calls.recipients.length = 0;
    advance(100);
    // A recipient added since: the counts changed anyway, but also the list does not know it.
    account.set("s1", "new", "associating");
    const looks = await Promise.all([watch.look("s1", "new"), watch.look("s2", "b"), watch.look("gone-share", "x")]);
    expect(looks.map(statusOf)).toEqual(["associating", "associating", undefined]);
    expect(account.calls.recipients).toEqual(["s1"]);

    account.withoutCounts();
    account.calls.recipients.length = 0;
    await Promise.all([watch.look("s1", "a"), watch.look("s2", "b")]);
    expect(account.calls.recipients.sort()).toEqual(["s1", "s2"]);
  });

  it("answers a recipient just created from the share's counts, the created one included", async () => {
    const { account, watch, advance } = setup();
    account.set("s1", "a", "associated");
    account.set("s2", "b", "associated");
    await Promise.all([watch.list("s1"), watch.list("s2")]);
    account.calls.recipients.length = 0;
    account.set("s1", "new", "associating");
    const created = (await account.sources.recipients("s1"))!.find((r) => r.id === "new")!;
    account.calls.recipients.length = 0;
    watch.remember("s1", created);
    advance(300);
    const looks = await Promise.all([watch.look("s1", "new"), watch.look("s2", "b")]);
    expect(looks.map(statusOf)).toEqual(["associating", "associated"]);
    expect(account.calls.recipients).toEqual([]);
    // Once it settles the counts differ from what was remembered: listed again.
    account.set("s1", "new", "associated");
    advance(300);
    expect(statusOf(await Promise.all([watch.look("s1", "new"), watch.look("s2", "b")]).then((l) => l[0]))).toBe("associated");
    expect(account.calls.recipients).toEqual(["s1"]);
  });

  it("answers status-only looks from counts that show every recipient associated, and full looks with a list", async () => {
    const { account, watch, advance } = setup();
    account.set("s1", "a", "associating");
    account.set("s2", "b", "associating");
    await Promise.all([watch.list("s1"), watch.list("s2")]);
    account.calls.recipients.length = 0;
    account.set("s1", "a", "associated");
    account.set("s2", "b", "associated");
    advance(300);
    const looks = await Promise.all([watch.look("s1", "a", { statusOnly: true }), watch.look("s2", "b")]);
    expect(looks.map(statusOf)).toEqual(["associated", "associated"]);
    expect(account.calls.recipients).toEqual(["s2"]);
  });

  it("keeps answering a gone-wait from the list while other recipients only start leaving", async () => {
    const { account, watch, advance } = setup();
    for (const id of ["a", "b", "c"]) account.set("s1", id, "associated");
    await watch.list("s1");
    // "a" is deleted: the DELETE's answer is remembered.
    account.set("s1", "a", "disassociating");
    watch.remember("s1", (await account.sources.recipients("s1"))!.find((r) => r.id === "a")!);
    account.calls.recipients.length = 0;
    advance(300);
    account.set("s1", "b", "disassociating"); // another delete: nobody is past disassociating yet
    expect(statusOf(await watch.look("s1", "a"))).toBe("disassociating");
    expect(account.calls).toMatchObject({ share: ["s1"], recipients: [] });
    advance(300);
    account.set("s1", "a", "disassociated");
    expect(statusOf(await watch.look("s1", "a"))).toBe("disassociated");
    expect(account.calls.recipients).toEqual(["s1"]);
  });

  it("answers gone-waits from the counts when every leaving recipient was removed and nothing else moved", async () => {
    const { account, watch, advance } = setup();
    for (const id of ["a", "b", "c", "d"]) account.set("s1", id, "associated");
    await watch.list("s1");
    const removing = async (id: string) => {
      account.set("s1", id, "disassociating");
      watch.remember("s1", (await account.sources.recipients("s1"))!.find((r) => r.id === id)!);
    };
    await removing("a");
    await removing("b");
    account.calls.recipients.length = 0;
    advance(300);
    account.set("s1", "a", "disassociated");
    account.set("s1", "b", "disassociated");
    const both = await Promise.all([watch.look("s1", "a"), watch.look("s1", "b")]);
    expect(both.map(statusOf)).toEqual(["disassociated", "disassociated"]);
    expect(account.calls.recipients).toEqual([]);
    // Only one of two leaving recipients removed: which one cannot be told from counts.
    await removing("c");
    await removing("d");
    account.calls.recipients.length = 0;
    advance(300);
    account.set("s1", "d", "disassociated");
    expect(statusOf(await watch.look("s1", "c"))).toBe("disassociating");
    expect(account.calls.recipients).toEqual(["s1"]);
  });

  it("does not answer for a recipient just created from counts that may not show it yet (lists trail writes)", async () => {
    const { account, watch, advance } = setup(2_000, 1_000);
    account.set("s1", "old", "disassociated");
    account.set("s2", "b", "associated");
    account.set("s3", "c", "associating");
    await watch.list("s3");
    account.set("s3", "c", "associated"); // s3 moved: its last list no longer answers
    // Created by this process; the share counts do not show them yet.
    account.set("s1", "new", "associating");
    account.set("s3", "fresh", "associating");
    account.countLater("new");
    account.countLater("fresh");
    const recipients = async (shareId: string, id: string) => (await account.sources.recipients(shareId))!.find((r) => r.id === id)!;
    watch.remember("s1", await recipients("s1", "new"));
    watch.remember("s3", await recipients("s3", "fresh"));
    account.calls.recipients.length = 0;
    advance(300);
    // Counts say s1 has no live recipient and s3 only associated ones: neither is true of the new ones.
    const looks = await Promise.all([watch.look("s1", "new"), watch.look("s2", "b"), watch.look("s3", "fresh", { statusOnly: true })]);
    expect(looks.map(statusOf)).toEqual(["associating", "associated", "associating"]);
    expect(account.calls.recipients.sort()).toEqual(["s1", "s2", "s3"]);
    // Once lists can have caught up, counts answer for them again.
    account.countNow("new");
    account.countNow("fresh");
    account.set("s1", "new", "disassociated");
    account.set("s3", "fresh", "associated");
    advance(1_000);
    await Promise.all([watch.list("s1"), watch.list("s3")]);
    account.calls.recipients.length = 0;
    advance(2_000); // past recheckMs: only the shortcuts can spare the lists
    const later = await Promise.all([watch.look("s1", "new"), watch.look("s3", "fresh", { statusOnly: true })]);
    expect(later.map(statusOf)).toEqual(["ALL_GONE", "associated"]);
    expect(account.calls.recipients).toEqual([]);
  });

  it("asks nothing for a look whose wait gave up, and stops a shared request once every look it serves gave up", async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const hanging = {
      share: async () => undefined,
      // Never answers: ends only when its signal aborts.
      recipients: (_shareId: string, signal?: AbortSignal) => {
        signals.push(signal);
        return new Promise<RecipientObject[] | undefined>((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
      },
    };
    const watch = new RecipientWatch(hanging, { windowMs: 1, recheckMs: 2_000 });
    const gaveUp = new AbortController();
    const early = watch.look("s1", "a", { signal: gaveUp.signal });
    gaveUp.abort(new Error("deadline"));
    await expect(early).rejects.toThrow("deadline");
    expect(signals).toEqual([]);

    const first = new AbortController();
    const second = new AbortController();
    const looks = [watch.look("s1", "a", { signal: first.signal }), watch.look("s1", "b", { signal: second.signal })];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signals).toHaveLength(1);
    first.abort(new Error("first deadline"));
    expect(signals[0]!.aborted).toBe(false); // the other look still wants the answer
    second.abort(new Error("second deadline"));
    expect(signals[0]!.aborted).toBe(true);
    await expect(Promise.all(looks)).rejects.toThrow("first deadline");
  });

  it("lists a lone share directly when no earlier list knows the recipient", async () => {
    const { account, watch } = setup();
    account.set("s1", "a", "associating");
    await watch.look("s1", "a");
    expect(account.calls).toEqual({ share: [], recipients: ["s1"] });
  });

  it("passes a failed list to every look on that share only", async () => {
    const { account, watch } = setup();
    account.set("s1", "a", "associating");
    account.set("s2", "b", "associating");
    const failing = { ...account.sources, recipients: async (shareId: string) => (shareId === "s1" ? Promise.reject(new Error("503")) : account.sources.recipients(shareId)) };
    const flaky = new RecipientWatch(failing, { windowMs: 1, recheckMs: 2_000 });
    const results = await Promise.allSettled([flaky.look("s1", "a"), flaky.look("s2", "b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    void watch;
  });
  it("answers a share's members from its last list while the counts add up to it, and lists once a recipient was added", async () => {
    const { account, watch, advance } = setup();
    account.set("s1", "a", "associated");
    account.set("s2", "b", "associating");
    await Promise.all([watch.list("s1"), watch.list("s2")]);
    account.calls.recipients.length = 0;
    advance(5_000); // members are proven by the counts, however old the list
    account.set("s1", "a", "disassociating"); // moved on: still a member, its status is the list's
    const [members] = await Promise.all([watch.members("s1"), watch.look("s2", "b")]);
    expect(members?.map((r) => r.id)).toEqual(["a"]);
    expect(account.calls.recipients).toEqual(["s2"]); // s2: its list was too old for a wait's look
    account.calls.recipients.length = 0;
    // Another caller adds one: the counts no longer add up to the list, so the share is listed.
    account.set("s1", "other", "associating");
    const again = await Promise.all([watch.members("s1"), watch.members("s2")]);
    expect(again[0]?.map((r) => r.id).sort()).toEqual(["a", "other"]);
    expect(account.calls.recipients).toEqual(["s1"]);
    expect(await watch.members("gone-share")).toBeUndefined();
  });

  it("lists a share for members when no earlier list of it exists", async () => {
    const { account, watch } = setup();
    account.set("s1", "a", "associated");
    expect((await watch.members("s1"))?.map((r) => r.id)).toEqual(["a"]);
    expect(account.calls.recipients).toEqual(["s1"]);
  });

  it("answers listedSince from a list sent since then, and otherwise with one list shared by every look on the share", async () => {
    const { account, watch, advance } = setup();
    account.set("s1", "a", "associating");
    const listedAt = 1_000_000;
    await watch.list("s1");
    account.calls.recipients.length = 0;
    expect((await watch.listedSince("s1", listedAt))?.at).toBe(listedAt);
    expect(account.calls.recipients).toEqual([]);
    advance(100);
    account.set("s1", "a", "associated");
    const [listed, look] = await Promise.all([watch.listedSince("s1", listedAt + 1), watch.look("s1", "a")]);
    expect(listed?.at).toBe(listedAt + 100);
    expect(listed?.recipients.map((r) => r.association_status)).toEqual(["associated"]);
    expect(statusOf(look)).toBe("associated");
    expect(account.calls.recipients).toEqual(["s1"]);
    expect(await watch.listedSince("gone-share", 0)).toBeUndefined();
  });

  it("lets a look that needs a new list wait for the one the share's recipient waits make anyway, for at most listPatienceMs", async () => {
    const { account, watch, advance } = setup(2_000, 0, 200);
    let now = advance(0);
    account.set("s1", "a", "associated");
    account.set("s2", "x", "associated");
    await Promise.all([watch.list("s1"), watch.list("s2")]);
    // A recipient this process just added to s1: its wait will list s1 as soon as the counts move.
    account.set("s1", "b", "associating");
    watch.remember("s1", { id: "b", account_id: "acct-b", association_status: "associating", created: "", modified: "" });
    account.calls.recipients.length = 0;
    now = advance(100);
    const parked = watch.listedSince("s1", now);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(account.calls.recipients).toEqual([]); // waiting for the recipient wait's list
    account.set("s1", "b", "associated");
    now = advance(250);
    const [look, listed] = await Promise.all([watch.look("s1", "b"), parked]);
    expect(statusOf(look)).toBe("associated");
    expect(listed?.recipients.map((r) => r.association_status)).toEqual(["associated", "associated"]);
    expect(account.calls.recipients).toEqual(["s1"]); // one list answered both

    // Nothing awaited on s2: no list is coming, so the look lists at once.
    const started = Date.now();
    await watch.listedSince("s2", now);
    expect(Date.now() - started).toBeLessThan(150);
    expect(account.calls.recipients).toEqual(["s1", "s2"]);

    // s1's recipient settled: nothing awaited there any more either.
    account.calls.recipients.length = 0;
    now = advance(10);
    await watch.listedSince("s1", now);
    expect(account.calls.recipients).toEqual(["s1"]);

    // Awaited, but no list comes: the look lists by itself once its patience is spent.
    account.set("s1", "c", "associating");
    watch.remember("s1", { id: "c", account_id: "acct-c", association_status: "associating", created: "", modified: "" });
    account.calls.recipients.length = 0;
    now = advance(10);
    const waitedFrom = Date.now();
    const alone = await watch.listedSince("s1", now);
    expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(190);
    expect(alone?.recipients).toHaveLength(3);
    expect(account.calls.recipients).toEqual(["s1"]);
  });

  it("answers a fresh process's removal waits from the counts and its own DELETEs, with no first list, while nothing moved past them", async () => {
    const { account, watch, advance } = setup();
    for (const share of ["s1", "s2"]) {
      account.set(share, `${share}-keep`, "associated");
      account.set(share, `${share}-a`, "disassociating");
      account.set(share, `${share}-b`, "disassociating");
      // What this process's DELETEs answered (no list of either share was ever made).
      for (const id of [`${share}-a`, `${share}-b`]) watch.remember(share, { id, account_id: `acct-${id}`, association_status: "disassociating", created: "", modified: "" });
    }
    advance(250);
    const first = await Promise.all([watch.look("s1", "s1-a"), watch.look("s2", "s2-a"), watch.look("s2", "s2-b")]);
    expect(first.map(statusOf)).toEqual(["disassociating", "disassociating", "disassociating"]);
    expect(account.calls.recipients).toEqual([]);
    // Every recipient s2's DELETEs left is removed, nothing else moved: still no list.
    account.set("s2", "s2-a", "disassociated");
    account.set("s2", "s2-b", "disassociated");
    advance(250);
    const second = await Promise.all([watch.look("s1", "s1-a"), watch.look("s2", "s2-a"), watch.look("s2", "s2-b")]);
    expect(second.map(statusOf)).toEqual(["disassociating", "disassociated", "disassociated"]);
    expect(account.calls.recipients).toEqual([]);
    // One of two removed: only a list says which.
    account.set("s1", "s1-b", "disassociated");
    advance(250);
    const third = await Promise.all([watch.look("s1", "s1-a"), watch.look("s2", "s2-a")]);
    expect(third.map(statusOf)).toEqual(["disassociating", "disassociated"]);
    expect(account.calls.recipients).toEqual(["s1"]);
  });

  it("does not take counts for a baseline when they show fewer recipients leaving than its DELETEs made, and never calls it the share's whole list", async () => {
    const { account, watch, advance } = setup();
    for (const share of ["s1", "s2"]) {
      account.set(share, `${share}-keep`, "associated");
      account.set(share, `${share}-a`, "disassociating");
      watch.remember(share, { id: `${share}-a`, account_id: "x", association_status: "disassociating", created: "", modified: "" });
    }
    account.set("s1", "s1-a", "disassociated"); // removed before the first look: the counts cannot say it moved
    advance(250);
    const looks = await Promise.all([watch.look("s1", "s1-a"), watch.look("s2", "s2-a")]);
    expect(looks.map(statusOf)).toEqual(["disassociated", "disassociating"]);
    expect(account.calls.recipients).toEqual(["s1"]);
    // s2 has only a baseline: its recipients as a whole come from a list.
    expect(watch.lastList("s2")).toBeUndefined();
    const listed = await watch.listedSince("s2", 0);
    expect(listed?.recipients.map((r) => r.id).sort()).toEqual(["s2-a", "s2-keep"]);
    expect(account.calls.recipients).toEqual(["s1", "s2"]);
  });

  it("keeps answering a removal wait from unchanged counts past recheckMs: a leaving recipient has no error to catch", async () => {
    const { account, watch, advance } = setup(2_000);
    account.set("s1", "a", "associating");
    account.set("s2", "b", "disassociating");
    await Promise.all([watch.list("s1"), watch.list("s2")]);
    account.calls.recipients.length = 0;
    advance(2_500);
    const looks = await Promise.all([watch.look("s1", "a"), watch.look("s2", "b")]);
    expect(looks.map(statusOf)).toEqual(["associating", "disassociating"]);
    expect(account.calls.recipients).toEqual(["s1"]); // the associating one is rechecked, the leaving one not
  });

  it("joins a list of the share that has not been sent yet (held by the rate budget) instead of queuing a second one", async () => {
    const account = fakeAccount();
    let now = 1_000_000;
    const held: { onSent?: () => void; release: () => void }[] = [];
    const sources = {
      share: account.sources.share,
      recipients: (shareId: string, _signal?: AbortSignal, onSent?: () => void) =>
        new Promise<RecipientObject[] | undefined>((resolve) => {
          account.calls.recipients.push(shareId);
          held.push({ onSent, release: () => void account.sources.recipients(shareId).then(resolve) });
        }),
    };
    const watch = new RecipientWatch(sources, { windowMs: 1, recheckMs: 2_000, now: () => now });
    account.set("s1", "a", "associating");
    const first = watch.look("s1", "a");
    await new Promise((resolve) => setTimeout(resolve, 10));
    now += 300;
    const second = watch.look("s1", "a"); // asked while the first list still waits to be sent
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held).toHaveLength(1);
    account.set("s1", "a", "associated");
    now += 10;
    held[0].onSent?.();
    held[0].release();
    expect((await Promise.all([first, second])).map(statusOf)).toEqual(["associated", "associated"]);
    // Asked once that list was on its way: a list of its own.
    now += 300;
    const third = watch.listedSince("s1", now);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held).toHaveLength(2);
    held[1].onSent?.();
    const fourth = watch.listedSince("s1", now); // asked after that list left: it waits for a new one
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held).toHaveLength(3);
    held[1].release();
    held[2].onSent?.();
    held[2].release();
    expect((await third)?.recipients.map((r) => r.association_status)).toEqual(["associated"]);
    expect((await fourth)?.recipients).toHaveLength(1);
  });

  it("lists at once, without waiting for the share's recipient waits, while looks spend on latency", async () => {
    const account = fakeAccount();
    let latency = true;
    const watch = new RecipientWatch(account.sources, { windowMs: 1, recheckMs: 2_000, listPatienceMs: 5_000, spendOnLatency: () => latency });
    account.set("s1", "a", "associating");
    await watch.list("s1");
    // A recipient this process awaits: saving, a look would wait up to 5 s for its wait's list.
    watch.remember("s1", { id: "a", account_id: "acct-a", association_status: "associating", created: "", modified: "" });
    account.calls.recipients.length = 0;
    const started = Date.now();
    await watch.listedSince("s1", Date.now() + 1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(account.calls.recipients).toEqual(["s1"]);

    // The budget binds: the next look waits for the list the recipient's wait makes.
    latency = false;
    account.calls.recipients.length = 0;
    const parked = watch.listedSince("s1", Date.now() + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(account.calls.recipients).toEqual([]);
    await watch.list("s1");
    expect((await parked)?.recipients).toHaveLength(1);
    expect(account.calls.recipients).toEqual(["s1"]);
  });

  it("lets a waiting look go when its signal aborts", async () => {
    const account = fakeAccount();
    const watch = new RecipientWatch(account.sources, { windowMs: 1, recheckMs: 2_000, listPatienceMs: 5_000 });
    account.set("s1", "a", "associating");
    await watch.list("s1");
    watch.remember("s1", { id: "a", account_id: "acct-a", association_status: "associating", created: "", modified: "" });
    const controller = new AbortController();
    const look = watch.listedSince("s1", Date.now() + 1, controller.signal);
    setTimeout(() => controller.abort(new Error("deadline")), 30);
    const started = Date.now();
    await expect(look).rejects.toThrow("deadline");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
