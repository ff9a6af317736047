// Property-based tests of `check` and `diff` of the three providers (issue "Nothing lost under faults").
// `check` and `diff` run during `pulumi preview`, on whatever a program declares: they must never
// throw, must name the field and the rule of every failure, must accept every valid input, and must
// never send a request. Reproduce a failure with FUZZ_SEED=<seed printed by fast-check>.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import shareProvider = require("../../provider/resources/share-provider");
import recipientProvider = require("../../provider/resources/share-recipient-provider");
import resourceProvider = require("../../provider/resources/share-resource-provider");
import { containsUnknown } from "../../provider/resources/inputs";
import type { ShareOutputs } from "../../provider/resources/share-model";
import type { ShareRecipientOutputs } from "../../provider/resources/share-recipient-model";
import type { ShareResourceOutputs } from "../../provider/resources/share-resource-model";
import {
  badDuration, badMeta, badName, badOptionalId, badRequiredId, badType, anyIdText, duration, hexId, HEX_ID, junk, metaObject, nonString,
  pathInShape, reasonMentions, RECIPIENT_SHAPE, RECIPIENT_TIMEOUT_KEYS, RESOURCE_SHAPE, RESOURCE_TIMEOUT_KEYS, RUNS, SEED, SHARE_SHAPE,
  SHARE_TIMEOUT_KEYS, Shape, shareName, UNKNOWN, validMeta, validRecipientInputs, validResourceInputs, validShareInputs, recipientTarget,
  inlineResource, resourceType, idOrUnknown,
} from "./arbitraries";

jest.setTimeout(120_000);

type Failure = { property: string; reason: string };
type CheckFn = (olds: any, news: any) => Promise<{ inputs?: any; failures?: Failure[] }>;
const checkOf = (provider: { check?: unknown }) => provider.check as CheckFn;

const PROVIDERS: { name: string; check: CheckFn; shape: Shape }[] = [
  { name: "Share", check: checkOf(shareProvider), shape: SHARE_SHAPE },
  { name: "ShareRecipient", check: checkOf(recipientProvider), shape: RECIPIENT_SHAPE },
  { name: "ShareResource", check: checkOf(resourceProvider), shape: RESOURCE_SHAPE },
];

const params = (extra: Partial<fc.Parameters<unknown>> = {}) => ({ seed: SEED, numRuns: RUNS, ...extra });
const clone = <T>(value: T): T => structuredClone(value);

// ---- no request, ever: a counting server where the API would be ---------------------------------

let server: http.Server;
let requestsSeen: string[] = [];
let logSpy: jest.SpyInstance;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requestsSeen.push(`${req.method} ${req.url}`);
    res.writeHead(500, { "content-type": "application/json" }).end('{"success":false,"errors":[{"code":1,"message":"fuzz: no request expected"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.CLOUDFLARE_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  process.env.CLOUDFLARE_API_TOKEN = "fuzz-token-0123456789abcdef0123456789abcdef";
  // Unknown resource types print a warning; thousands of them would drown the output.
  logSpy = jest.spyOn(console, "log").mockImplementation(() => undefined);
});

afterEach(() => {
  expect(requestsSeen).toEqual([]);
});

afterAll(async () => {
  logSpy?.mockRestore();
  delete process.env.CLOUDFLARE_BASE_URL;
  delete process.env.CLOUDFLARE_API_TOKEN;
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  expect(requestsSeen).toEqual([]);
});

/** Calls check; asserts it did not throw and that the result has one of the two documented forms. */
async function checked(check: CheckFn, news: unknown): Promise<{ inputs?: any; failures?: Failure[] }> {
  let result: { inputs?: any; failures?: Failure[] };
  try {
    result = await check({}, news);
  } catch (error) {
    throw new Error(`check threw on ${safeJson(news)}: ${(error as Error)?.stack ?? error}`);
  }
  if (result.failures !== undefined) {
    if (!Array.isArray(result.failures) || result.failures.length === 0) throw new Error(`failures present but empty: ${safeJson(result)}`);
    if (result.inputs !== undefined) throw new Error(`both failures and inputs: ${safeJson(result)}`);
  } else if (result.inputs === undefined) {
    throw new Error(`neither failures nor inputs: ${safeJson(result)}`);
  }
  return result;
}

