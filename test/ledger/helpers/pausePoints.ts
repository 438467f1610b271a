import type { JournalStore } from '../../../lib/ledger/store/journalStore';
import type { PipedriveClient } from '../../../lib/pipedrive/client';

/** Where a crash-test child stops: after the Nth intent, Nth applied write or Nth journaled outcome. */
export type PausePoint = 'intent' | 'write' | 'record';

/**
 * Wraps the store and client of a child process so that, at the configured point, it prints
 * PAUSED and holds there (the intent or the write not yet journaled) until the parent's SIGKILL.
 * Writes are creates, updates and deletes (a rollback deletes and restores).
 */
export function pauseAt(
	store: JournalStore,
	client: PipedriveClient,
	pause: { at: PausePoint; n: number },
): void {
	const seen: Record<PausePoint, number> = { intent: 0, write: 0, record: 0 };
	const reached = async (point: PausePoint) => {
		seen[point] += 1;
		if (point !== pause.at || seen[point] !== pause.n) return;
		process.stdout.write('PAUSED\n');
		await new Promise(() => setInterval(() => undefined, 1_000));
	};
	const after =
		<A extends unknown[], R>(fn: (...args: A) => Promise<R>, point: PausePoint) =>
		async (...args: A): Promise<R> => {
			const result = await fn(...args);
			await reached(point);
			return result;
		};
	store.claimIntent = after(store.claimIntent.bind(store), 'intent');
	store.record = after(store.record.bind(store), 'record');
	client.create = after(client.create.bind(client), 'write');
	client.update = after(client.update.bind(client), 'write');
	client.delete = after(client.delete.bind(client), 'write');
}
