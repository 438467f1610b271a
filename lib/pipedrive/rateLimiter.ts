import { type Clock, systemClock } from '../transport/clock';
import {
	type HttpRequest,
	type HttpResponse,
	noServerAtBaseUrl,
	TransportError,
} from '../transport/transport';
import { BudgetExhaustedError, describeEndpoint } from './errors';
import {
	type AuthType,
	BURST_WINDOW_MS,
	type PipedrivePlan,
	SEARCH_BURST_LIMIT,
	burstLimit,
	dailyTokenBudget,
} from './plans';
import type { SharedBudget } from './sharedBudget';
import { isSearchEndpoint, tokenCost } from './tokenCosts';

/**
 * One limiter per Pipedrive credential (token): the rolling 2-second burst window (plus the
 * search endpoints' own window), the company's daily token budget, 429 handling and the retry
 * policy. Rate-limit headers are used when present and never required (api-facts §5.5).
 */
export interface RateLimiterOptions {
	plan: PipedrivePlan;
	seats: number;
	auth?: AuthType;
	clock?: Clock;
	/** Random in [0, 1) for backoff jitter; injectable so tests are repeatable. */
	random?: () => number;
	/** Overrides the plan's burst limit (a server's `x-ratelimit-limit` overrides both). */
	burstLimit?: number;
	searchBurstLimit?: number;
	/** Overrides 30,000 × multiplier × seats (e.g. when top-ups were bought). */
	dailyBudget?: number;
	/** The state of an earlier run that stopped on the budget, to carry today's spend over. */
	resume?: RateLimiterState;
	/** When the daily budget resets after `now` (epoch ms). Default: the next UTC midnight. */
	nextDailyReset?: (now: number) => number;
	/** 429 answers retried per request before the 429 is surfaced. */
	maxRateLimitRetries?: number;
	/** 5xx answers and dropped connections retried per safe request. */
	maxFailureRetries?: number;
	/** A 429 asking to wait longer than this (default 60 s) means the daily budget: stop instead. */
	longestBurstWaitMs?: number;
	backoffBaseMs?: number;
	backoffMaxMs?: number;
	/**
	 * The window, the 429 pauses and the day's tokens shared with every other process on this
	 * credential (n8n queue mode). Without it the limiter counts this process's requests only.
	 */
	sharedBudget?: SharedBudget;
}

export interface RateLimiterStats {
	/** Requests sent, retries included. */
	requests: number;
	retries: number;
	/**
	 * Tokens by the endpoint cost table for every request sent except those answered 429 (a dropped
	 * connection counts: Pipedrive may have served it).
	 */
	tokensSpent: number;
	/** 429 answers seen (each was waited out and retried unless the budget was spent). */
	rateLimited: number;
	serverErrorsRetried: number;
	connectionErrorsRetried: number;
	/** Times the limiter paused a request, and for how long in total. */
	waits: number;
	waitedMs: number;
}

/** What a stopped run hands to the next one. Plain JSON. */
export interface RateLimiterState {
	/** ISO time the daily budget resets. */
	resetAt: string;
	dailyBudget: number;
	tokensSpentToday: number;
	/** Tokens left today as far as the limiter knows (server header when seen, else the local count). */
	tokensLeftToday: number;
}

type Send = (req: HttpRequest) => Promise<HttpResponse>;

/**
 * Sent-request marks. While the request is in flight (`open`) the server may count it at any
 * moment, so the mark holds its place however long the answer takes (a slow answer, a long
 * network); once answered its time moves to when the answer arrived, the latest the server could
 * have counted it, and it leaves the window 2 s after that.
 */
interface WindowMark {
	at: number;
	open: boolean;
}

/** A request's places in the windows: local marks, or the shared budget's mark ids. */
interface Slot {
	local: WindowMark[];
	shared: string[];
}

const SAFE_TO_REPEAT = new Set(['GET', 'DELETE', 'PUT', 'PATCH']);