/** Each failure names a field path of the input's shape and says, mentioning that field, what is wrong. */
function assertWellFormed(failures: Failure[], news: unknown, shape: Shape): void {
  for (const failure of failures) {
    const where = `failure ${safeJson(failure)} for input ${safeJson(news)}`;
    if (typeof failure.property !== "string" || failure.property === "") throw new Error(`no property in ${where}`);
    if (!pathInShape(news, shape, failure.property)) throw new Error(`property is not a field path of the input in ${where}`);
    if (typeof failure.reason !== "string" || failure.reason.trim() === "") throw new Error(`empty reason in ${where}`);
    if (!reasonMentions(failure.reason, failure.property)) throw new Error(`reason does not mention the field in ${where}`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v === undefined ? "<undefined>" : v));
  } catch {
    return String(value);
  }
}

// ---- 1. never throws, failures well-formed, on anything at all -----------------------------------

const junkRecipient = fc.oneof(
  recipientTarget,
  fc.record({ recipientAccountId: junk(hexId), organizationId: junk(hexId) }, { requiredKeys: [] }),
  fc.anything({ maxDepth: 2 }),
);
const junkResource = fc.oneof(
  inlineResource,
  fc.record(
    { resourceType: junk(resourceType), resourceId: junk(hexId), resourceAccountId: junk(hexId), meta: fc.oneof(validMeta, badMeta, fc.anything({ maxDepth: 3 })) },
    { requiredKeys: [] },
  ),
  fc.anything({ maxDepth: 2 }),
);
const junkTimeouts = fc.oneof(
  fc.record({ create: junk(duration), update: junk(duration), delete: junk(duration) }, { requiredKeys: [] }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(duration, badDuration, fc.anything({ maxDepth: 1 })), { maxKeys: 4 }),
  fc.anything({ maxDepth: 2 }),
);

const JUNK_INPUTS: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  Share: fc.record(
    {
      accountId: junk(hexId),
      name: junk(shareName),
      recipients: fc.oneof(fc.array(junkRecipient, { maxLength: 6 }), fc.anything({ maxDepth: 2 }), fc.constant(UNKNOWN)),
      resources: fc.oneof(fc.array(junkResource, { maxLength: 6 }), fc.anything({ maxDepth: 2 }), fc.constant(UNKNOWN)),
      timeouts: junkTimeouts,
      adopt: junk(hexId),
      unexpected: fc.anything({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  ),
  ShareRecipient: fc.record(
    { accountId: junk(hexId), shareId: junk(hexId), recipientAccountId: junk(hexId), organizationId: junk(hexId), timeouts: junkTimeouts, adopt: junk(hexId), unexpected: fc.anything({ maxDepth: 2 }) },
    { requiredKeys: [] },
  ),
  ShareResource: fc.record(
    {
      accountId: junk(hexId),
      shareId: junk(hexId),
      resourceType: junk(resourceType),
      resourceId: junk(hexId),
      resourceAccountId: junk(hexId),
      meta: fc.oneof(validMeta, badMeta, fc.anything({ maxDepth: 3 })),
      timeouts: junkTimeouts,
      adopt: junk(hexId),
    },
    { requiredKeys: [] },
  ),
};

describe.each(PROVIDERS)("$name check on arbitrary input", ({ name, check, shape }) => {
  it("never throws, and every failure names a field of the input and says what is wrong with it", async () => {
    await fc.assert(
      fc.asyncProperty(JUNK_INPUTS[name], async (news) => {
        const result = await checked(check, news);
        if (result.failures) assertWellFormed(result.failures, news, shape);
      }),
      params(),
    );
  });
});

// ---- 2. valid inputs pass -------------------------------------------------------------------------

const VALID: Record<string, fc.Arbitrary<any>> = { Share: validShareInputs, ShareRecipient: validRecipientInputs, ShareResource: validResourceInputs };

/** A meta as check must store it: compact JSON, keys sorted at every level, same content. */
function expectStoredMeta(stored: unknown, declared: unknown): void {
  if (containsUnknown(declared)) {
    expect(stored).toEqual(declared); // left alone until known
    return;
  }
  expect(typeof stored).toBe("string");
  const parsed = JSON.parse(stored as string);
  const original = declared === undefined ? {} : typeof declared === "string" ? JSON.parse(declared) : declared;
  expect(parsed).toEqual(JSON.parse(JSON.stringify(original)));
  expect(stored).toBe(JSON.stringify(sortedDeep(parsed)));
}
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedDeep((value as Record<string, unknown>)[k])]));
  }
  return value;
}

