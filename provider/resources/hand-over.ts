// The moment a create's journal entries are done with. A create or update (a Share's reconcile adds
// inline items) that returns, or fails with the object kept in state, hands every id in what it
// returns to the engine: its entries are marked handed over. That is not yet proof that the id reached
// state: the engine may be killed before its checkpoint (the provider process, in a process group of
// its own, may even finish the create after the engine died). The engine stops its plugins with
// SIGINT (SIGTERM elsewhere) once the operation has ended in order, after its last checkpoint: then the
// entries handed over in this process are removed. A killed engine sends nothing, and they stay for
// that resource's next run. The entries this call wrote are tracked through AsyncLocalStorage, so
// nothing else in the journal is read.

import { AsyncLocalStorage } from "node:async_hooks";
import { ResourceInitError } from "./common";
import { markHandedOver, removeEntryFile } from "./journal";

const written = new AsyncLocalStorage<Set<string>>();
/** Entries handed to a living engine by this process, removed when it ends the operation in order. */
const handedOver = new Set<string>();

/**
 * Records that the call in progress wrote the journal entry at `file`.
 *
 * @example
 * noteJournalled(writeEntry(owner, { kind, key, startedAt: Date.now() }));
 */
export function noteJournalled(file: string): void {
  written.getStore()?.add(file);
}

/**
 * Removes every entry this process handed to the engine: the operation ended in order, so they are in
 * the engine's state. Called by the shutdown signal, and by tests that play one operation's end.
 *
 * @example
 * process.once("SIGINT", () => endOfOperation());
 */
export function endOfOperation(): void {
  for (const file of handedOver) removeEntryFile(file);
  handedOver.clear();
}

let listening = false;

/** Once: the engine's orderly stop ends the operation, then the signal does what it would have done. */
function listenForOrderlyStop(): void {
  if (listening) return;
  listening = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const onStop = () => {
      endOfOperation();
      process.removeListener(signal, onStop);
      // Nothing else listens in a provider host: the default action (exit) follows.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onStop);
  }
}

interface CreatesObjects {
  create(inputs: never): Promise<unknown>;
  update?(id: string, olds: never, news: never): Promise<unknown>;
}

function handOver(files: Set<string>, handedToEngine: string): void {
  const handed = markHandedOver(files, handedToEngine);
  if (handed.length === 0) return;
  for (const file of handed) handedOver.add(file);
  listenForOrderlyStop();
}

/**
 * `provider` whose create and update mark their journal entries handed over once the ids they made go
 * to the engine: in what they return, or in the partial state of a {@link ResourceInitError}.
 *
 * @example
 * export = handingOver(provider);
 */
export function handingOver<P extends CreatesObjects>(provider: P): P {
  const tracked =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
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
