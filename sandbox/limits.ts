import type { Plan } from './routing';

/**
 * Pipedrive's token-based limits (api-facts §5): a daily token budget per company
 * (30,000 × plan multiplier × seats, reset at the server's midnight, UTC here) and a burst limit
 * per token in a rolling 2-second window (search has its own 10-per-2-seconds bucket).
 */
export const PLAN_MULTIPLIER: Record<Plan, number> = {
	lite: 1,
	growth: 2,
	premium: 5,
	ultimate: 7,
};
export const BURST_API_TOKEN: Record<Plan, number> = {
	lite: 20,
	growth: 40,
	premium: 100,
	ultimate: 120,
};
export const BURST_OAUTH: Record<Plan, number> = {
	lite: 80,
	growth: 160,
	premium: 400,
	ultimate: 480,
};
export const SEARCH_BURST = 10;
export const WINDOW_MS = 2_000;
const DAY_MS = 86_400_000;

export function dailyBudgetFor(plan: Plan, seats: number): number {
	return 30_000 * PLAN_MULTIPLIER[plan] * seats;
}

export interface BurstState {
	limit: number;
	remaining: number;
	/** Whole seconds until the window has room again (the header's meaning: seconds, not epoch). */
	resetSeconds: number;
}

export class RateLimits {
	private readonly windows = new Map<string, number[]>();
	private day = -1;
	tokensUsedToday = 0;

	constructor(readonly dailyBudget: number) {}

	/** Moves to a new day when the clock has passed midnight UTC. */
	private roll(now: number): void {
		const day = Math.floor(now / DAY_MS);
		if (day !== this.day) {
			this.day = day;
			this.tokensUsedToday = 0;
		}
	}

	dailyRemaining(now: number): number {
		this.roll(now);
		return Math.max(0, this.dailyBudget - this.tokensUsedToday);
	}

	dailyExhausted(now: number): boolean {
		return this.dailyRemaining(now) <= 0;
	}

	charge(now: number, tokens: number): void {
		this.roll(now);
		this.tokensUsedToday += tokens;
	}

	/** Seconds until the daily budget resets. */
	secondsToMidnight(now: number): number {
		return Math.ceil((DAY_MS - (now % DAY_MS)) / 1000);
	}

	private window(key: string, now: number): number[] {
		const kept = (this.windows.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
		this.windows.set(key, kept);
		return kept;
	}

	burst(key: string, limit: number, now: number): BurstState {
		const w = this.window(key, now);
		const resetMs = w.length === 0 ? WINDOW_MS : WINDOW_MS - (now - w[0]);
		return {
			limit,
			remaining: Math.max(0, limit - w.length),
			resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
		};
	}

	/** Records an accepted request in the token's window (refused requests do not count). */
	take(key: string, now: number): void {
		this.window(key, now).push(now);
	}

	reset(): void {
		this.windows.clear();
		this.tokensUsedToday = 0;
	}
}
