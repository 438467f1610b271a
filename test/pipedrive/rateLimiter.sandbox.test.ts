import { startSandbox, type RunningSandbox } from '../../sandbox';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { BudgetExhaustedError, PipedriveClient } from '../../lib/pipedrive/client';
import { RateLimiter, type RateLimiterOptions } from '../../lib/pipedrive/rateLimiter';
import { VirtualClock } from './helpers/virtualClock';

/**
 * The limiter against the sandbox: tight burst limits and injected faults. Correctness only
 * (counts, nothing lost, no 429 surfaced); the time figure is printed by bench/ratelimit.bench.ts.
 */
describe('RateLimiter against the sandbox', () => {
	let sandbox: RunningSandbox;
	afterEach(async () => sandbox?.close());

	function clientOf(options: Partial<RateLimiterOptions> = {}, token = sandbox.apiToken) {
		const limiter = new RateLimiter({ plan: 'lite', seats: 1, ...options });
		const transport = new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: token });
		return { limiter, client: new PipedriveClient(transport, { limiter }) };
	}

	it('keeps a tight burst limit without a single 429, callers running concurrently', async () => {
		sandbox = await startSandbox({ plan: 'lite', seats: 1, burstLimit: 4, seed: 5 });
		const { client, limiter } = clientOf();
		const person = await client.create('person', { name: 'Burst test' });
		const reads = await Promise.all(
			Array.from({ length: 16 }, () => client.get('person', person.id)),
		);
		expect(reads.map((r) => r?.id)).toEqual(Array(16).fill(person.id));
		expect(sandbox.admin.counters().status429).toBe(0);
		expect(limiter.stats()).toMatchObject({ requests: 17, rateLimited: 0, retries: 0 });
		expect(limiter.limits().burst).toBe(4);
	});

	it('loses no request and surfaces no 429 under 429s, 5xx and dropped connections', async () => {
		sandbox = await startSandbox({ plan: 'lite', seats: 1, burstLimit: 5, seed: 9 });
		const { client, limiter } = clientOf({ backoffBaseMs: 50, random: () => 0.5 });
		const ids: Array<number | string> = [];
		for (let i = 0; i < 6; i++)
			ids.push((await client.create('person', { name: `Fault test ${i}` })).id);
		sandbox.admin.setFaults('seed=3,rate=0.25,kinds=429+500+502+503+drop-before');
		// Reads and same-body updates are safe to repeat; POSTs are left to the commit's idempotency.
		const work = Array.from({ length: 30 }, (_, i) =>
			i % 3 === 0
				? client.update('person', ids[i % 6], { name: `Fault test ${i % 6}` })
				: client.get('person', ids[i % 6]),
		);
		const results = await Promise.all(work);
		expect(results.filter((r) => r === null || r === undefined)).toEqual([]);
		const counters = sandbox.admin.counters();
		const stats = limiter.stats();
		expect(stats.rateLimited).toBe(counters.status429);
		expect(stats.rateLimited).toBeGreaterThan(0);
		expect(stats.serverErrorsRetried + stats.connectionErrorsRetried).toBeGreaterThan(0);
		// Every request sent reached the sandbox: answered or faulted, and each fault was retried.
		expect(stats.requests).toBe(6 + 30 + stats.retries);
		const snapshot = sandbox.admin.snapshot();
		expect(snapshot.persons.map((p) => p.name)).toEqual(
			[0, 1, 2, 3, 4, 5].map((i) => `Fault test ${i}`),
		);
	});

	it('works when the server sends no rate-limit headers: 429s are backed off and retried', async () => {
		sandbox = await startSandbox({
			plan: 'lite',
			seats: 1,
			burstLimit: 3,
			headers: false,
			seed: 6,
		});
		const { client, limiter } = clientOf({ random: () => 0.5 });
		const person = await client.create('person', { name: 'No headers' });
		const reads = await Promise.all(
			Array.from({ length: 8 }, () => client.get('person', person.id)),
		);
		expect(reads.map((r) => r?.id)).toEqual(Array(8).fill(person.id));
		const stats = limiter.stats();
		expect(stats.rateLimited).toBe(sandbox.admin.counters().status429);
		expect(stats.rateLimited).toBeGreaterThan(0);
		expect(stats.requests).toBe(9 + stats.retries);
		expect(limiter.limits().burst).toBe(20);
	});

	it('stops cleanly when the daily budget is spent, with a state to resume from after the reset', async () => {
		sandbox = await startSandbox({ plan: 'lite', seats: 1, dailyBudget: 45, seed: 2 });
		const clock = new VirtualClock(Date.now());
		const { client, limiter } = clientOf({ clock });
		const listAll = async () => {
			for await (const person of client.list('person')) void person;
		};
		await listAll(); // 10 tokens each: 10, 20, 30, 40
		await listAll();
		await listAll();
		await listAll();
		const stopped = await listAll().catch((e: unknown) => e);
		expect(stopped).toBeInstanceOf(BudgetExhaustedError);
		const error = stopped as BudgetExhaustedError;
		const midnight = new Date(clock.now());
		midnight.setUTCHours(24, 0, 0, 0);
		expect(error.resetAt).toBe(midnight.toISOString());
		expect(error.state).toEqual({
			limiter: {
				resetAt: midnight.toISOString(),
				dailyBudget: 45,
				tokensSpentToday: 40,
				tokensLeftToday: 5,
			},
			stoppedBefore: 'GET /api/v2/persons',
		});
		// It never hammered: the sandbox saw 4 lists and no 429.
		expect(sandbox.admin.counters().status429).toBe(0);
		expect(sandbox.admin.counters().tokensUsed).toBe(40);

		// A new process the same day resumes with today's spend and still stops; after the reset it goes on.
		const resumed = clientOf({ clock, resume: limiter.state() });
		await expect(resumed.client.me()).resolves.toMatchObject({ companyId: sandbox.companyId });
		await expect(
			(async () => {
				for await (const p of resumed.client.list('person')) void p;
			})(),
		).rejects.toBeInstanceOf(BudgetExhaustedError);
		const untilReset = midnight.getTime() - clock.now() + 1000;
		clock.advance(untilReset);
		sandbox.admin.advanceClock(untilReset);
		await expect(listAll()).resolves.toBeUndefined();
	});

	it('stops at the first 429 that says the company budget is spent by someone else', async () => {
		sandbox = await startSandbox({ plan: 'lite', seats: 1, dailyBudget: 20, seed: 4 });
		const other = clientOf();
		for await (const p of other.client.list('person')) void p; // 10
		for await (const p of other.client.list('person')) void p; // 20: spent
		const { client, limiter } = clientOf({ dailyBudget: 30_000 });
		await expect(client.me()).rejects.toBeInstanceOf(BudgetExhaustedError);
		await expect(client.me()).rejects.toBeInstanceOf(BudgetExhaustedError);
		expect(limiter.stats()).toMatchObject({ requests: 1, rateLimited: 1 });
	});
});
