// What an engine operation did or would do, per resource, from its events: the plan a preview shows
// and the steps an `up` took, in one comparable form.
import type { EngineEvent } from "@pulumi/pulumi/automation";

/**
 * Each resource's steps by resource name, e.g. `{ share: "update", partner: "create-replacement,delete-replaced,replace" }`.
 *
 * @example
 * ```ts
 * const events: EngineEvent[] = [];
 * await stack.preview({ onEvent: (event) => events.push(event) });
 * expect(stepsOf(events)).toEqual(stepsOfUp);
 * ```
 */
export function stepsOf(events: EngineEvent[]): Record<string, string> {
  const steps = new Map<string, string[]>();
  for (const event of events) {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata === undefined) continue;
    const name = metadata.urn.split("::").pop()!;
    steps.set(name, [...(steps.get(name) ?? []), metadata.op]);
  }
  return Object.fromEntries([...steps].map(([name, ops]) => [name, [...ops].sort().join(",")]));
}

/**
 * A change summary without its zero counts (preview and `up` leave out different ones).
 *
 * @example
 * ```ts
 * expect(changeCounts(preview.changeSummary)).toEqual(changeCounts(up.summary.resourceChanges));
 * ```
 */
export function changeCounts(summary: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(summary ?? {}).filter(([, count]) => count > 0));
}