describe.each(PROVIDERS)("$name check on valid input", ({ name, check }) => {
  it("accepts it, keeps every field, and stores meta in canonical form", async () => {
    await fc.assert(
      fc.asyncProperty(VALID[name], async (news) => {
        const before = clone(news);
        const result = await checked(check, news);
        if (result.failures) throw new Error(`valid input rejected: ${safeJson(result.failures)} for ${safeJson(news)}`);
        expect(news).toEqual(before); // check does not mutate what it was given
        const { meta: _m, resources: _r, ...rest } = result.inputs;
        const { meta: _m2, resources: _r2, ...declared } = news;
        expect(rest).toEqual(declared);
        if (name === "ShareResource") expectStoredMeta(result.inputs.meta, news.meta);
        if (name === "Share") {
          if (containsUnknown(news.resources)) {
            result.inputs.resources.forEach((r: any, i: number) => {
              if (containsUnknown(news.resources[i])) expect(r).toEqual(news.resources[i]);
              else expectStoredMeta(r.meta, news.resources[i].meta);
            });
          } else {
            news.resources.forEach((r: any, i: number) => expectStoredMeta(result.inputs.resources[i].meta, r.meta));
          }
        }
      }),
      params(),
    );
  });
});

// ---- 3. one thing wrong: a failure at exactly that field --------------------------------------------

interface Corrupted {
  news: Record<string, any>;
  /** Failure properties any one of which reports this corruption. */
  expected: string[];
  what: string;
}

const anyIndex = (length: number) => fc.nat({ max: Math.max(0, length - 1) });
const notAString = nonString;

/** Field-level corruptions shared by the three inputs. */
function commonCorruptions(valid: Record<string, any>, idFields: string[], timeoutKeys: readonly string[]): fc.Arbitrary<Corrupted>[] {
  const set = (path: string, value: unknown, what: string): Corrupted => ({ news: { ...clone(valid), [path]: value }, expected: [path], what });
  const drop = (path: string): Corrupted => {
    const news = clone(valid);
    delete news[path];
    return { news, expected: [path], what: `missing ${path}` };
  };
  return [
    ...idFields.map((field) => fc.oneof(badRequiredId.map((v) => set(field, v, `bad ${field}`)), fc.constant(drop(field)))),
    badOptionalId.map((v) => set("adopt", v, "bad adopt")),
    fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.array(fc.string(), { maxLength: 2 }), fc.boolean()).map((v) => set("timeouts", v, "timeouts not an object")),
    fc
      .tuple(fc.constantFrom(...timeoutKeys), badDuration)
      .map(([key, value]) => ({ news: { ...clone(valid), timeouts: { ...(typeof valid.timeouts === "object" ? valid.timeouts : {}), [key]: value } }, expected: [`timeouts.${key}`], what: "bad duration" })),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !timeoutKeys.includes(k) && k !== "__proto__"), duration)
      .map(([key, value]) => ({ news: { ...clone(valid), timeouts: { [key]: value } }, expected: [`timeouts.${key}`], what: "unknown timeouts key" })),
  ];
}

