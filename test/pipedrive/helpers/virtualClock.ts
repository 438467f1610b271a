import type { Clock } from '../../../lib/transport/clock';

/**
 * Time that moves only when everybody waits: sleeps queue as timers, and once the callers have
 * had a moment to queue theirs and no tracked request is in flight, time jumps to the earliest
 * timer. Tests of waits and backoff
 * run in milliseconds and assert exact virtual times.
 */
export class VirtualClock implements Clock {
	private time: number;
	private timers: Array<{ at: number; resolve: () => void }> = [];
	private scheduled = false;
	private inFlight = 0;
	/** Every sleep asked for, in order. */
	readonly sleeps: number[] = [];

	constructor(start = Date.UTC(2026, 10, 21, 9, 0, 0)) {
		this.time = start;
	}

	now(): number {
		return this.time;
	}

	sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		return new Promise((resolve) => {
			this.timers.push({ at: this.time + Math.max(0, ms), resolve });
			this.schedule();
		});
	}

	/** Holds time still while `work` runs (an HTTP request the server stamps with this clock). */
	async track<T>(work: Promise<T>): Promise<T> {
		this.inFlight++;
		try {
			return await work;
		} finally {
			this.inFlight--;
		}
	}

	advance(ms: number): void {
		this.time += ms;
	}

	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setTimeout(() => {
			this.scheduled = false;
			if (this.timers.length === 0) return;
			if (this.inFlight > 0) {
				this.schedule();
				return;
			}
			const next = Math.min(...this.timers.map((t) => t.at));
			this.time = Math.max(this.time, next);
			const due = this.timers.filter((t) => t.at <= this.time);
			this.timers = this.timers.filter((t) => t.at > this.time);
			due.forEach((t) => t.resolve());
			if (this.timers.length > 0) this.schedule();
		}, 5);
	}
}
