import type { IncomingMessage, ServerResponse } from 'node:http';
import {
	type AccountState,
	type Rec,
	seedAccount,
	seedDefaults,
	type SeedUser,
	COLLECTIONS,
} from './account';
import { ApiError, gone, notFound, RATE_LIMITED_BODY, UNAUTHORIZED_BODY } from './apiError';
import { SandboxClock } from './clock';
import {
	FaultInjector,
	type FaultKind,
	type FaultSpec,
	parseFaultSpec,
	validateFaultSpec,
} from './faults';
import { Latency } from './latency';
import { BURST_API_TOKEN, BURST_OAUTH, RateLimits, SEARCH_BURST, type BurstState } from './limits';
import type { SandboxRandom } from './random';
import { readBody } from './requestBody';
import { allRoutes } from './routes';
import { type HandlerResult, type Plan, type Route, Router } from './routing';
import { takeSnapshot, type SnapshotOptions } from './snapshot';
import { tokenCost } from './tokenCosts';

export interface SandboxSettings {
	plan: Plan;
	seats: number;
	users: SeedUser[];
	fileSizeLimitBytes: number;
	burstLimit?: number;
	dailyBudget: number;
	/** Emit the rate-limit headers (the real API sometimes omits them). */
	headers: boolean;
	adminToken: string;
}

export interface SandboxCounters {
	/** Per operation (`POST /api/v2/persons`), plus `unauthenticated`, `unrouted`, `out-of-support`. */
	requests: Record<string, number>;
	tokens: Record<string, number>;
	tokensUsed: number;
	/** 429s sent, from limits and from injected faults. */
	status429: number;
	/** Answers by HTTP status; `dropped` counts connections destroyed by faults. */
	byStatus: Record<string, number>;
}

/** v1 entity families that left support on 2026-08-01; anything under them not routed is 410. */
const OUT_OF_SUPPORT_V1 =
	/^\/api\/v1\/(persons|organizations|deals|activities|products|pipelines|stages|itemSearch)(\/|$)/;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One simulated Pipedrive company behind Node's http server: auth, routing, limits, faults,
 * envelopes. Limits and fault rolls are decided in arrival order and handlers run synchronously
 * once the body is read, so sequential clients get reproducible ids and faults.
 */
export class Sandbox {
	state: AccountState;
	readonly clock: SandboxClock;
	readonly limits: RateLimits;
	private readonly router = new Router(allRoutes());
	private faults: FaultInjector | undefined;
	private counters: SandboxCounters = emptyCounters();
	/** The network in front of the API (none by default): when each held answer may leave. */
	latency: Latency | undefined;
	private readonly answerDue = new WeakMap<ServerResponse, number>();
	/** Called after every successful write (the CLI's state file listens). */
	onWrite: (() => void) | undefined;

	constructor(
		readonly settings: SandboxSettings,
		readonly random: SandboxRandom,
		clockOffsetMs: number,
		initialState?: AccountState,
	) {
		this.clock = new SandboxClock(clockOffsetMs);
		this.state = initialState ?? seedAccount({ users: settings.users }, random, this.clock);
		this.limits = new RateLimits(settings.dailyBudget);
	}

	get apiToken(): string {
		return this.tokenOf(1, 'api');
	}

	get oauthToken(): string {
		return this.tokenOf(1, 'oauth');
	}

	tokenOf(userId: number, kind: 'api' | 'oauth'): string {
		const entry = Object.entries(this.state.tokens).find(
			([, t]) => t.userId === userId && t.kind === kind,
		);
		if (!entry) throw new Error(`sandbox: no ${kind} token for user ${userId}`);
		return entry[0];
	}

	userToken(email: string): string {
		const user = this.state.users.find(
			(u) => String(u.email).toLowerCase() === email.toLowerCase(),
		);
		if (!user) throw new Error('sandbox: no seeded user with that email');
		return this.tokenOf(user.id as number, 'api');
	}

	/**
	 * Back to a fresh company: users, tokens and company id stay; records, custom fields,
	 * counters and the day's budget go, and ids start again at 1 as in a new account.
	 */
	reset(): void {
		for (const c of COLLECTIONS) this.state.records[c] = {};
		this.state.nextId = { user: this.state.nextId.user };
		this.state.fileContents = {};
		seedDefaults(this.state, this.random, this.clock.now());
		this.limits.reset();
		this.counters = emptyCounters();
	}

	snapshot(options?: SnapshotOptions) {
		return takeSnapshot(this.state, options);
	}

	getCounters(): SandboxCounters {
		return structuredClone(this.counters);
	}

	setFaults(spec: string | FaultSpec | null): void {
		if (spec === null) this.faults = undefined;
		else
			this.faults = new FaultInjector(
				typeof spec === 'string' ? parseFaultSpec(spec) : validateFaultSpec(spec),
			);
	}