function shareCorruptions(valid: Record<string, any>): fc.Arbitrary<Corrupted> {
  const withItem = (list: "recipients" | "resources", index: number, item: unknown, expected: string[], what: string): Corrupted => {
    const news = clone(valid);
    news[list][index] = item;
    return { news, expected, what };
  };
  const r = valid.recipients.length;
  const s = valid.resources.length;
  const rPrefix = (i: number) => `recipients[${i}]`;
  const xPrefix = (i: number) => `resources[${i}]`;
  const both = (i: number) => [`${rPrefix(i)}.recipientAccountId`, `${rPrefix(i)}.organizationId`];
  const knownRecipients = valid.recipients.map((x: unknown, i: number) => (containsUnknown(x) ? -1 : i)).filter((i: number) => i >= 0);
  const knownResources = valid.resources
    .map((x: any, i: number) => (containsUnknown(x) ? -1 : i))
    .filter((i: number) => i >= 0);
  const options: fc.Arbitrary<Corrupted>[] = [
    ...commonCorruptions(valid, ["accountId"], SHARE_TIMEOUT_KEYS),
    badName.map((v) => ({ news: { ...clone(valid), name: v }, expected: ["name"], what: "bad name" })),
    fc.constant((() => { const news = clone(valid); delete news.name; return { news, expected: ["name"], what: "missing name" }; })()),
    ...(["recipients", "resources"] as const).map((list) =>
      fc.oneof(fc.constant([]), fc.constant(undefined), fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), metaObject)
        .map((v) => ({ news: { ...clone(valid), [list]: v }, expected: [list], what: `${list} not a non-empty list` })),
    ),
    // both targets, neither, or a bad id in the one given
    fc.tuple(anyIndex(r), hexId, hexId).map(([i, a, o]) => withItem("recipients", i, { recipientAccountId: a, organizationId: o }, both(i), "both targets")),
    anyIndex(r).map((i) => withItem("recipients", i, {}, both(i), "no target")),
    fc.tuple(anyIndex(r), fc.oneof(anyIdText, fc.anything({ maxDepth: 1 })).filter((v) => v !== UNKNOWN)).map(([i, v]) => withItem("recipients", i, v, [rPrefix(i), ...both(i)], "recipient not an object")),
    fc.tuple(anyIndex(r), fc.constantFrom("recipientAccountId", "organizationId"), badRequiredId.filter((v) => v !== null))
      .map(([i, field, v]) => withItem("recipients", i, { [field]: v }, [`${rPrefix(i)}.${field}`, ...(v === "" ? both(i) : [])], `bad recipient ${field}`)),
    // per-resource fields
    fc.tuple(anyIndex(s), badType).map(([i, v]) => withItem("resources", i, { ...valid.resources[i], resourceType: v }, [`${xPrefix(i)}.resourceType`], "bad resourceType")),
    ...(["resourceId", "resourceAccountId"] as const).map((field) =>
      fc.tuple(anyIndex(s), badRequiredId).map(([i, v]) => withItem("resources", i, { ...valid.resources[i], [field]: v }, [`${xPrefix(i)}.${field}`], `bad ${field}`)),
    ),
    fc.tuple(anyIndex(s), badMeta).map(([i, v]) => withItem("resources", i, { ...valid.resources[i], meta: v }, [`${xPrefix(i)}.meta`], "bad meta")),
    fc.tuple(anyIndex(s), fc.oneof(anyIdText, fc.integer(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })).filter((v) => v !== UNKNOWN))
      .map(([i, v]) => withItem("resources", i, v, [xPrefix(i), `${xPrefix(i)}.resourceType`, `${xPrefix(i)}.resourceId`, `${xPrefix(i)}.resourceAccountId`], "resource not an object")),
  ];
  if (knownRecipients.length > 0) {
    options.push(
      fc.constantFrom(...knownRecipients).map((i: number) => {
        const news = clone(valid);
        news.recipients.push(clone(valid.recipients[i]));
        return { news, expected: [rPrefix(r)], what: "duplicate recipient" };
      }),
    );
  }
  if (knownResources.length > 0) {
    options.push(
      // (both fully known: an item with anything not known yet is skipped by the duplicate rule until `up`)
      fc.tuple(fc.constantFrom(...knownResources), known(validMeta)).map(([i, meta]: [number, unknown]) => {
        const news = clone(valid);
        news.resources.push({ ...clone(valid.resources[i]), meta });
        return { news, expected: [xPrefix(s)], what: "duplicate resource (different meta)" };
      }),
    );
  }
  return fc.oneof(...options);
}

