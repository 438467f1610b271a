import { parseCliArguments } from '../../sandbox/cli';
import { Latency, parseLatency } from '../../sandbox/latency';
import { client, sandboxesPerTest } from './sandboxClient';

const elapsed = async (work: () => Promise<unknown>): Promise<number> => {
	const started = performance.now();
	await work();
	return performance.now() - started;
};

describe('sandbox latency', () => {
	const start = sandboxesPerTest();

	it('parses MS[,JITTER] and explains a bad value', () => {
		expect(parseLatency('150')).toEqual({ ms: 150, jitterMs: 0 });
		expect(parseLatency('150,40')).toEqual({ ms: 150, jitterMs: 40 });
		expect(() => parseLatency('150ms')).toThrow(
			'latency: "150ms" is not MS or MS,JITTER in whole milliseconds (e.g. 150 or 150,40)',
		);
		expect(parseCliArguments(['--latency', '150,40'])).toEqual({
			port: 8765,
			latencyMs: 150,
			jitterMs: 40,
		});
		expect(() => parseCliArguments(['--latency', '-5'])).toThrow(
			'latency: "-5" is not MS or MS,JITTER',
		);
		expect(() => parseCliArguments(['--latency=-5'])).toThrow(
			'latency: "-5" is not MS or MS,JITTER',
		);
		expect(() => new Latency({ ms: 1.5 })).toThrow(
			'latency: latencyMs must be a non-negative whole number of milliseconds',
		);
	});

	it('draws the jitter from its seed: same seed, same delays, each within [MS, MS + JITTER]', () => {
		const delays = (seed: number) => {
			const latency = new Latency({ ms: 100, jitterMs: 50, seed });
			return Array.from({ length: 200 }, () => latency.next());
		};
		expect(delays(3)).toEqual(delays(3));
		expect(delays(3)).not.toEqual(delays(4));
		expect(Math.min(...delays(3))).toBeGreaterThanOrEqual(100);
		expect(Math.max(...delays(3))).toBeLessThanOrEqual(150);
		// Whole milliseconds spread over the range, not one fixed value.
		expect(new Set(delays(3)).size).toBeGreaterThan(30);
	});

	it('holds every answer at least MS, and dropped connections too', async () => {
		const sb = await start({ latencyMs: 120 });
		const call = client(sb);
		for (const request of [
			() => call('GET', '/api/v1/users/me'),
			() => call('POST', '/api/v2/persons', { name: 'P' }),
			() => call('GET', '/api/v2/persons/999'),
		]) {
			expect(await elapsed(request)).toBeGreaterThanOrEqual(120);
		}
		sb.admin.setFaults('seed=1,rate=1,kinds=drop-after');
		expect(
			await elapsed(() => call('GET', '/api/v1/users/me').catch(() => 'dropped')),
		).toBeGreaterThanOrEqual(120);
	});

	it('applies a write when the request arrives; only the answer waits', async () => {
		// A 3 s hold: the write must be visible long before it, so a loaded machine cannot blur the two.
		const sb = await start({ latencyMs: 3000 });
		const sent = performance.now();
		const answer = client(sb)('POST', '/api/v2/persons', { name: 'P' });
		while (sb.admin.snapshot({ live: true }).persons.length === 0)
			await new Promise((resolve) => setTimeout(resolve, 5));
		expect(performance.now() - sent).toBeLessThan(1500);
		expect(sb.admin.snapshot({ live: true }).persons.map((p) => p.name)).toEqual(['P']);
		expect((await answer).status).toBe(200);
	});

	it('holds answers side by side, not in a queue: ten at once take about as long as one (ratio)', async () => {
		// 1 s holds: the machine's own overhead (a loaded CI) stays small against them.
		const sb = await start({ latencyMs: 1000 });
		const call = client(sb);
		const one = await elapsed(() => call('GET', '/api/v1/users/me'));
		const ten = await elapsed(() =>
			Promise.all(Array.from({ length: 10 }, () => call('GET', '/api/v1/users/me'))),
		);
		// Queued answers would take ten times as long; overlapping ones about as long as one.
		expect(ten / one).toBeLessThan(3);
	});
});
