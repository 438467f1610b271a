/**
 * The Ledger's one way to keep several writes in flight: tasks run at most `width` at a time,
 * and each starts only once the earlier tasks it names have finished (a child after its
 * parent, a second write of a key after the first). A task waits only for EARLIER tasks and
 * takes its slot only when those are done, so the schedule cannot deadlock, and with width 1
 * it is the sequential order exactly.
 *
 * An error thrown by a task (a journal that cannot be written, not a refused record: the
 * callers journal those) stops the schedule: nothing new starts, the tasks in flight finish,
 * then the first error is thrown, so no write is left running behind a failed call.
 */
export async function inFlight<T>(
	items: readonly T[],
	options: {
		width: number;
		/** Indices of earlier items this one waits for. */
		after?: (item: T, index: number) => Iterable<number>;
		run: (item: T, index: number) => Promise<void>;
	},
): Promise<void> {
	const slots = new Slots(Math.max(1, Math.floor(options.width)));
	let fatal: { error: unknown } | null = null;
	const finished: Array<Promise<void>> = [];
	items.forEach((item, index) => {
		const before = [...(options.after?.(item, index) ?? [])].map((earlier) => {
			if (!(earlier >= 0 && earlier < index))
				throw new Error(`inFlight: item ${index} may wait only for earlier items (${earlier})`);
			return finished[earlier];
		});
		finished.push(
			(async () => {
				await Promise.all(before);
				await slots.acquire();
				try {
					if (!fatal) await options.run(item, index);
				} catch (error) {
					fatal ??= { error };
				} finally {
					slots.release();
				}
			})(),
		);
	});
	await Promise.all(finished);
	if (fatal) throw (fatal as { error: unknown }).error;
}

/**
 * How many writes a client may keep in flight: the rate limiter's burst limit (the plan's, or
 * the server's `x-ratelimit-limit` once seen). The limiter still spaces every request inside
 * the 2-second window; this only lets enough wait at its door to fill it. A client without a
 * limiter (a test's fake) writes one at a time.
 */
export function inFlightWidth(client: { inFlightLimit?: () => number }, override?: number): number {
	return Math.max(1, override ?? client.inFlightLimit?.() ?? 1);
}

/** A counting semaphore, first come first served. */
class Slots {
	private free: number;
	private readonly waiting: Array<() => void> = [];

	constructor(width: number) {
		this.free = width;
	}

	async acquire(): Promise<void> {
		if (this.free > 0) {
			this.free -= 1;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.free += 1;
	}
}