function recipientCorruptions(valid: Record<string, any>): fc.Arbitrary<Corrupted> {
  const targets = ["recipientAccountId", "organizationId"];
  const base = () => {
    const news = clone(valid);
    delete news.recipientAccountId;
    delete news.organizationId;
    return news;
  };
  return fc.oneof(
    ...commonCorruptions(valid, ["accountId", "shareId"], RECIPIENT_TIMEOUT_KEYS),
    fc.tuple(hexId, hexId).map(([a, o]) => ({ news: { ...base(), recipientAccountId: a, organizationId: o }, expected: targets, what: "both targets" })),
    fc.constant({ news: base(), expected: targets, what: "no target" }),
    fc.tuple(fc.constantFrom(...targets), badRequiredId.filter((v) => v !== null))
      .map(([field, v]) => ({ news: { ...base(), [field]: v }, expected: v === "" ? [field, ...targets] : [field], what: `bad ${field}` })),
  );
}

function resourceCorruptions(valid: Record<string, any>): fc.Arbitrary<Corrupted> {
  return fc.oneof<fc.Arbitrary<Corrupted>[]>(
    ...commonCorruptions(valid, ["accountId", "shareId", "resourceId", "resourceAccountId"], RESOURCE_TIMEOUT_KEYS),
    badType.map((v) => ({ news: { ...clone(valid), resourceType: v }, expected: ["resourceType"], what: "bad resourceType" })),
    fc.constant((() => { const news = clone(valid); delete news.resourceType; return { news, expected: ["resourceType"], what: "missing resourceType" }; })()),
    badMeta.map((v) => ({ news: { ...clone(valid), meta: v }, expected: ["meta"], what: "bad meta" })),
  );
}

const CORRUPTED: Record<string, fc.Arbitrary<Corrupted>> = {
  Share: validShareInputs.chain(shareCorruptions),
  ShareRecipient: validRecipientInputs.chain(recipientCorruptions),
  ShareResource: validResourceInputs.chain(resourceCorruptions),
};

describe.each(PROVIDERS)("$name check on input with one thing wrong", ({ name, check, shape }) => {
  it("rejects it with a failure at that field, and every failure is well-formed", async () => {
    await fc.assert(
      fc.asyncProperty(CORRUPTED[name], async ({ news, expected, what }) => {
        const result = await checked(check, news);
        if (!result.failures) throw new Error(`${what}: accepted ${safeJson(news)}`);
        assertWellFormed(result.failures, news, shape);
        if (!result.failures.some((f) => expected.includes(f.property))) {
          throw new Error(`${what}: expected a failure at ${expected.join(" or ")}, got ${safeJson(result.failures)} for ${safeJson(news)}`);
        }
      }),
      params(),
    );
  });
});

// ---- 4. the id rule, against an oracle ---------------------------------------------------------------

const ID_FIELDS: Record<string, string[]> = {
  Share: ["accountId", "adopt"],
  ShareRecipient: ["accountId", "shareId", "recipientAccountId", "organizationId", "adopt"],
  ShareResource: ["accountId", "shareId", "resourceId", "resourceAccountId", "adopt"],
};

describe.each(PROVIDERS)("$name check of ids of random length and charset", ({ name, check }) => {
  it("fails an id field exactly when it is not 1–32 hexadecimal characters (or not known yet)", async () => {
    const cases = fc.tuple(VALID[name], fc.constantFrom(...ID_FIELDS[name]), anyIdText).map(([valid, field, text]) => {
      const news = clone(valid);
      if (field === "organizationId" || field === "recipientAccountId") {
        delete news.recipientAccountId;
        delete news.organizationId;
      }
      news[field] = text;
      return { news, field, text };
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ news, field, text }) => {
        const result = await checked(check, news);
        const optionalAndEmpty = field === "adopt" && text === "";
        const ok = text === UNKNOWN || HEX_ID.test(text) || optionalAndEmpty;
        const atField = (result.failures ?? []).filter((f) => f.property === field);
        if (ok && atField.length > 0) throw new Error(`${field}=${JSON.stringify(text)} rejected: ${safeJson(atField)}`);
        if (!ok && atField.length === 0) throw new Error(`${field}=${JSON.stringify(text)} accepted: ${safeJson(result)}`);
        if (ok && result.failures) throw new Error(`valid input rejected: ${safeJson(result.failures)}`);
      }),
      params(),
    );
  });
});

