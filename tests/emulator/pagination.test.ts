// Pagination (§3.2, §3.6, §3.11, §8): page/per_page defaults, limits, result_info, unpaginated lists.

import type { RecipientObject, ShareObject, ShareResourceObject } from "../../provider/client/types";
import { ERROR_CODES } from "../../emulator";
import { OWNER, type TestEmulator, expectFailure, ruleset, sharesPath, startTestEmulator } from "./helpers";

describe("pagination", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
    for (let i = 0; i < 250; i++) {
      emu.control.seedShare({ accountId: OWNER, name: `share-${String(i).padStart(3, "0")}`, resources: [ruleset("r")] });
      emu.clock.advance(1);
    }
  });
  afterAll(() => emu.stop());

  const page = (query: string) => emu.call<ShareObject[]>("GET", `${sharesPath()}${query}`);

  test("250 shares are all reachable page by page, each exactly once", async () => {
    const seen: string[] = [];
    for (let p = 1; ; p++) {
      const reply = await page(`?page=${p}&per_page=100`);
      if (reply.body.result!.length === 0) break;
      expect(reply.body.result_info).toEqual({ page: p, per_page: 100, count: reply.body.result!.length, total_count: 250, total_pages: 3 });
      seen.push(...reply.body.result!.map((s) => s.id));
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
  });

  test("only per_page → page 1", async () => {
    const reply = await page("?per_page=7");
    expect(reply.body.result_info).toEqual({ page: 1, per_page: 7, count: 7, total_count: 250, total_pages: 36 });
    expect(reply.body.result![0].name).toBe("share-000");
  });

  test("only page → 20 per page", async () => {
    const reply = await page("?page=2");
    expect(reply.body.result_info).toEqual({ page: 2, per_page: 20, count: 20, total_count: 250, total_pages: 13 });
    expect(reply.body.result![0].name).toBe("share-020");
  });

  test("neither → the whole list in one response, with result_info (unpaginatedWhenNoPageParams)", async () => {
    const reply = await page("");
    expect(reply.body.result).toHaveLength(250);
    expect(reply.body.result_info).toEqual({ page: 1, per_page: 250, count: 250, total_count: 250, total_pages: 1 });
  });

  test("neither, with unpaginatedWhenNoPageParams off → page 1 of 20", async () => {
    emu.control.configure({ behaviour: { unpaginatedWhenNoPageParams: false } });
    try {
      const reply = await page("");
      expect(reply.body.result_info).toEqual({ page: 1, per_page: 20, count: 20, total_count: 250, total_pages: 13 });
    } finally {
      emu.control.configure({ behaviour: { unpaginatedWhenNoPageParams: true } });
    }
  });

  test("a page past the end is empty", async () => {
    const reply = await page("?page=4&per_page=100");
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual([]);
    expect(reply.body.result_info).toMatchObject({ page: 4, count: 0, total_count: 250 });
  });

  test("per_page > 100 → 400", async () => {
    expectFailure(await page("?per_page=101"), 400, ERROR_CODES.invalidQuery, /per_page/);
    expect((await page("?per_page=100")).status).toBe(200);
  });

  test("page or per_page < 1, or not an integer → 400", async () => {
    expectFailure(await page("?page=0"), 400, ERROR_CODES.invalidQuery, /page/);
    expectFailure(await page("?per_page=0"), 400, ERROR_CODES.invalidQuery, /per_page/);
    expectFailure(await page("?page=-1"), 400, ERROR_CODES.invalidQuery);
    expectFailure(await page("?page=abc"), 400, ERROR_CODES.invalidQuery);
  });

  test("recipient and resource lists paginate the same way", async () => {
    const { share } = emu.control.seedShare({
      accountId: OWNER,
      name: "big",
      recipients: Array.from({ length: 25 }, (_, i) => ({ recipient_account_id: `acc${i}` })),
      resources: Array.from({ length: 25 }, (_, i) => ruleset(`res${i}`)),
    });
    const recipients = await emu.call<RecipientObject[]>("GET", `${sharesPath()}/${share.id}/recipients?page=2`);
    expect(recipients.body.result_info).toEqual({ page: 2, per_page: 20, count: 5, total_count: 25, total_pages: 2 });
    expect(recipients.body.result!.map((r) => r.account_id)).toEqual(["acc20", "acc21", "acc22", "acc23", "acc24"]);
    const resources = await emu.call<ShareResourceObject[]>("GET", `${sharesPath()}/${share.id}/resources?per_page=10&page=3`);
    expect(resources.body.result_info).toEqual({ page: 3, per_page: 10, count: 5, total_count: 25, total_pages: 3 });
    const all = await emu.call<ShareResourceObject[]>("GET", `${sharesPath()}/${share.id}/resources`);
    expect(all.body.result).toHaveLength(25);
    expectFailure(await emu.call("GET", `${sharesPath()}/${share.id}/recipients?per_page=500`), 400, ERROR_CODES.invalidQuery);
  });
});