	async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox');
		if (url.pathname.startsWith('/__sandbox/')) return this.handleAdmin(req, res, url);
		const path = url.pathname.startsWith('/v1/') ? `/api${url.pathname}` : url.pathname;
		if (this.latency) this.answerDue.set(res, Date.now() + this.latency.next());
		if (!path.startsWith('/api/v1/') && !path.startsWith('/api/v2/')) {
			req.resume();
			return this.send(res, 404, notFound('Path').body);
		}
		const auth = this.authenticate(req, url, path.startsWith('/api/v1/'));
		if (!auth) {
			req.resume();
			return this.finish(res, 'unauthenticated', 401, UNAUTHORIZED_BODY);
		}
		const match = this.router.match(req.method ?? 'GET', path);
		if (!match || !('route' in match)) {
			req.resume();
			if (OUT_OF_SUPPORT_V1.test(path))
				return this.finish(res, 'out-of-support', 410, gone(url.pathname).body);
			const status = match ? 405 : 404;
			return this.finish(res, 'unrouted', status, {
				success: false,
				error: status === 405 ? 'Method not allowed' : 'Unknown endpoint',
				error_info: 'Please check developers.pipedrive.com',
				data: null,
				additional_data: null,
			});
		}
		const { route, params } = match;
		const op = `${route.method} ${route.path}`;
		const now = this.clock.now();
		const { burstKey, burstLimit } = this.burstBucket(route, auth);
		const burst = this.limits.burst(burstKey, burstLimit, now);
		if (this.limits.dailyExhausted(now) || burst.remaining === 0) {
			req.resume();
			this.counters.status429 += 1;
			return this.finish(res, op, 429, RATE_LIMITED_BODY, this.limitHeaders(burst, auth.kind, now));
		}
		this.limits.take(burstKey, now);
		const afterTake = this.limits.burst(burstKey, burstLimit, now);

		const fault: FaultKind | undefined = this.faults?.next();
		if (fault === 'drop-before') {
			req.resume();
			this.count(op, 'dropped');
			this.deliver(res, () => res.socket?.destroy());
			return;
		}
		if (fault === '429' || fault === '500' || fault === '502' || fault === '503') {
			req.resume();
			if (fault === '429') this.counters.status429 += 1;
			const body = fault === '429' ? RATE_LIMITED_BODY : injectedError(Number(fault));
			return this.finish(
				res,
				op,
				Number(fault),
				body,
				this.limitHeaders(afterTake, auth.kind, now),
			);
		}

		const { result, status } = await this.execute(req, url, route, params, auth.user);
		const cost = tokenCost(route.method, route.path) ?? 0;
		this.limits.charge(now, cost);
		this.counters.tokens[op] = (this.counters.tokens[op] ?? 0) + cost;
		this.counters.tokensUsed += cost;

