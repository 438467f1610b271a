import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflow } from '../runner/engine';
import { startSandbox } from '../sandbox';
import { generateDentalExecExport } from '../scripts/sample-data/dental-exec';

async function main() {
	const patients = Number(process.argv[2] ?? 500);
	const work = mkdtempSync(join(tmpdir(), 'probe-'));
	const exportDir = join(work, 'export');
	generateDentalExecExport({ patients, seed: 13, out: exportDir });
	const sandbox = await startSandbox({ plan: 'ultimate', seats: 10, burstLimit: 100000, dailyBudget: 1e12 });
	const result = await runWorkflow(join(__dirname, '..', 'workflows', 'dental-exec', '5-full-migration.json'), {
		credentials: { pipedriveMigrationApi: { baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken, plan: 'ultimate', seats: 10 } },
		settings: { exportDir, journalDir: join(work, 'journal'), confirmUnattended: true },
	});
	console.log(result.status, result.error?.message);
	for (const node of ['Dental-Exec Reader', 'Propose Mapping', 'Match Users', 'Records', 'Pages', 'Page of bundles', 'Transform', 'Commit', 'Reconcile', 'Audit Log', 'Verify from source']) {
		try {
			const items = result.items(node);
			const bytes = JSON.stringify(items).length;
			console.log(node.padEnd(20), 'items', String(items.length).padStart(6), 'MB', (bytes / 1e6).toFixed(1), 'KB/patient', (bytes / 1000 / patients).toFixed(1));
		} catch (e) { console.log(node, (e as Error).message.slice(0, 80)); }
	}
	await sandbox.close();
}
main();
