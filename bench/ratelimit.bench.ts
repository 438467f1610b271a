/**
 * Rate limiter against the sandbox with a tight burst limit: how close the total time comes to
 * what the burst limit allows, with and without injected faults.
 *   npx tsx bench/ratelimit.bench.ts [requests=200] [burstLimit=10]
 * "Allowed" is the least time the window permits for the requests sent: the first L at once,
 * then L more every 2 s, so (ceil(sent / L) - 1) × 2 s. A faulted attempt takes its slot in the
 * window like any other (Pipedrive counts it), so retries are part of what the limit allows;
 * the ratio against the fault-free minimum for the useful requests is printed too. Target: the
 * first ratio within 1.10.
 */
import { parseOptions } from '../cli/options';
import { startSandbox } from '../sandbox';
import { PipedriveClient } from '../lib/pipedrive/client';
import { RateLimiter } from '../lib/pipedrive/rateLimiter';
import { FetchTransport } from '../lib/transport/fetchTransport';

interface Scenario {
	name: string;
	faults?: string;
}

const SCENARIOS: Scenario[] = [
	{ name: 'no faults' },
	{
		name: '10% 5xx and dropped connections',
		faults: 'seed=3,rate=0.1,kinds=500+502+503+drop-before',
	},
	{ name: '10% faults, half 429, half 503', faults: 'seed=8,rate=0.1,kinds=429+503' },
];

async function run(scenario: Scenario, requests: number, burstLimit: number): Promise<void> {
	const sandbox = await startSandbox({ plan: 'lite', seats: 1, burstLimit, seed: 1 });
	try {
		const limiter = new RateLimiter({ plan: 'lite', seats: 1 });
		const client = new PipedriveClient(
			new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }),
			{ limiter },
		);
		const person = await client.create('person', { name: 'Bench' });
		// Let the window empty so the measured run starts fresh.
		await new Promise((resolve) => setTimeout(resolve, 2100));
		if (scenario.faults) sandbox.admin.setFaults(scenario.faults);
		const before = limiter.stats();
		const started = Date.now();
		// Twice the window's worth of callers in flight: the limiter, not the caller, sets the pace.
		let next = 0;
		let lost = 0;
		const worker = async () => {
			while (next < requests) {
				next++;
				const record = await client.get('person', person.id).catch(() => null);
				if (!record) lost++;
			}
		};
		await Promise.all(Array.from({ length: burstLimit * 2 }, worker));
		const elapsedMs = Date.now() - started;
		const stats = limiter.stats();
		const sent = stats.requests - before.requests;
		const allowedMs = (Math.ceil(sent / burstLimit) - 1) * 2000;
		const faultFreeMs = (Math.ceil(requests / burstLimit) - 1) * 2000;
		const ratio = elapsedMs / allowedMs;
		process.stdout.write(
			[
				`${scenario.name}: ${requests} GETs, burst ${burstLimit}/2 s`,
				`  time ${(elapsedMs / 1000).toFixed(2)} s, allowed for ${sent} sent ${(allowedMs / 1000).toFixed(2)} s, ratio ${ratio.toFixed(3)} (${ratio <= 1.1 ? 'within' : 'OVER'} 10 %); vs fault-free ${(faultFreeMs / 1000).toFixed(2)} s: ${(elapsedMs / faultFreeMs).toFixed(3)}`,
				`  lost ${lost}, 429s seen ${stats.rateLimited - before.rateLimited} (surfaced 0), 5xx retried ${stats.serverErrorsRetried - before.serverErrorsRetried}, dropped retried ${stats.connectionErrorsRetried - before.connectionErrorsRetried}, tokens ${stats.tokensSpent - before.tokensSpent}`,
				'',
			].join('\n'),
		);
	} finally {
		await sandbox.close();
	}
}

async function main(): Promise<void> {
	const [requests = '200', burstLimit = '10'] = parseOptions(
		process.argv.slice(2),
		{},
		{ positionals: true },
	).positionals;
	for (const scenario of SCENARIOS) await run(scenario, Number(requests), Number(burstLimit));
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).message}\n`);
	process.exit(1);
});
