import { FetchTransport } from '../../lib/transport/fetchTransport';
import { TransportError, type HttpRequest } from '../../lib/transport/transport';
import { BudgetExhaustedError } from '../../lib/pipedrive/errors';
import {
	nextUtcMidnight,
	RateLimiter,
	type RateLimiterOptions,
} from '../../lib/pipedrive/rateLimiter';
import { type Loopback, type LoopbackAnswer, ok, startLoopback } from './helpers/loopback';
import { VirtualClock } from './helpers/virtualClock';

const GET_ONE: HttpRequest = { method: 'GET', path: '/api/v2/persons/1' }; // 1 token
const LIST: HttpRequest = { method: 'GET', path: '/api/v2/persons' }; // 10 tokens
const CREATE: HttpRequest = { method: 'POST', path: '/api/v2/persons', body: { name: 'x' } }; // 5 tokens

describe('RateLimiter', () => {
	let server: Loopback | undefined;
	afterEach(async () => server?.close());

	/** A limiter and a send function over a loopback server whose answers come from `script`. */
	async function setup(
		script: (index: number, req: HttpRequest) => LoopbackAnswer,
		options: Partial<RateLimiterOptions> = {},
	) {
		const clock = new VirtualClock();
		const arrivals: number[] = [];
		server = await startLoopback((req) => {
			arrivals.push(clock.now());
			return script(arrivals.length - 1, {
				method: req.method as HttpRequest['method'],
				path: req.path,
			});
		});
		const transport = new FetchTransport({ baseUrl: server.baseUrl, apiToken: 'token-under-test' });
		const limiter = new RateLimiter({
			plan: 'lite',
			seats: 1,
			clock,
			random: () => 0.5,
			...options,
		});
		const send = (req: HttpRequest) =>
			limiter.execute(req, (r) => clock.track(transport.request(r)));
		return { clock, arrivals, limiter, send, start: clock.now() };
	}

	it('keeps to the rolling 2-second window, sequential requests landing at exact times', async () => {
		const { arrivals, send, start } = await setup(() => ok({ id: 1 }), { burstLimit: 3 });
		for (let i = 0; i < 7; i++) expect((await send(GET_ONE)).status).toBe(200);
		expect(arrivals.map((t) => t - start)).toEqual([0, 0, 0, 2001, 2001, 2001, 4002]);
	});

	it('never lets more requests into a 2-second window than the limit when callers run concurrently', async () => {
		const { arrivals, send, limiter, start } = await setup(() => ok({ id: 1 }), { burstLimit: 5 });
		const answers = await Promise.all(Array.from({ length: 23 }, () => send(GET_ONE)));
		expect(answers.map((a) => a.status)).toEqual(Array(23).fill(200));
		expect(arrivals).toHaveLength(23);
		const sorted = [...arrivals].sort((a, b) => a - b);
		const busiest = Math.max(
			...sorted.map((t) => sorted.filter((u) => u >= t && u < t + 2000).length),
		);
		expect(busiest).toBe(5);
		const slots = [0, 2001, 4002, 6003, 8004];
		expect(sorted.map((t) => t - start)).toEqual(
			[...slots.flatMap((s) => Array(5).fill(s))].slice(0, 23),
		);
		expect(limiter.stats()).toMatchObject({
			requests: 23,
			retries: 0,
			rateLimited: 0,
			tokensSpent: 23,
		});
	});

	it('sends the first request alone, so a server window tighter than the plan is learnt before a burst', async () => {
		const { arrivals, send, start, limiter } = await setup(() => ({
			status: 200,
			headers: { 'x-ratelimit-limit': '3' },
			body: { success: true, data: {} },
		}));
		await Promise.all(Array.from({ length: 7 }, () => send(GET_ONE)));
		expect([...arrivals].sort((a, b) => a - b).map((t) => t - start)).toEqual([
			0, 0, 0, 2001, 2001, 2001, 4002,
		]);
		expect(limiter.limits().burst).toBe(3);
	});

	it('gives search endpoints their own, smaller window', async () => {
		const { arrivals, send, start } = await setup(() => ok({ items: [] }), {
			burstLimit: 100,
			searchBurstLimit: 2,
		});
		const search: HttpRequest = {
			method: 'GET',
			path: '/api/v2/persons/search',
			query: { term: 'k' },
		};
		for (let i = 0; i < 3; i++) await send(search);
		await send(GET_ONE);
		expect(arrivals.map((t) => t - start)).toEqual([0, 0, 2001, 2001]);
	});

	it('on 429 waits Retry-After seconds, then retries and returns the success', async () => {
		const { send, limiter, clock, start } = await setup((i) =>
			i < 2
				? {
						status: 429,
						headers: { 'retry-after': '3' },
						body: { success: false, error: 'Rate limit exceeded' },
					}
				: ok({ id: 1 }),
		);
		expect((await send(GET_ONE)).status).toBe(200);
		expect(clock.sleeps).toEqual([3000, 3000]);
		expect(clock.now() - start).toBe(6000);
		expect(limiter.stats()).toEqual({
			requests: 3,
			retries: 2,
			tokensSpent: 1,
			rateLimited: 2,
			serverErrorsRetried: 0,
			connectionErrorsRetried: 0,
			waits: 2,
			waitedMs: 6000,
		});
	});

	it('on 429 without Retry-After uses x-ratelimit-reset seconds', async () => {
		const { send, clock } = await setup((i) =>
			i === 0
				? { status: 429, headers: { 'x-ratelimit-reset': '2' }, body: { success: false } }
				: ok({}),
		);
		await send(CREATE);
		expect(clock.sleeps).toEqual([2000]);
	});

	it('on a bare 429 backs off exponentially with jitter (seeded random 0.5)', async () => {
		const { send, clock, limiter } = await setup((i) =>
			i < 3 ? { status: 429, body: { success: false } } : ok({}),
		);
		await send(CREATE);
		// step = 500 × 2^(n-1); wait = step/2 + 0.5 × step/2
		expect(clock.sleeps).toEqual([375, 750, 1500]);
		expect(limiter.stats().rateLimited).toBe(3);
	});

	it('surfaces the 429 only after the retry allowance is used up', async () => {
		const { send, arrivals } = await setup(() => ({ status: 429, body: { success: false } }), {
			maxRateLimitRetries: 2,
		});
		expect((await send(GET_ONE)).status).toBe(429);
		expect(arrivals).toHaveLength(3);
	});

	it('retries 5xx for requests safe to repeat and never for POST', async () => {
		const flaky = (i: number): LoopbackAnswer =>
			i < 2 ? { status: 503, body: { success: false, error: 'down' } } : ok({});
		const get = await setup(flaky);
		expect((await get.send(GET_ONE)).status).toBe(200);
		expect(get.limiter.stats()).toMatchObject({ requests: 3, serverErrorsRetried: 2 });
		expect(get.clock.sleeps).toEqual([375, 750]);
		await server?.close();

		const patch = await setup(flaky);
		expect(
			(await patch.send({ method: 'PATCH', path: '/api/v2/persons/4', body: { name: 'y' } }))
				.status,
		).toBe(200);
		expect(patch.arrivals).toHaveLength(3);
		await server?.close();

		const post = await setup(flaky);
		expect((await post.send(CREATE)).status).toBe(503);
		expect(post.arrivals).toHaveLength(1);
		expect(post.limiter.stats().serverErrorsRetried).toBe(0);
	});

	it('retries a dropped connection for GET and DELETE, rethrows it for POST', async () => {
		const dropFirst = (i: number): LoopbackAnswer => (i === 0 ? 'drop' : ok({}));
		const del = await setup(dropFirst);
		expect((await del.send({ method: 'DELETE', path: '/api/v2/deals/8' })).status).toBe(200);
		expect(del.limiter.stats()).toMatchObject({ requests: 2, connectionErrorsRetried: 1 });
		await server?.close();

		const post = await setup(dropFirst);
		await expect(post.send(CREATE)).rejects.toBeInstanceOf(TransportError);
		expect(post.arrivals).toHaveLength(1);
	});

	it('does not repeat a refused connection (no server at the base URL): the caller hears at once', async () => {
		const { clock, limiter } = await setup(() => ok({}));
		const closed = server!.baseUrl;
		await server?.close();
		server = undefined;
		const transport = new FetchTransport({ baseUrl: closed, apiToken: 'token-under-test' });
		const refused = await limiter
			.execute(GET_ONE, (r) => clock.track(transport.request(r)))
			.catch((e: unknown) => e);
		expect(refused).toMatchObject({ name: 'TransportError', code: 'ECONNREFUSED' });
		expect(limiter.stats()).toMatchObject({ requests: 1, connectionErrorsRetried: 0 });
		expect(clock.sleeps).toEqual([]);
	});

	it('stops with BudgetExhaustedError before a request the local budget cannot pay, and resumes after the reset', async () => {
		const { send, arrivals, clock, limiter } = await setup(() => ok([]), { dailyBudget: 25 });
		await send(LIST);
		await send(LIST);
		const stopped = await send(LIST).catch((e: unknown) => e);
		expect(stopped).toBeInstanceOf(BudgetExhaustedError);
		const error = stopped as BudgetExhaustedError;
		expect(error.resetAt).toBe('2026-11-22T00:00:00.000Z');
		expect(error.state).toEqual({
			limiter: {
				resetAt: '2026-11-22T00:00:00.000Z',
				dailyBudget: 25,
				tokensSpentToday: 20,
				tokensLeftToday: 5,
			},
			stoppedBefore: 'GET /api/v2/persons',
		});
		expect(error.message).toBe(
			'Pipedrive stopped: the daily API token budget is spent (5 tokens left, the next request needs 10). Nothing more was sent; run again after 2026-11-22T00:00:00.000Z (when the budget resets) to resume, or buy a token top-up.',
		);
		expect(arrivals).toHaveLength(2);

		// A new run the same day carries the spend over; after the reset it goes on.
		const resumed = new RateLimiter({
			plan: 'lite',
			seats: 1,
			clock,
			dailyBudget: 25,
			resume: limiter.state(),
		});
		expect(resumed.state().tokensSpentToday).toBe(20);
		clock.advance(nextUtcMidnight(clock.now()) - clock.now());
		expect((await send(LIST)).status).toBe(200);
		expect(limiter.state()).toEqual({
			resetAt: '2026-11-23T00:00:00.000Z',
			dailyBudget: 25,
			tokensSpentToday: 10,
			tokensLeftToday: 15,
		});
	});

	it('stops at once on a 429 whose daily header says the budget is gone, and sends nothing more', async () => {
		const { send, arrivals } = await setup(() => ({
			status: 429,
			headers: { 'x-daily-ratelimit-token-remaining': '0' },
			body: { success: false, error: 'Rate limit exceeded' },
		}));
		await expect(send(GET_ONE)).rejects.toBeInstanceOf(BudgetExhaustedError);
		await expect(send(GET_ONE)).rejects.toBeInstanceOf(BudgetExhaustedError);
		expect(arrivals).toHaveLength(1);
	});

	it('takes a 429 asking for hours as the daily limit: stops with the reset time instead of sleeping', async () => {
		const { send, arrivals, clock } = await setup(() => ({
			status: 429,
			headers: { 'x-ratelimit-reset': '7200' },
			body: { success: false, error: 'Rate limit exceeded' },
		}));
		const error = (await send(GET_ONE).catch((e: unknown) => e)) as BudgetExhaustedError;
		expect(error).toBeInstanceOf(BudgetExhaustedError);
		expect(error.resetAt).toBe(new Date(clock.now() + 7_200_000).toISOString());
		expect(error.resetAt).toBe('2026-11-21T11:00:00.000Z');
		expect(clock.sleeps).toEqual([]);
		await expect(send(GET_ONE)).rejects.toBeInstanceOf(BudgetExhaustedError);
		expect(arrivals).toHaveLength(1);
	});

	it('adapts to the server: x-ratelimit-limit narrows the window, x-daily-ratelimit-token-remaining the budget', async () => {
		const { send, arrivals, start, limiter } = await setup((i) => ({
			status: 200,
			headers: {
				'x-ratelimit-limit': '2',
				'x-ratelimit-remaining': '1',
				'x-daily-ratelimit-token-remaining': i < 3 ? '30' : i === 3 ? '12' : '2',
			},
			body: { success: true, data: {} },
		}));
		await send(GET_ONE);
		await send(GET_ONE);
		await send(GET_ONE);
		expect(arrivals.map((t) => t - start)).toEqual([0, 0, 2001]);
		expect(limiter.limits()).toEqual({ burst: 2, search: 10 });
		await expect(send(CREATE)).resolves.toMatchObject({ status: 200 });
		// The create's answer says 12 left: one list (10) fits, its answer says 2 left, the next list does not.
		await expect(send(LIST)).resolves.toMatchObject({ status: 200 });
		await expect(send(LIST)).rejects.toBeInstanceOf(BudgetExhaustedError);
	});

	it('waits out a window the server reports empty when it counted requests from elsewhere', async () => {
		const { send, arrivals, start } = await setup((i) =>
			i === 0
				? {
						status: 200,
						headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' },
						body: { success: true, data: {} },
					}
				: ok({}),
		);
		await send(GET_ONE);
		await send(GET_ONE);
		expect(arrivals.map((t) => t - start)).toEqual([0, 1000]);
	});
});