export function nextUtcMidnight(now: number): number {
	const d = new Date(now);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export class RateLimiter {
	private readonly clock: Clock;
	private readonly random: () => number;
	private readonly nextDailyReset: (now: number) => number;
	private readonly maxRateLimitRetries: number;
	private readonly maxFailureRetries: number;
	private readonly longestBurstWaitMs: number;
	private readonly backoffBaseMs: number;
	private readonly backoffMaxMs: number;
	private readonly shared?: SharedBudget;

	private limit: number;
	private searchLimit: number;
	private readonly window: WindowMark[] = [];
	private readonly searchWindow: WindowMark[] = [];
	/** Set after a 429 or a server-reported empty window: nobody sends before this time. */
	private blockedUntil = 0;

	private dailyBudget: number;
	private resetAt: number;
	private tokensSpentToday = 0;
	/** Last daily remaining reported by the server, and tokens spent since that report. */
	private serverRemaining?: { remaining: number; spentSince: number };
	/** Set when the server said the budget is gone (429 with a zero daily header). */
	private exhausted = false;
	/**
	 * Tokens of the requests in flight: they are spent the moment the server counts them, before
	 * their answers tell us, so the budget check holds them back (else a window of writes in
	 * flight overruns the day's last tokens and each comes back 429, in doubt).
	 */
	private reserved = 0;
	/**
	 * The first request goes alone: its answer tells the real window (`x-ratelimit-limit`), so a
	 * tighter limit than the plan's is learnt before a burst of callers can overrun it.
	 */
	private probe?: Promise<void>;
	private probed = false;

	private readonly figures: RateLimiterStats = {
		requests: 0,
		retries: 0,
		tokensSpent: 0,
		rateLimited: 0,
		serverErrorsRetried: 0,
		connectionErrorsRetried: 0,
		waits: 0,
		waitedMs: 0,
	};

	constructor(options: RateLimiterOptions) {
		this.clock = options.clock ?? systemClock;
		this.random = options.random ?? Math.random;
		this.nextDailyReset = options.nextDailyReset ?? nextUtcMidnight;
		this.maxRateLimitRetries = options.maxRateLimitRetries ?? 10;
		this.maxFailureRetries = options.maxFailureRetries ?? 4;
		this.longestBurstWaitMs = options.longestBurstWaitMs ?? 60_000;
		this.backoffBaseMs = options.backoffBaseMs ?? 500;
		this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
		this.shared = options.sharedBudget;
		this.limit = options.burstLimit ?? burstLimit(options.plan, options.auth ?? 'apiToken');
		this.searchLimit = options.searchBurstLimit ?? SEARCH_BURST_LIMIT;
		this.dailyBudget = options.dailyBudget ?? dailyTokenBudget(options.plan, options.seats);
		this.resetAt = this.nextDailyReset(this.clock.now());
		const resume = options.resume;
		if (resume && Date.parse(resume.resetAt) > this.clock.now()) {
			this.resetAt = Date.parse(resume.resetAt);
			this.tokensSpentToday = resume.tokensSpentToday;
		}
	}

	stats(): RateLimiterStats {
		return { ...this.figures };
	}

	state(): RateLimiterState {
		this.rollDay();
		return {
			resetAt: new Date(this.resetAt).toISOString(),
			dailyBudget: this.dailyBudget,
			tokensSpentToday: this.tokensSpentToday,
			tokensLeftToday: this.exhausted ? 0 : this.tokensLeft(),
		};
	}

	/** Current burst limits (after adapting to the server's headers). */
	limits(): { burst: number; search: number } {
		return { burst: this.limit, search: this.searchLimit };
	}

	/**
	 * Sends `req` through `send` within the limits. Resolves with the final answer (a 429 only
	 * after `maxRateLimitRetries`); rejects with BudgetExhaustedError when the daily budget is
	 * spent, or with the TransportError of a request that is not safe to repeat.
	 */
	async execute(req: HttpRequest, send: Send): Promise<HttpResponse> {
		const cost = tokenCost(req.method, req.path);
		const search = isSearchEndpoint(req.path);
		let rateLimitedAttempts = 0;
		let failureAttempts = 0;
		for (let attempt = 0; ; attempt++) {
			if (attempt > 0) this.figures.retries++;
			// Every attempt before this one was sent.
			this.checkBudget(req, cost, attempt > 0);
			while (!this.probed && this.probe) await this.probe;
			let endProbe: (() => void) | undefined;
			if (!this.probed) {
				this.probe = new Promise<void>((resolve) => (endProbe = resolve));
			}
			const marks = await this.acquireSlot(search, req, cost, attempt > 0);
			this.figures.requests++;
			let res: HttpResponse;
			try {
				res = await send(req);
			} catch (error) {
				this.reserved -= cost;
				if (endProbe) {
					// No answer, nothing learnt: the next caller probes.
					this.probe = undefined;
					endProbe();
				}
				if (this.release(marks)) await this.shareRelease(marks);
				// No server at the base URL: backing off would only delay the message.
				if (
					!(error instanceof TransportError) ||
					noServerAtBaseUrl(error) ||
					!this.mayRepeat(req, failureAttempts)
				)
					throw error;
				failureAttempts++;
				this.figures.connectionErrorsRetried++;
				if (this.spend(cost)) await this.shareSpend(cost);
				await this.pause(this.backoff(failureAttempts));
				continue;
			}
			this.reserved -= cost;
			if (this.release(marks)) await this.shareRelease(marks);
			if (endProbe) {
				this.probed = true;
				endProbe();
			}
			if (res.status === 429) {
				this.figures.rateLimited++;
				this.observe(res.headers, search);
				if (this.dailyHeadersSayEmpty(res.headers)) {
					this.exhausted = true;
					throw this.budgetError(req, 'Pipedrive reports the daily API token budget spent');
				}
				if (rateLimitedAttempts >= this.maxRateLimitRetries) return res;
				rateLimitedAttempts++;
				const delay = this.rateLimitDelay(res.headers, rateLimitedAttempts);
				if (delay > this.longestBurstWaitMs) {
					// A wait far beyond any 2-second window is the daily budget's reset: stop, do not sleep on it.
					this.resetAt = this.clock.now() + delay;
					this.exhausted = true;
					throw this.budgetError(req, 'Pipedrive answers 429 until its daily limit resets');
				}
				// Everyone waits, not only this request: the window is per token.
				this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + delay);
				if (this.shared) await this.shared.blockUntil(this.blockedUntil);
				continue;
			}
			if (this.spend(cost)) await this.shareSpend(cost);
			this.observe(res.headers, search);
			if (res.status >= 500 && this.mayRepeat(req, failureAttempts)) {
				failureAttempts++;
				this.figures.serverErrorsRetried++;
				await this.pause(this.backoff(failureAttempts));
				continue;
			}
			return res;
		}
	}

	/** POST is never repeated here: the commit's idempotency (journal + source key) owns that. */
	private mayRepeat(req: HttpRequest, failureAttempts: number): boolean {
		return SAFE_TO_REPEAT.has(req.method) && failureAttempts < this.maxFailureRetries;
	}

	private async acquireSlot(
		search: boolean,
		req: HttpRequest,
		cost: number,
		sentBefore: boolean,
	): Promise<Slot> {
		if (this.shared) return this.acquireSharedSlot(this.shared, search, req, cost, sentBefore);
		for (;;) {
			const now = this.clock.now();
			if (this.blockedUntil > now) {
				await this.pause(this.blockedUntil - now);
				continue;
			}
			const wait = Math.max(
				waitForRoom(this.window, this.limit, now),
				search ? waitForRoom(this.searchWindow, this.searchLimit, now) : 0,
			);
			if (wait > 0) {
				await this.pause(wait);
				continue;
			}
			// Checked and reserved with the mark, in one synchronous step: the requests let through
			// while this one waited hold their tokens by now.
			this.checkBudget(req, cost, sentBefore);
			this.reserved += cost;
			// Search requests count against both windows: safe whichever way the server counts them.
			const mark = { at: now, open: true };
			this.window.push(mark);
			if (!search) return { local: [mark], shared: [] };
			const searchMark = { at: now, open: true };
			this.searchWindow.push(searchMark);
			return { local: [mark, searchMark], shared: [] };
		}
	}

	/**
	 * The same, in the store every process sees; the day's tokens come back with the place, so
	 * the budget is checked against what all processes spent, not only this one.
	 */
	private async acquireSharedSlot(
		shared: SharedBudget,
		search: boolean,
		req: HttpRequest,
		cost: number,
		sentBefore: boolean,
	): Promise<Slot> {
		const windows = [{ name: 'burst', limit: this.limit }];
		if (search) windows.push({ name: 'search', limit: this.searchLimit });
		for (;;) {
			const now = this.clock.now();
			const wait = Math.max(0, this.blockedUntil - now);
			if (wait > 0) {
				await this.pause(wait);
				continue;
			}
			const answer = await shared.acquire({ now, windows, resetAt: this.resetAt });
			if ('waitMs' in answer) {
				await this.pause(answer.waitMs);
				continue;
			}
			this.tokensSpentToday = Math.max(this.tokensSpentToday, answer.spentToday);
			try {
				this.checkBudget(req, cost, sentBefore);
			} catch (error) {
				await shared.cancel(answer.marks);
				throw error;
			}
			this.reserved += cost;
			return { local: [], shared: answer.marks };
		}
	}

	/**
	 * Local bookkeeping stays synchronous (no await between an answer and what it teaches the
	 * limiter); true when the shared budget must hear of it too (`shareRelease`, `shareSpend`).
	 */
	private release(slot: Slot): boolean {
		const now = this.clock.now();
		for (const mark of slot.local) {
			mark.at = now;
			mark.open = false;
		}
		return this.shared !== undefined;
	}

	private async shareRelease(slot: Slot): Promise<void> {
		await this.shared?.release(slot.shared, this.clock.now());
	}

	/** Refuses `req` before it is sent; `sentBefore`: an earlier attempt of it went out. */
	private checkBudget(req: HttpRequest, cost: number, sentBefore: boolean): void {
		this.rollDay();
		if (this.exhausted)
			throw this.budgetError(req, 'the daily API token budget is spent', sentBefore);
		if (this.tokensLeft() - this.reserved < cost) {
			throw this.budgetError(
				req,
				`the daily API token budget is spent (${this.tokensLeft() - this.reserved} tokens left, the next request needs ${cost})`,
				sentBefore,
			);
		}
	}

	private tokensLeft(): number {
		if (this.serverRemaining)
			return this.serverRemaining.remaining - this.serverRemaining.spentSince;
		return this.dailyBudget - this.tokensSpentToday;
	}

	private budgetError(req: HttpRequest, detail: string, sent = true): BudgetExhaustedError {
		const state = { limiter: this.state(), stoppedBefore: describeEndpoint(req) };
		return new BudgetExhaustedError(state.limiter.resetAt, state, detail, sent);
	}

	private rollDay(): void {
		const now = this.clock.now();
		if (now < this.resetAt) return;
		this.resetAt = this.nextDailyReset(now);
		this.tokensSpentToday = 0;
		this.serverRemaining = undefined;
		this.exhausted = false;
	}

	private spend(cost: number): boolean {
		this.figures.tokensSpent += cost;
		this.tokensSpentToday += cost;
		if (this.serverRemaining) this.serverRemaining.spentSince += cost;
		return this.shared !== undefined;
	}

	/** The company's total for the day comes back: other processes' spend counts here too. */
	private async shareSpend(cost: number): Promise<void> {
		if (!this.shared) return;
		const companyTotal = await this.shared.spend(cost, this.resetAt);
		this.tokensSpentToday = Math.max(this.tokensSpentToday, companyTotal);
	}

	/** Adapts to whatever rate-limit headers the answer carries; each one is optional. */
	private observe(headers: Record<string, string>, search: boolean): void {
		const limit = headerNumber(headers, 'x-ratelimit-limit');
		if (limit !== undefined && limit > 0) {
			if (search) this.searchLimit = limit;
			else this.limit = limit;
		}
		const remaining = headerNumber(headers, 'x-ratelimit-remaining');
		const window = search ? this.searchWindow : this.window;
		const now = this.clock.now();
		const counted = window.filter((m) => m.open || m.at > now - BURST_WINDOW_MS).length;
		// A shared budget counts every process on this token, so an empty window is its own doing.
		if (!this.shared && remaining === 0 && counted < (search ? this.searchLimit : this.limit)) {
			// The server counts requests we did not send (another worker on the same token).
			const reset = headerNumber(headers, 'x-ratelimit-reset');
			this.blockedUntil = Math.max(
				this.blockedUntil,
				now + (reset !== undefined ? reset * 1000 : BURST_WINDOW_MS),
			);
		}
		const dailyLimit = headerNumber(headers, 'x-daily-ratelimit-token-limit');
		if (dailyLimit !== undefined) this.dailyBudget = dailyLimit;
		const dailyRemaining = headerNumber(headers, 'x-daily-ratelimit-token-remaining');
		if (dailyRemaining !== undefined)
			this.serverRemaining = { remaining: dailyRemaining, spentSince: 0 };
	}

	private dailyHeadersSayEmpty(headers: Record<string, string>): boolean {
		return (
			headerNumber(headers, 'x-daily-ratelimit-token-remaining') === 0 ||
			headerNumber(headers, 'x-daily-requests-left') === 0
		);
	}

	/** Retry-After, else x-ratelimit-reset (seconds), else exponential backoff with jitter. */
	private rateLimitDelay(headers: Record<string, string>, attempt: number): number {
		const retryAfter = headers['retry-after'];
		if (retryAfter !== undefined) {
			const seconds = Number(retryAfter);
			if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
			const date = Date.parse(retryAfter);
			if (!Number.isNaN(date)) return Math.max(0, date - this.clock.now());
		}
		const reset = headerNumber(headers, 'x-ratelimit-reset');
		if (reset !== undefined && reset >= 0) return reset * 1000;
		return this.backoff(attempt);
	}

	/** Exponential backoff with "equal jitter": half the step fixed, half random. */
	private backoff(attempt: number): number {
		const step = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
		return Math.round(step / 2 + this.random() * (step / 2));
	}

	private async pause(ms: number): Promise<void> {
		this.figures.waits++;
		this.figures.waitedMs += ms;
		await this.clock.sleep(ms);
	}
}

/** How long until a window with `limit` requests per 2 s has room; 0 when it has room now. */
function waitForRoom(window: WindowMark[], limit: number, now: number): number {
	for (let i = window.length - 1; i >= 0; i--) {
		if (!window[i].open && window[i].at <= now - BURST_WINDOW_MS) window.splice(i, 1);
	}
	if (window.length < limit) return 0;
	// The marks that must expire before one more fits. An in-flight mark expires 2 s after its
	// answer at the earliest, so it counts as answered now; the caller looks again after the wait.
	const times = window.map((m) => (m.open ? now : m.at)).sort((a, b) => a - b);
	return Math.max(1, times[window.length - limit] + BURST_WINDOW_MS - now + 1);
}

function headerNumber(headers: Record<string, string>, name: string): number | undefined {
	const raw = headers[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const value = Number(raw);
	return Number.isFinite(value) ? value : undefined;
}

/** One limiter per credential for the life of the process (n8n worker): the window is per token. */
const limiters = new Map<string, RateLimiter>();

export function limiterForCredential(key: string, create: () => RateLimiter): RateLimiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = create();
		limiters.set(key, limiter);
	}
	return limiter;
}
