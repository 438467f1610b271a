import { randomBytes } from 'node:crypto';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { BudgetExhaustedError, PipedriveClient } from '../../lib/pipedrive/client';
import { RateLimiter } from '../../lib/pipedrive/rateLimiter';
import {
	IN_FLIGHT_EXPIRY_MS,
	IN_FLIGHT_RECHECK_MS,
	PostgresSharedBudget,
	type Acquired,
} from '../../lib/pipedrive/sharedBudget';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { postgresServer, temporaryDatabase } from '../helpers/postgresDatabase';

/**
 * Two limiters, each with its own connection pool (two n8n workers), sharing one budget in a real
 * PostgreSQL on 127.0.0.1:5432: one burst window and one day's token count between them, at the
 * sandbox's real limit (no raised burst limit: contention is the point).
 */
const database = temporaryDatabase('rate_budget_test');
const server = postgresServer;

describe('PostgresSharedBudget', () => {
	const budgets: PostgresSharedBudget[] = [];
	let sandbox: RunningSandbox | undefined;
	afterEach(async () => {
		await Promise.all(budgets.splice(0).map((b) => b.close()));
		await sandbox?.close();
		sandbox = undefined;
	});

	function marksOf(acquired: Acquired): string[] {
		if (!('marks' in acquired)) throw new Error(`no place: wait ${acquired.waitMs} ms`);
		return acquired.marks;
	}

	/** A budget of its own pool, as a separate worker process would open it. */
	function workerBudget(key: string): PostgresSharedBudget {
		const budget = PostgresSharedBudget.connect(key, { ...server, database });
		budgets.push(budget);
		return budget;
	}

	/** Two workers' budgets on one new credential, and a day that resets in an hour. */
	function twoWorkers(limit: number) {
		const key = `credential-${randomBytes(4).toString('hex')}`;
		const now = Date.now();
		return {
			key,
			budgets: [workerBudget(key), workerBudget(key)],
			now,
			windows: [{ name: 'burst', limit }],
			resetAt: now + 3_600_000,
		};
	}

	it('gives two workers one window: what one takes, the other waits for', async () => {
		const { key, budgets, now, windows, resetAt } = twoWorkers(3);
		const [a, b] = budgets;
		const taken = [
			await a.acquire({ now, windows, resetAt }),
			await b.acquire({ now, windows, resetAt }),
			await a.acquire({ now, windows, resetAt }),
		];
		expect(taken.every((t) => 'marks' in t)).toBe(true);
		// Answered at once: the window is full, the fourth place frees when the first mark is 2 s old.
		for (const [i, t] of taken.entries()) await (i === 1 ? b : a).release(marksOf(t), now);
		expect(await b.acquire({ now: now + 500, windows, resetAt })).toEqual({ waitMs: 1501 });
		expect(await a.acquire({ now: now + 2_000, windows, resetAt })).toEqual({
			marks: [expect.any(String)],
			spentToday: 0,
		});
		// Another credential has its own window.
		const other = workerBudget(`${key}-other`);
		expect(await other.acquire({ now, windows, resetAt })).toMatchObject({ spentToday: 0 });
	});

	it('keeps the place of a request in flight until its answer, however long it takes', async () => {
		const { budgets, now, windows, resetAt } = twoWorkers(2);
		const [a, b] = budgets;
		const slow = marksOf(await a.acquire({ now, windows, resetAt }));
		const quick = marksOf(await b.acquire({ now, windows, resetAt }));
		await b.release(quick, now + 100);
		// 5 s on, the quick one's place is free again; the slow one (the server may have counted it
		// a moment ago) still holds its place: ask again shortly.
		expect(await b.acquire({ now: now + 5_000, windows, resetAt })).toMatchObject({
			marks: [expect.any(String)],
		});
		expect(await b.acquire({ now: now + 5_000, windows, resetAt })).toEqual({
			waitMs: IN_FLIGHT_RECHECK_MS,
		});
		// Its answer at 5.5 s: the place counts 2 s from then.
		await a.release(slow, now + 5_500);
		expect(await b.acquire({ now: now + 6_000, windows, resetAt })).toEqual({ waitMs: 1501 });
		expect(await b.acquire({ now: now + 7_501, windows, resetAt })).toMatchObject({
			marks: [expect.any(String)],
		});
	});

	it('lets the place of a request whose process died expire', async () => {
		const { budgets, now, windows, resetAt } = twoWorkers(1);
		const [a, b] = budgets;
		marksOf(await a.acquire({ now, windows, resetAt }));
		expect(await b.acquire({ now: now + IN_FLIGHT_EXPIRY_MS - 1, windows, resetAt })).toEqual({
			waitMs: IN_FLIGHT_RECHECK_MS,
		});
		expect(await b.acquire({ now: now + IN_FLIGHT_EXPIRY_MS, windows, resetAt })).toMatchObject({
			marks: [expect.any(String)],
		});
	});

	it('adds both workers spend to one day and shares a 429 pause', async () => {
		const key = `credential-${randomBytes(4).toString('hex')}`;
		const [a, b] = [workerBudget(key), workerBudget(key)];
		const now = Date.now();
		const resetAt = now + 3_600_000;
		expect(await a.spend(7, resetAt)).toBe(7);
		expect(await b.spend(5, resetAt)).toBe(12);
		expect(await b.spend(1, resetAt + 86_400_000)).toBe(1);
		await a.blockUntil(now + 800);
		expect(await b.acquire({ now, windows: [{ name: 'burst', limit: 10 }], resetAt })).toEqual({
			waitMs: 800,
		});
		expect(
			await b.acquire({ now: now + 800, windows: [{ name: 'burst', limit: 10 }], resetAt }),
		).toEqual({ marks: [expect.any(String)], spentToday: 12 });
	});

	/** Two limiters on one token, each over its own client and transport, 8 reads each at once. */
	async function twoWorkersReading(shared: boolean) {
		sandbox = await startSandbox({
			plan: 'lite',
			seats: 1,
			burstLimit: 4,
			headers: false,
			seed: 8,
		});
		const key = `credential-${randomBytes(4).toString('hex')}`;
		const workers = [0, 1].map(() => {
			const limiter = new RateLimiter({
				plan: 'lite',
				seats: 1,
				burstLimit: 4,
				backoffBaseMs: 100,
				random: () => 0.5,
				sharedBudget: shared ? workerBudget(key) : undefined,
			});
			const transport = new FetchTransport({
				baseUrl: sandbox!.baseUrl,
				apiToken: sandbox!.apiToken,
			});
			return { limiter, client: new PipedriveClient(transport, { limiter }) };
		});
		const person = await workers[0].client.create('person', { name: 'Shared window' });
		const reads = await Promise.all(
			workers.flatMap(({ client }) =>
				Array.from({ length: 8 }, () => client.get('person', person.id)),
			),
		);
		return { reads: reads.map((r) => r?.id), id: person.id, workers };
	}

	it('keeps two limiters on one token within the burst limit: no 429 at all', async () => {
		const { reads, id, workers } = await twoWorkersReading(true);
		expect(reads).toEqual(Array(16).fill(id));
		expect(sandbox!.admin.counters().status429).toBe(0);
		expect(workers.map((w) => w.limiter.stats().rateLimited)).toEqual([0, 0]);
		expect(workers.map((w) => w.limiter.stats().requests)).toEqual([9, 8]);
	});

	it('(the contention is real) without the shared budget the same two limiters draw 429s', async () => {
		const { reads, id } = await twoWorkersReading(false);
		expect(reads).toEqual(Array(16).fill(id));
		expect(sandbox!.admin.counters().status429).toBeGreaterThan(0);
	});

	it('stops both workers at the company daily budget, counted together', async () => {
		sandbox = await startSandbox({ plan: 'lite', seats: 1, headers: false, seed: 4 });
		const key = `credential-${randomBytes(4).toString('hex')}`;
		// 12 tokens a day: the create costs 5 (POST /api/v2/persons), each read 1 (GET …/{id}).
		const workers = [0, 1].map(() => {
			const limiter = new RateLimiter({
				plan: 'lite',
				seats: 1,
				dailyBudget: 12,
				sharedBudget: workerBudget(key),
			});
			const transport = new FetchTransport({
				baseUrl: sandbox!.baseUrl,
				apiToken: sandbox!.apiToken,
			});
			return new PipedriveClient(transport, { limiter });
		});
		const person = await workers[0].create('person', { name: 'Daily budget' });
		const outcomes: string[] = [];
		for (let i = 0; i < 20; i++) {
			try {
				await workers[i % 2].get('person', person.id);
				outcomes.push('read');
			} catch (error) {
				if (!(error instanceof BudgetExhaustedError)) throw error;
				outcomes.push('stopped');
			}
		}
		// 7 reads fit after the create, whichever worker sends them; then both stop.
		expect(outcomes).toEqual([...Array(7).fill('read'), ...Array(13).fill('stopped')]);
		expect(sandbox.admin.counters().tokensUsed).toBe(12);
		expect(sandbox.admin.counters().status429).toBe(0);
	});
});
