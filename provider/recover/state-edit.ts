// Putting what pending creates made into a stack's state. The engine's own
// `pulumi refresh --import-pending-creates <urn> <id>` does not (CLI 3.259: it marks the operation
// `importing`, and no step ever turns that into a resource, so the refresh drops it like a clear).
// So `recover` edits the export: each pending create found made becomes a resource with its id (its
// outputs, until a refresh reads them, are its inputs); each shown never made is dropped; everything
// else is left as it was. `pulumi stack import` then stores it and `pulumi refresh` reads the objects.

/**
 * The deployment of `exported` (the text of `pulumi stack export`) with the pending creates in
 * `imports` turned into resources holding those ids and those of `drop` removed.
 *
 * @example
 * const edited = withPendingCreatesResolved(exportText, [{ urn, id: "4f1c…" }], []);
 * fs.writeFileSync(file, edited); // then: pulumi stack import --file <file>
 */
export function withPendingCreatesResolved(exported: string, imports: readonly { urn: string; id: string }[], drop: readonly string[]): string {
  const parsed = JSON.parse(exported) as { deployment: { resources?: Record<string, unknown>[]; pending_operations?: { type: string; resource: Record<string, unknown> }[] } };
  const { deployment } = parsed;
  const idOf = new Map(imports.map(({ urn, id }) => [urn, id]));
  const dropped = new Set(drop);
  const resources = [...(deployment.resources ?? [])];
  const pending = [];
  for (const operation of deployment.pending_operations ?? []) {
    const urn = operation.resource.urn as string;
    const id = operation.type === "creating" ? idOf.get(urn) : undefined;
    // Appended: it depends on resources already in state, and nothing in state depends on it.
    if (id !== undefined) resources.push({ ...operation.resource, id, outputs: hasKeys(operation.resource.outputs) ? operation.resource.outputs : operation.resource.inputs });
    else if (!(operation.type === "creating" && dropped.has(urn))) pending.push(operation);
  }
  deployment.resources = resources;
  deployment.pending_operations = pending;
  return JSON.stringify(parsed, null, 2);
}

function hasKeys(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.keys(value).length > 0;
}