// ---- 5. a null target is "not given", as check itself treats it -------------------------------------

describe("recipient targets given as null", () => {
  // checkRecipientTarget treats null like a missing target; so must everything after it.
  it("Share: a null counterpart is the same as leaving it out (duplicates and distinct items alike)", async () => {
    const withNulls = validShareInputs.chain((valid) =>
      fc.array(fc.boolean(), { minLength: valid.recipients.length, maxLength: valid.recipients.length }).map((flags) => {
        const news = clone(valid);
        news.recipients = news.recipients.map((r: any, i: number) =>
          !flags[i] ? r : r.recipientAccountId !== undefined ? { ...r, organizationId: null } : { recipientAccountId: null, ...r },
        );
        return { valid, news };
      }),
    );
    await fc.assert(
      fc.asyncProperty(withNulls, async ({ valid, news }) => {
        const plain = await checked(checkOf(shareProvider), valid);
        const nulls = await checked(checkOf(shareProvider), news);
        expect(safeJson(nulls.failures)).toBe(safeJson(plain.failures));
      }),
      params(),
    );
  });

  it("Share: the same organization twice is a duplicate even when one spells the account as null", async () => {
    const cases = fc.tuple(validShareInputs, hexId).map(([valid, organizationId]) => {
      const news: any = clone(valid);
      news.recipients = [{ organizationId }, ...news.recipients.filter((r: any) => r.organizationId !== organizationId), { recipientAccountId: null, organizationId }];
      return news;
    });
    await fc.assert(
      fc.asyncProperty(cases, async (news) => {
        const failures = (await checked(checkOf(shareProvider), news)).failures ?? [];
        expect(failures).toEqual(expect.arrayContaining([expect.objectContaining({ property: `recipients[${news.recipients.length - 1}]` })]));
      }),
      params(),
    );
  });

  it("ShareRecipient: a null counterpart passes check, and the target given is what counts", async () => {
    // The API body is built from `recipientAccountId !== undefined`; a null account must not win.
    const { recipientInput } = await import("../../provider/resources/share-recipient-model");
    await fc.assert(
      fc.asyncProperty(hexId, async (organizationId) => {
        const news = { accountId: "023e105f4ecef8ad9ca31a8372d0c353", shareId: "3fd85f74b32742f1bff64a85009dda07", recipientAccountId: null, organizationId };
        const inputs = await checkedInputs(checkOf(recipientProvider), news);
        expect(recipientInput(inputs)).toEqual({ organization_id: organizationId });
      }),
      params(),
    );
  });
});

// ---- 6. diff -------------------------------------------------------------------------------------

function known<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return arb.filter((value) => !containsUnknown(value));
}

async function checkedInputs(check: CheckFn, news: unknown): Promise<any> {
  const result = await checked(check, news);
  if (result.failures) throw new Error(`fixture invalid: ${safeJson(result.failures)}`);
  return result.inputs;
}

