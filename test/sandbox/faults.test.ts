import type { RunningSandbox } from '../../sandbox';
import { parseFaultSpec } from '../../sandbox/faults';
import { client, sandboxesPerTest, type Json } from './sandboxClient';

/** Outcome of one request: its status, or `dropped` when the connection closed without a response. */
async function outcome(
	sb: RunningSandbox,
	method: string,
	path: string,
	body?: unknown,
): Promise<number | 'dropped'> {
	try {
		return (await client(sb)(method, path, body)).status;
	} catch {
		return 'dropped';
	}
}

describe('sandbox fault injection', () => {
	const start = sandboxesPerTest();

	it('parses a fault spec and explains a bad one', () => {
		expect(parseFaultSpec('seed=7,rate=0.1,kinds=429+500+drop-after,slowMs=200')).toEqual({
			seed: 7,
			rate: 0.1,
			kinds: ['429', '500', 'drop-after'],
			slowMs: 200,
		});
		expect(() => parseFaultSpec('seed=7,rate=2')).toThrow(
			'faults: rate must be a number from 0 to 1',
		);
		expect(() => parseFaultSpec('seed=7,kinds=429+teapot')).toThrow(
			'faults: kinds must be some of',
		);
		expect(() => parseFaultSpec('seed=7,speed=3')).toThrow(
			'faults: unknown setting "speed" (use seed, rate, kinds, slowMs)',
		);
	});

	it('is off by default', async () => {
		const sb = await start({});
		const outcomes = [];
		for (let i = 0; i < 30; i++) outcomes.push(await outcome(sb, 'GET', '/api/v1/users/me'));
		expect(new Set(outcomes)).toEqual(new Set([200]));
	});

	it('is reproducible: the same seed gives the same faults in the same order', async () => {
		const spec = 'seed=42,rate=0.5,kinds=429+500+502+503+drop-before';
		const run = async () => {
			const sb = await start({ faults: spec });
			const outcomes = [];
			for (let i = 0; i < 40; i++)
				outcomes.push(await outcome(sb, 'POST', '/api/v2/persons', { name: `P${i}` }));
			return { outcomes, persons: sb.admin.snapshot().persons.length };
		};
		const first = await run();
		const second = await run();
		expect(second).toEqual(first);
		expect(new Set(first.outcomes)).toEqual(new Set([200, 429, 500, 502, 503, 'dropped']));
		// faults "before" never write: exactly the answered requests created a person
		expect(first.persons).toBe(first.outcomes.filter((o) => o === 200).length);
	});

	it('drops the connection before the write: nothing is stored', async () => {
		const sb = await start({ faults: 'seed=1,rate=1,kinds=drop-before' });
		expect(await outcome(sb, 'POST', '/api/v2/persons', { name: 'P' })).toBe('dropped');
		expect(sb.admin.snapshot().persons).toEqual([]);
	});

	it('drops the connection AFTER the write: the client sees no answer but the record exists', async () => {
		const sb = await start({ faults: 'seed=1,rate=1,kinds=drop-after' });
		expect(await outcome(sb, 'POST', '/api/v2/persons', { name: 'Written' })).toBe('dropped');
		sb.admin.setFaults(null);
		const list = await client(sb)('GET', '/api/v2/persons');
		expect(list.body.data.map((p: { name: string }) => p.name)).toEqual(['Written']);
		expect(sb.admin.counters().tokens['POST /api/v2/persons']).toBe(5);
	});

	it('answers 5xx after applying the write with the -after kinds', async () => {
		const sb = await start({ faults: 'seed=3,rate=1,kinds=503-after' });
		const res = await client(sb)('POST', '/api/v2/organizations', { name: 'Org' });
		expect([res.status, res.body]).toEqual([
			503,
			{ success: false, error: 'Injected server error', errorCode: 503 },
		]);
		expect(sb.admin.snapshot().organizations.map((o) => o.name)).toEqual(['Org']);
	});

	it('delays slow responses: a later request overtakes a slow one', async () => {
		const sb = await start({ faults: 'seed=1,rate=1,kinds=slow,slowMs=800' });
		const finished: string[] = [];
		const slow = client(sb)('GET', '/api/v1/users/me').then(() => finished.push('slow'));
		// Wait until the sandbox has charged the slow request (it sleeps after that), not a fixed time.
		for (let i = 0; i < 400 && !sb.admin.counters().tokensUsed; i += 1)
			await new Promise((r) => setTimeout(r, 5));
		sb.admin.setFaults(null);
		await client(sb)('GET', '/api/v1/users/me').then(() => finished.push('fast'));
		await slow;
		expect(finished).toEqual(['fast', 'slow']);
	});

	it('never faults the admin API, which needs its own token', async () => {
		const sb = await start({ faults: 'seed=1,rate=1,kinds=drop-before' });
		const admin = (method: string, path: string, body?: unknown, token = sb.adminToken) =>
			fetch(`${sb.baseUrl}/__sandbox/${path}`, {
				method,
				headers: { 'x-sandbox-admin-token': token, 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		expect((await admin('GET', 'counters', undefined, 'wrong')).status).toBe(401);
		expect((await admin('GET', 'counters')).status).toBe(200);
		expect((await admin('PUT', 'faults', { spec: null })).status).toBe(200);
		expect(await outcome(sb, 'POST', '/api/v2/persons', { name: 'P' })).toBe(200);
		const snapshot = (await (await admin('GET', 'snapshot?live=true')).json()) as Json;
		expect(snapshot.persons.map((p: { name: string }) => p.name)).toEqual(['P']);
		expect((await admin('POST', 'reset')).status).toBe(200);
		expect(sb.admin.snapshot().persons).toEqual([]);
		expect((await admin('PUT', 'faults', { spec: 'rate=7' })).status).toBe(400);
	});
});
