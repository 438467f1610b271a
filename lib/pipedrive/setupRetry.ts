import type { Clock } from '../transport/clock';
import { isTransientFailure } from './errors';

/**
 * How setup (provisioning, the registry, user matching) rides out transient server errors. The
 * rate limiter already repeats 429s, and 5xx answers and dropped connections of safe requests;
 * this adds the outer layer the Commit has: a read that still failed is read again after a pause,
 * and a create whose answer was lost is looked up by name before it is sent again, because the
 * server may have applied it (sandbox faults `500-after`, `drop-after`).
 */
export interface SetupRetryOptions {
	/** Tries per read or create, the first included (default 5). */
	attempts?: number;
	/** First pause; doubled per try up to `maxDelayMs` (defaults 250 ms and 4 s). */
	baseDelayMs?: number;
	maxDelayMs?: number;
}

export class SetupRetry {
	private readonly attempts: number;
	private readonly baseDelayMs: number;
	private readonly maxDelayMs: number;

	constructor(
		private readonly clock: Clock,
		options: SetupRetryOptions = {},
	) {
		this.attempts = Math.max(1, options.attempts ?? 5);
		this.baseDelayMs = options.baseDelayMs ?? 250;
		this.maxDelayMs = options.maxDelayMs ?? 4_000;
	}

	/** Reads again after a pause while the failure is transient; the last failure is thrown. */
	async read<T>(read: () => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await read();
			} catch (error) {
				if (!isTransientFailure(error) || attempt >= this.attempts) throw error;
				await this.pause(attempt);
			}
		}
	}

	/**
	 * Creates once: after a transient failure, `lookUp` (a read, retried itself) finds what an
	 * attempt may have created before its answer was lost; only when it finds nothing is the create
	 * sent again. A failure after the last look-up showed nothing landed is thrown.
	 */
	async create<T>(create: () => Promise<T>, lookUp: () => Promise<T | undefined>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await create();
			} catch (error) {
				if (!isTransientFailure(error)) throw error;
				await this.pause(attempt);
				const landed = await this.read(lookUp);
				if (landed !== undefined) return landed;
				if (attempt >= this.attempts) throw error;
			}
		}
	}

	private async pause(attempt: number): Promise<void> {
		await this.clock.sleep(Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
	}
}
