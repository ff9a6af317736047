// When a share resource's new version has reached the recipients (reference §4.2), per recipient.
import type { RecipientObject } from "../../provider/client/types";
import { propagationOf } from "../../provider/wait/waits";

const recipient = (id: string, status: string, resources?: RecipientObject["resources"]): RecipientObject =>
  ({ id, account_id: `account-${id}`, association_status: status, created: "c", modified: "m", resources }) as RecipientObject;
const entry = (version: number, error = "", terminal = false) => ({ resource_id: "sr1", resource_version: version, error, terminal });

describe("propagationOf", () => {
  it("is done once every associated recipient reports the version or a later one", () => {
    expect(propagationOf([recipient("a", "associated", [entry(2)]), recipient("b", "associated", [entry(3)])], "sr1", 2)).toEqual({ done: true, terminal: undefined });
    expect(propagationOf([recipient("a", "associated", [entry(2)]), recipient("b", "associated", [entry(1)])], "sr1", 2).done).toBe(false);
  });

  it("waits for a recipient that does not list the object yet, but not for one that does not report objects at all", () => {
    expect(propagationOf([recipient("a", "associated", [])], "sr1", 1).done).toBe(false);
    expect(propagationOf([recipient("a", "associated", undefined)], "sr1", 1).done).toBe(true);
  });

  it("ignores recipients on their way out, but not associating ones (a recipient may go back to associating while the object reaches it)", () => {
    expect(propagationOf([recipient("b", "disassociating", []), recipient("c", "disassociated", [])], "sr1", 1).done).toBe(true);
    expect(propagationOf([recipient("a", "associating", [])], "sr1", 1).done).toBe(false);
    expect(propagationOf([recipient("a", "associating", [entry(1)])], "sr1", 1).done).toBe(true);
  });

  it("reports a terminal error for the object from an associating recipient too", () => {
    const result = propagationOf([recipient("a", "associating", [entry(1, "Recipient is missing necessary entitlement", true)])], "sr1", 1);
    expect(result.terminal).toBe("Recipient is missing necessary entitlement (recipient a, account account-a)");
  });

  it("reports a terminal error for the object with Cloudflare's reason and the recipient, not a retried one", () => {
    const result = propagationOf([recipient("a", "associated", [entry(1, "Recipient is missing necessary entitlement", true)]), recipient("b", "associated", [entry(1, "busy")])], "sr1", 1);
    expect(result.terminal).toBe("Recipient is missing necessary entitlement (recipient a, account account-a)");
  });
});