		if (fault === 'drop-after') {
			this.count(op, 'dropped');
			this.deliver(res, () => res.socket?.destroy());
			return;
		}
		if (fault === 'slow') await sleep(this.faults?.slowMs ?? 0);
		const headers = this.limitHeaders(afterTake, auth.kind, now);
		if (fault === '500-after' || fault === '502-after' || fault === '503-after') {
			const code = Number(fault.slice(0, 3));
			return this.finish(res, op, code, injectedError(code), headers);
		}
		if (result.binary) {
			this.count(op, status);
			const binary = result.binary;
			this.deliver(res, () => {
				res.writeHead(status, {
					...headers,
					'content-type': binary.contentType,
					'content-length': String(binary.data.length),
					'content-disposition': `attachment; filename="${encodeURIComponent(binary.fileName)}"`,
				});
				res.end(binary.data);
			});
			return;
		}
		return this.finish(res, op, status, result.body, headers);
	}

	/** Search has its own bucket; otherwise the plan's limit for the token kind (or the override). */
	private burstBucket(route: Route, auth: { kind: 'api' | 'oauth'; token: string }) {
		if (route.search) return { burstKey: `${auth.token}:search`, burstLimit: SEARCH_BURST };
		const byPlan = (auth.kind === 'oauth' ? BURST_OAUTH : BURST_API_TOKEN)[this.settings.plan];
		return { burstKey: auth.token, burstLimit: this.settings.burstLimit ?? byPlan };
	}

	/** Reads the body and runs the handler; Pipedrive-shaped errors become the result. */
	private async execute(
		req: IncomingMessage,
		url: URL,
		route: Route,
		params: Record<string, string>,
		user: Rec,
	): Promise<{ result: HandlerResult; status: number }> {
		try {
			const v2 = route.path.startsWith('/api/v2/');
			const parsed = await readBody(req, route.body, v2, this.settings.fileSizeLimitBytes);
			const result = route.handler({
				account: this.state,
				user,
				params,
				query: url.searchParams,
				body: parsed.body,
				upload: parsed.upload,
				now: this.clock.now(),
				random: this.random,
				fileSizeLimitBytes: this.settings.fileSizeLimitBytes,
				plan: this.settings.plan,
			});
			if (route.write) this.onWrite?.();
			return { result, status: result.status ?? 200 };
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			return { result: { body: error.body }, status: error.status };
		}
	}

	private authenticate(
		req: IncomingMessage,
		url: URL,
		v1: boolean,
	): { user: Rec; kind: 'api' | 'oauth'; token: string } | undefined {
		const header = req.headers['x-api-token'];
		const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
		// The legacy `api_token` query parameter is accepted on v1 only (api-facts §2.1: not in the specs' security schemes).
		const token =
			(typeof header === 'string' ? header : undefined) ??
			bearer ??
			(v1 ? (url.searchParams.get('api_token') ?? undefined) : undefined);
		if (!token) return undefined;
		const entry = this.state.tokens[token];
		if (!entry) return undefined;
		if ((entry.kind === 'oauth') !== (bearer === token)) return undefined;
		const user = this.state.users.find((u) => u.id === entry.userId);
		if (!user || user.active_flag !== true) return undefined;
		return { user, kind: entry.kind, token };
	}

	private limitHeaders(
		burst: BurstState,
		kind: 'api' | 'oauth',
		now: number,
	): Record<string, string> {
		if (!this.settings.headers) return {};
		const daily = this.limits.dailyRemaining(now);
		return {
			'x-ratelimit-limit': String(burst.limit),
			'x-ratelimit-remaining': String(burst.remaining),
			'x-ratelimit-reset': String(
				this.limits.dailyExhausted(now) ? this.limits.secondsToMidnight(now) : burst.resetSeconds,
			),
			// Legacy header, api-token traffic only; with token-based limits it mirrors the daily budget left.
			...(kind === 'api' ? { 'x-daily-requests-left': String(daily) } : {}),
			'x-daily-ratelimit-token-limit': String(this.limits.dailyBudget),
			'x-daily-ratelimit-token-remaining': String(daily),
		};
	}

	private count(op: string, status: number | string): void {
		this.counters.requests[op] = (this.counters.requests[op] ?? 0) + 1;
		this.counters.byStatus[String(status)] = (this.counters.byStatus[String(status)] ?? 0) + 1;
	}

	private finish(
		res: ServerResponse,
		op: string,
		status: number,
		body: unknown,
		headers: Record<string, string> = {},
	): void {
		this.count(op, status);
		this.send(res, status, body, headers);
	}

	private send(
		res: ServerResponse,
		status: number,
		body: unknown,
		headers: Record<string, string> = {},
	): void {
		const text = JSON.stringify(body);
		this.deliver(res, () => {
			res.writeHead(status, {
				...headers,
				'content-type': 'application/json; charset=utf-8',
				'content-length': String(Buffer.byteLength(text)),
			});
			res.end(text);
		});
	}

	/** Sends (or drops) an answer once the latency allows; at once when there is none. */
	private deliver(res: ServerResponse, answer: () => void): void {
		const wait = (this.answerDue.get(res) ?? 0) - Date.now();
		if (wait > 0) setTimeout(answer, wait);
		else answer();
	}

	/** Test-only controls, apart from Pipedrive's paths and behind their own token. */
	private async handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		if (req.headers['x-sandbox-admin-token'] !== this.settings.adminToken) {
			return this.send(res, 401, {
				error: 'Send the sandbox admin token in the x-sandbox-admin-token header',
			});
		}
		let body: Record<string, unknown> = {};
		try {
			if (chunks.length > 0)
				body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
		} catch {
			return this.send(res, 400, { error: 'Admin request bodies are JSON' });
		}
		const route = `${req.method} ${url.pathname}`;
		switch (route) {
			case 'POST /__sandbox/reset':
				this.reset();
				return this.send(res, 200, { ok: true });
			case 'GET /__sandbox/snapshot':
				return this.send(
					res,
					200,
					this.snapshot({
						live: url.searchParams.get('live') === 'true',
						omitUpdateTimes: url.searchParams.get('omitUpdateTimes') === 'true',
					}),
				);
			case 'GET /__sandbox/counters':
				return this.send(res, 200, this.getCounters());
			case 'PUT /__sandbox/faults':
				try {
					this.setFaults((body.spec as string | FaultSpec | null | undefined) ?? null);
				} catch (error) {
					return this.send(res, 400, { error: (error as Error).message });
				}
				return this.send(res, 200, { ok: true });
			case 'POST /__sandbox/clock':
				if (typeof body.advanceMs !== 'number')
					return this.send(res, 400, { error: 'Send { "advanceMs": <number> }' });
				this.clock.advance(body.advanceMs);
				return this.send(res, 200, { now: new Date(this.clock.now()).toISOString() });
			default:
				return this.send(res, 404, {
					error: 'Admin endpoints: POST reset, GET snapshot, GET counters, PUT faults, POST clock',
				});
		}
	}
}

function injectedError(status: number) {
	return { success: false, error: 'Injected server error', errorCode: status };
}

function emptyCounters(): SandboxCounters {
	return { requests: {}, tokens: {}, tokensUsed: 0, status429: 0, byStatus: {} };
}
