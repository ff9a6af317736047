// The moment a create's journal entries are done with: when the provider hands the object's id to the
// engine. A create or update (a Share's reconcile adds inline items) that returns, or fails with the
// object kept in state, hands over every id in what it returns; from then on the engine's checkpoint
// holds it (or, after a kill in that instant, the engine's record of the create in flight, which
// `pulumi-cloudflare-sharing recover` reads). The entries this call wrote are tracked through
// AsyncLocalStorage, so nothing else in the journal is read.

import { AsyncLocalStorage } from "node:async_hooks";
import { ResourceInitError } from "./common";
import { handOver } from "./journal";

const written = new AsyncLocalStorage<Set<string>>();

/**
 * Records that the call in progress wrote the journal entry at `file`.
 *
 * @example
 * noteJournalled(writeEntry(owner, { kind, key, startedAt: Date.now() }));
 */
export function noteJournalled(file: string): void {
  written.getStore()?.add(file);
}

interface CreatesObjects {
  create(inputs: never): Promise<unknown>;
  update?(id: string, olds: never, news: never): Promise<unknown>;
}

/**
 * `provider` whose create and update remove their journal entries once the ids they made are handed
 * to the engine: in what they return, or in the partial state of a {@link ResourceInitError}.
 *
 * @example
 * export = handingOver(provider);
 */
export function handingOver<P extends CreatesObjects>(provider: P): P {
  const tracked = <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      written.run(new Set(), async () => {
        const files = written.getStore()!;
        try {
          const result = await work(...args);
          handOver(files, JSON.stringify(result));
          return result;
        } catch (error) {
          if (error instanceof ResourceInitError) handOver(files, JSON.stringify({ id: error.id, properties: error.properties }));
          throw error;
        }
      });
  const update = provider.update;
  return {
    ...provider,
    create: tracked(provider.create.bind(provider) as (...args: unknown[]) => Promise<unknown>),
    ...(update ? { update: tracked(update.bind(provider) as (...args: unknown[]) => Promise<unknown>) } : {}),
  } as P;
}