/** The state a successful create of `inputs` leaves (what the engine then passes as `olds`). */
function shareStateOf(inputs: any): ShareOutputs {
  const recipients = inputs.recipients.map((r: any, i: number) => ({ ...r, id: `r${i}`, associationStatus: "associated" }));
  const resources = inputs.resources.map((r: any, i: number) => ({ ...r, id: `x${i}`, status: "active", resourceVersion: 1 }));
  return {
    accountId: inputs.accountId,
    name: inputs.name,
    recipients,
    resources,
    recipientIds: recipients.map((r: any) => r.id),
    resourceIds: resources.map((r: any) => r.id),
    ...(inputs.timeouts ? { timeouts: inputs.timeouts } : {}),
    ...(inputs.adopt ? { adopt: inputs.adopt } : {}),
    status: "active",
    accountName: "Account",
    organizationId: "4f1c2d3e5a6b7c8d9e0fa1b2c3d4e5f6",
    targetType: "account",
    kind: "sent",
    created: "2026-01-01T00:00:00.000000Z",
    modified: "2026-01-01T00:00:00.000000Z",
  };
}
const recipientStateOf = (inputs: any): ShareRecipientOutputs => ({
  ...inputs,
  associationStatus: "associated",
  recipientAccount: inputs.recipientAccountId ?? inputs.organizationId,
  resources: [],
  created: "c",
  modified: "m",
});
const resourceStateOf = (inputs: any): ShareResourceOutputs => ({ ...inputs, status: "active", resourceVersion: 1, created: "c", modified: "m" });

/** The set of inline items a Share declares, as text: recipients by target, resources with account and meta. */
function declaredItems(declared: any, list: string): string {
  const items: string[] = (declared[list] as any[]).map((item) =>
    list === "recipients"
      ? item.recipientAccountId !== undefined ? `account ${item.recipientAccountId}` : `organization ${item.organizationId}`
      : [item.resourceType, item.resourceId, item.resourceAccountId, JSON.stringify(sortedDeep(typeof item.meta === "string" ? JSON.parse(item.meta) : item.meta ?? {}))].join(" | "),
  );
  return items.sort().join("\n");
}

/** The same declaration written differently: items reordered, meta keys reordered or given as text. */
function rewritten(news: any, order: number[], asText: boolean[]): any {
  const copy = clone(news);
  const rewriteMeta = (meta: unknown, text: boolean) => {
    const object = meta === undefined ? undefined : typeof meta === "string" ? JSON.parse(meta) : meta;
    if (object === undefined) return text ? "{}" : undefined;
    const reversed = Object.fromEntries(Object.entries(object as object).reverse());
    return text ? JSON.stringify(reversed, null, 1) : reversed;
  };
  if (Array.isArray(copy.recipients)) copy.recipients = order.filter((i) => i < copy.recipients.length).map((i) => copy.recipients[i]);
  if (Array.isArray(copy.resources)) {
    copy.resources = order.filter((i) => i < copy.resources.length).map((i) => ({ ...copy.resources[i], meta: rewriteMeta(copy.resources[i].meta, asText[i]) }));
  }
  if ("meta" in copy) copy.meta = rewriteMeta(copy.meta, asText[0]);
  return copy;
}

const ORDER = fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 });
const TEXT = fc.array(fc.boolean(), { minLength: 6, maxLength: 6 });

