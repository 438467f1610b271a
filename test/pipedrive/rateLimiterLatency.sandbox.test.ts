import { PipedriveClient } from '../../lib/pipedrive/client';
import { RateLimiter } from '../../lib/pipedrive/rateLimiter';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import type { HttpRequest, HttpTransport } from '../../lib/transport/transport';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { seededRandom } from '../../sandbox/random';

/**
 * A request can take longer than the 2-second burst window: a slow answer, or a long road to the
 * server. Here every answer is held 300 ms plus up to 300 ms jitter by the sandbox, and the way
 * there takes a seeded 0–2.7 s on top (the server counts a request when it arrives, which can be
 * anywhere between the send and the answer). While a request is in flight it keeps its place in
 * the limiter's window, so however the arrivals bunch up, no more than the burst reach the server
 * in any 2 s: not one 429.
 */
describe('RateLimiter at high latency', () => {
	let sandbox: RunningSandbox;
	afterEach(async () => sandbox?.close());

	/** The road to the server: each request waits its seeded delay before it is sent on. */
	function slowRoad(inner: HttpTransport, seed: number, maxMs: number): HttpTransport {
		const random = seededRandom(seed);
		return {
			request: async (req: HttpRequest) => {
				await new Promise((resolve) => setTimeout(resolve, Math.round(random.next() * maxMs)));
				return inner.request(req);
			},
		};
	}

	it('keeps a burst of 4 with requests in flight longer than the window: 0 × 429', async () => {
		sandbox = await startSandbox({
			plan: 'lite',
			seats: 1,
			burstLimit: 4,
			seed: 14,
			latencyMs: 300,
			jitterMs: 300,
		});
		const direct = new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken });
		const person = await new PipedriveClient(direct).create('person', { name: 'Slow road' });
		const limiter = new RateLimiter({ plan: 'lite', seats: 1 });
		const client = new PipedriveClient(slowRoad(direct, 7, 2700), { limiter });
		const reads = await Promise.all(
			Array.from({ length: 24 }, () => client.get('person', person.id)),
		);
		expect(reads.map((read) => read?.id)).toEqual(Array(24).fill(person.id));
		expect(sandbox.admin.counters().status429).toBe(0);
		expect(limiter.stats()).toMatchObject({ requests: 24, rateLimited: 0, retries: 0 });
		expect(limiter.limits().burst).toBe(4);
	});
});
