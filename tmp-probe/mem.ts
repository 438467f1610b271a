import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowExecute } from 'n8n-core';
import { runWorkflow } from '../runner/engine';
import { generateDentalExecExport } from '../scripts/sample-data/dental-exec';

const mb = (n: number) => Math.round(n / 1e6);
const perNode = new Map<string, { runs: number; maxRssAfter: number; heapDelta: number }>();
const orig = (WorkflowExecute.prototype as any).runNode;
(WorkflowExecute.prototype as any).runNode = async function (this: unknown, ...args: any[]) {
	const name = args[1].node.name as string;
	const before = process.memoryUsage();
	const out = await orig.apply(this, args);
	const after = process.memoryUsage();
	const e = perNode.get(name) ?? { runs: 0, maxRssAfter: 0, heapDelta: 0 };
	e.runs += 1; e.maxRssAfter = Math.max(e.maxRssAfter, after.rss); e.heapDelta += after.heapUsed - before.heapUsed;
	perNode.set(name, e);
	return out;
};

async function main() {
	const patients = Number(process.argv[2] ?? 500);
	const port = 42500;
	const work = mkdtempSync(join(tmpdir(), 'probe-'));
	const exportDir = join(work, 'export');
	generateDentalExecExport({ patients, seed: 13, out: exportDir });
	const sb = spawn(process.execPath, [...process.execArgv, join(__dirname, '..', 'sandbox', 'cli.ts'), '--port', String(port), '--plan', 'ultimate', '--seats', '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const token: string = await new Promise((resolve) => { let buf = ''; sb.stdout!.on('data', (d) => { buf += d; const m = /API token: +([0-9a-f]+)/.exec(buf); if (m) resolve(m[1]); }); });
	if (global.gc) global.gc();
	const base = process.memoryUsage();
	let peak = 0; const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
	const result = await runWorkflow(join(__dirname, '..', 'workflows', 'dental-exec', '5-full-migration.json'), {
		credentials: { pipedriveMigrationApi: { baseUrl: `http://127.0.0.1:${port}`, apiToken: token, plan: 'ultimate', seats: 10 } },
		settings: { exportDir, journalDir: join(work, 'journal'), confirmUnattended: true },
	});
	clearInterval(timer);
	console.log(result.status, result.error?.message, 'base rss', mb(base.rss), 'peak', mb(peak), 'growth', mb(peak - base.rss), 'maxRSS', Math.round(process.resourceUsage().maxRSS / 1024));
	for (const [name, e] of perNode) console.log(name.padEnd(22), 'runs', String(e.runs).padStart(4), 'rssAfter', mb(e.maxRssAfter), 'heapDelta', mb(e.heapDelta));
	sb.kill();
}
main();