describe("diff", () => {
  const diffOf = (provider: { diff?: unknown }) => provider.diff as (id: string, olds: any, news: any) => Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;

  it.each([
    ["Share", shareProvider, validShareInputs, shareStateOf],
    ["ShareRecipient", recipientProvider, validRecipientInputs, recipientStateOf],
    ["ShareResource", resourceProvider, validResourceInputs, resourceStateOf],
  ] as const)("%s: the inputs a state was made from, however written, diff to no change", async (_name, provider, arb, stateOf) => {
    await fc.assert(
      fc.asyncProperty(known(arb as fc.Arbitrary<any>), ORDER, TEXT, async (declared, order, asText) => {
        const olds = (stateOf as (x: any) => any)(await checkedInputs(checkOf(provider), declared));
        const news = await checkedInputs(checkOf(provider), rewritten(declared, order, asText));
        // Recipients and resources delete first in any replacement that keeps their natural key.
        expect(await diffOf(provider)("id", olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: provider !== shareProvider });
      }),
      params(),
    );
  });

  /** A value for `field` that differs from `old`: another id, or not known yet. */
  const otherId = (old: unknown) => fc.oneof(hexId.filter((v) => v !== old), fc.constant(UNKNOWN));

  it("Share: a new account always replaces; every other change updates in place", async () => {
    const change = fc.tuple(known(validShareInputs), fc.constantFrom("accountId", "name", "recipients", "resources"));
    await fc.assert(
      fc.asyncProperty(
        change.chain(([declared, field]) =>
          (field === "accountId" ? otherId(declared.accountId)
            : field === "name" ? shareName.filter((n) => n !== declared.name)
            : field === "recipients" ? known(validShareInputs).map((v) => v.recipients).filter((r) => JSON.stringify(r) !== JSON.stringify(declared.recipients))
            : known(validShareInputs).map((v) => v.resources).filter((r) => JSON.stringify(r) !== JSON.stringify(declared.resources))
          ).map((value: unknown) => ({ declared, field, value })),
        ),
        async ({ declared, field, value }) => {
          const olds = shareStateOf(await checkedInputs(checkOf(shareProvider), declared));
          const news = value === UNKNOWN
            ? { ...(await checkedInputs(checkOf(shareProvider), declared)), accountId: UNKNOWN }
            : await checkedInputs(checkOf(shareProvider), { ...declared, [field]: value });
          const result = await diffOf(shareProvider)("id", olds, news);
          if (field === "accountId") {
            expect(result).toMatchObject({ changes: true, replaces: ["accountId"] });
          } else {
            expect(result.replaces).toEqual([]);
            // Different lists may declare the same set of items (reordered): an independent oracle.
            const changed = field === "name" || declaredItems(declared, field) !== declaredItems({ ...declared, [field]: value }, field);
            expect(result.changes).toBe(changed);
          }
        },
      ),
      params(),
    );
  });

  it.each([
    ["ShareRecipient", recipientProvider, validRecipientInputs, recipientStateOf, ["accountId", "shareId", "recipientAccountId", "organizationId"]],
    ["ShareResource", resourceProvider, validResourceInputs, resourceStateOf, ["accountId", "shareId", "resourceType", "resourceId", "resourceAccountId"]],
  ] as const)("%s: changing an immutable field always lists it in replaces", async (name, provider, arb, stateOf, immutable) => {
    const cases = fc
      .tuple(known(arb as fc.Arbitrary<any>), fc.constantFrom(...immutable))
      .chain(([declared, field]) =>
        (field === "resourceType" ? fc.oneof(resourceType.filter((t) => t !== declared.resourceType)) : otherId(declared[field])).map((value) => ({ declared, field, value })),
      );
    await fc.assert(
      fc.asyncProperty(cases, async ({ declared, field, value }) => {
        const olds = (stateOf as (x: any) => any)(await checkedInputs(checkOf(provider), declared));
        const changed = { ...declared, [field]: value };
        // A recipient switched to the other kind of target drops the one it had.
        if (name === "ShareRecipient" && (field === "recipientAccountId" || field === "organizationId")) {
          delete changed[field === "recipientAccountId" ? "organizationId" : "recipientAccountId"];
        }
        const news = await checkedInputs(checkOf(provider), changed);
        const result = await diffOf(provider)("id", olds, news);
        expect(result.changes).toBe(true);
        expect(result.replaces).toContain(field);
        for (const key of result.replaces ?? []) expect(immutable).toContain(key);
      }),
      params(),
    );
  });

  it("ShareResource: a meta change updates in place, never replaces", async () => {
    const cases = fc.tuple(known(validResourceInputs), metaObject).filter(([d, meta]) => JSON.stringify(sortedDeep(meta)) !== JSON.stringify(sortedDeep(typeof d.meta === "string" ? JSON.parse(d.meta) : d.meta ?? {})));
    await fc.assert(
      fc.asyncProperty(cases, async ([declared, meta]) => {
        const olds = resourceStateOf(await checkedInputs(checkOf(resourceProvider), declared));
        const news = await checkedInputs(checkOf(resourceProvider), { ...declared, meta });
        expect(await diffOf(resourceProvider)("id", olds, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
      }),
      params(),
    );
  });
});

void idOrUnknown;
void notAString;
