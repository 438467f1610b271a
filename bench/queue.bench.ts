import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseOptions } from '../cli/options';
import { run } from '../scripts/n8n-check/processes';

/**
 * `npm run bench:queue [-- --patients N --latency MS --workers 1,2 --ports FROM-TO]`: the group migration in real
 * n8n queue mode (scripts/queue-check.ts, no worker killed) once per worker count, one after the
 * other in this run, at the sandbox's latency (default 150 ms, a real network's), then the pages
 * phase of each side by side: patients per minute, requests per second, and the ratio to the
 * first worker count. Every run is also the full check (0 duplicates, 0 lost, 0 failed).
 * `--ports` (or QUEUE_CHECK_PORTS) is queue-check's: every port the runs open comes from that range.
 */

interface Figures {
	workers: number;
	latencyMs: number;
	patients: number;
	pagesSeconds: number;
	patientsPerMinute: number;
	requestsPerSecond: number;
	status429: number;
	load: number;
}

async function main(): Promise<void> {
	const { patients, latency, workers, ports } = parseOptions(process.argv.slice(2), {
		patients: { type: 'string', default: '1000' },
		latency: { type: 'string', default: '150' },
		workers: { type: 'string', default: '1,2' },
		ports: { type: 'string', default: process.env.QUEUE_CHECK_PORTS },
	}).values;
	const workerCounts = workers.split(',');
	const folder = mkdtempSync(join(tmpdir(), 'bench-queue-'));
	const results: Figures[] = [];
	try {
		for (const workers of workerCounts) {
			const figuresFile = join(folder, `workers-${workers}.json`);
			console.log(`--- ${workers} worker(s), ${patients} patients, latency ${latency} ms`);
			const check = await run(
				'npx',
				[
					'tsx',
					join(__dirname, '..', 'scripts', 'queue-check.ts'),
					'--no-kill',
					'--workers',
					workers,
					'--latency',
					latency,
					'--patients',
					patients,
					'--figures',
					figuresFile,
					...(ports ? ['--ports', ports] : []),
				],
				{ allowFailure: true },
			);
			process.stdout.write(check.stdout);
			if (check.code !== 0) {
				process.stderr.write(check.stderr);
				throw new Error(`queue-check with ${workers} worker(s) failed`);
			}
			results.push(JSON.parse(readFileSync(figuresFile, 'utf8')) as Figures);
		}
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
	const base = results[0];
	console.log(
		`\nqueue mode, ${patients} patients, sandbox latency ${latency} ms (load average now ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`,
	);
	console.log(
		'| workers | patients/min | requests/s | × first | pages phase s | 429s | load avg |',
	);
	console.log('|---|---|---|---|---|---|---|');
	for (const r of results)
		console.log(
			`| ${r.workers} | ${r.patientsPerMinute.toFixed(0)} | ${r.requestsPerSecond.toFixed(1)} | ${(r.patientsPerMinute / base.patientsPerMinute).toFixed(2)} | ${r.pagesSeconds.toFixed(0)} | ${r.status429} | ${r.load.toFixed(1)} |`,
		);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exitCode = 1;
});
