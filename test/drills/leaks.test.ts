import { captureConsole, restoreLogLevel } from './support/n8nDebugLog';

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse } from 'csv-parse/sync';

import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import type { RunResult } from '../../runner/engine';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { commitSummary } from '../../scripts/demo/commitSummary';
import { editPatients } from '../../scripts/demo/exportEdits';
import { freePort } from '../../scripts/n8n-check/processes';
import { drillClient } from './support/client';
import { dentalExecExport } from './support/exports';
import { plannedMigration } from './support/fullMigration';
import { landedAgainstExport } from './support/landed';
import {
	findLeaks,
	journalFiles,
	notOwnerOnly,
	patientSecrets,
	tokenSecret,
	type Secret,
} from './support/leaks';
import { accountRecords, practiceOwnRecords } from './support/snapshots';
import { stoppingProxy } from './support/stoppingProxy';
import { runTemplate, summary, type TemplateRun } from './support/templates';

/**
 * The templates through the real n8n engine (runner/), as a consultant runs them headless, on a
 * copy of the drill export that also holds markup and spreadsheet formulas in its notes: a wrong
 * token, a wrong base URL and the sandbox stopping mid-run (issue 18 item 3, at template level),
 * then validation, provisioning, sample, full migration, delta, status and rollback. Then the
 * leak scan (item 4): every line n8n logged (at debug level) and anything else printed, every
 * error, every node output and report file except the practice-facing diff report, and every
 * journal file, searched for the export's patient values and the API tokens.
 */
jest.setTimeout(300_000);

const SOURCE = 'dental-exec';
const RUN = 'leak-full';
const WRONG_TOKEN = 'wrong-token-0b5e4c7f9a';
/** Planted in notes.csv: markup that must stay text, and cells a spreadsheet would run. */
const PLANTED = {
	script: '<script>alert("planted")</script> Recall card sent',
	formulas: [
		'=HYPERLINK("http://example.test","open")',
		'  +1 review in two weeks',
		'\t-2 units billed',
		'@SUM(A1:A2)',
	],
};

let exportDir: string;
let work: string;
let sandbox: RunningSandbox;
let secrets: Secret[];
const journalDir = () => path.join(work, 'journal');

/** What the runs wrote, kept for the scan: where, the text, and whether it is the practice's. */
const written: Array<{ where: string; text: string }> = [];
/** Every HTML and CSV report, the practice's included: checked for escaping. */
const reports: Array<{ where: string; text: string; type: 'html' | 'csv' }> = [];
const printed: string[] = [];
const originalWrite = { out: process.stdout.write, err: process.stderr.write };

/** Everything printed goes to `printed` (and nowhere else) while the runs go on. */
function capturePrinted(): void {
	const keep = (chunk: unknown) => {
		printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
		return true;
	};
	process.stdout.write = keep as typeof process.stdout.write;
	process.stderr.write = keep as typeof process.stderr.write;
	captureConsole(keep);
}

function plantInNotes(dir: string): void {
	const file = path.join(dir, 'notes.csv');
	const rows = parse(fs.readFileSync(file, 'utf8'), { relax_quotes: false }) as string[][];
	const text = rows[0].indexOf('Text');
	[PLANTED.script, ...PLANTED.formulas].forEach((value, index) => (rows[index + 1][text] = value));
	const quote = (cell: string) =>
		/[",\n\r\t]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
	fs.writeFileSync(file, rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n');
}

beforeAll(async () => {
	exportDir = dentalExecExport();
	plantInNotes(exportDir);
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-leaks-'));
	sandbox = await startSandbox({ plan: 'premium', seats: 3, burstLimit: 1000, seed: 18 });
	secrets = [
		...patientSecrets(SOURCE, exportDir),
		tokenSecret(sandbox.apiToken),
		tokenSecret(WRONG_TOKEN, 'the wrong API token'),
	];
	capturePrinted();
});
afterAll(async () => {
	process.stdout.write = originalWrite.out;
	process.stderr.write = originalWrite.err;
	captureConsole(undefined);
	restoreLogLevel();
	await sandbox.close();
	fs.rmSync(work, { recursive: true, force: true });
	fs.rmSync(exportDir, { recursive: true, force: true });
});

/** Nodes whose items carry the records themselves between nodes (never written anywhere). */
const RECORD_NODES = new Set([
	'Dental-Exec Reader:0',
	'Records:0',
	'Validated records:0',
	'Select Sample:0',
	'Page of bundles:0',
	'Page of bundles:1',
	// Streamed step 5: the page references, and the reader's reference entities passed on.
	'Pages:0',
	'Pages:1',
	'Transform:0',
]);
/** The practice's review of the migration: its documentation says it holds patient values. */
const PRACTICE_REPORT_OPERATIONS = new Set(['diffReport']);

/** Runs a template and keeps every error, node output and report file it produced. */
async function run(label: string, template: string, options: Partial<TemplateRun> = {}) {
	const result = await runTemplate(sandbox, SOURCE, template, {
		exportDir,
		journalDir: journalDir(),
		...options,
		settings: { runId: RUN, ...options.settings },
	});
	keep(label, template, result);
	return result;
}

function keep(label: string, template: string, result: RunResult): void {
	if (result.error) written.push({ where: `${label}: error`, text: result.error.message });
	const workflow = JSON.parse(
		fs.readFileSync(
			path.join(__dirname, '..', '..', 'workflows', SOURCE, `${template}.json`),
			'utf8',
		),
	) as { nodes: Array<{ name: string; parameters: { operation?: string } }> };
	for (const node of workflow.nodes)
		for (const output of [0, 1]) {
			if (RECORD_NODES.has(`${node.name}:${output}`)) continue;
			let items;
			try {
				items = result.items(node.name, output);
			} catch {
				continue; // the node did not run
			}
			const where = `${label}: ${node.name} output ${output}`;
			const practice = PRACTICE_REPORT_OPERATIONS.has(node.parameters.operation ?? '');
			for (const item of items) {
				if (!practice) written.push({ where, text: JSON.stringify(item.json) });
				for (const [key, file] of Object.entries(item.binary ?? {})) {
					const text = Buffer.from(file.data, 'base64').toString('utf8');
					const type = /\.html$/.test(file.fileName ?? '')
						? 'html'
						: /\.csv$/.test(file.fileName ?? '')
							? 'csv'
							: null;
					const at = `${where} ${key} (${file.fileName})`;
					if (!practice) written.push({ where: at, text });
					if (type) reports.push({ where: at, text, type });
				}
			}
		}
}

const journalRuns = async () => {
	const store = FileJournalStore.open(journalDir(), sandbox.companyId);
	try {
		return { runs: await store.listRuns(), open: await store.openIntents() };
	} finally {
		await store.close();
	}
};

describe('the templates, as a consultant runs them', () => {
	let before: ReturnType<typeof accountRecords>;

	it('a wrong API token stops at the first Pipedrive node with one message; nothing is journaled', async () => {
		const result = await run('wrong token', '5-full-migration', {
			pipedrive: { apiToken: WRONG_TOKEN },
		});
		expect(result.status).toBe('error');
		expect(result.error).toEqual({
			node: 'Provision Schema',
			message: 'Provision schema: Pipedrive answered HTTP 401 (unauthorized access, code 401)',
		});
		expect(fs.existsSync(journalDir())).toBe(false);
	});

	it('a base URL where nothing listens, and one where no Pipedrive API is: one message each, nothing journaled', async () => {
		const refused = await run('closed base URL', '5-full-migration', {
			pipedrive: { baseUrl: `http://127.0.0.1:${await freePort()}` },
		});
		expect(refused.error).toEqual({
			node: 'Provision Schema',
			message: 'The service refused the connection - perhaps it is offline',
		});
		const elsewhere = await run('base URL without Pipedrive', '5-full-migration', {
			pipedrive: { baseUrl: `${sandbox.baseUrl}/not-pipedrive` },
		});
		expect(elsewhere.error).toEqual({
			node: 'Provision Schema',
			message: 'Provision schema: Pipedrive answered HTTP 404 (Path not found)',
		});
		expect(fs.existsSync(journalDir())).toBe(false);
	});

	it('steps 1 and 2 run clean on the export with planted markup and formulas', async () => {
		await practiceOwnRecords(drillClient(sandbox.baseUrl, sandbox.apiToken));
		for (const step of ['1-extract-validate', '2-provision-pipedrive'])
			expect((await run(step, step, { settings: { runId: '' } })).error).toBeUndefined();
		// The account as the migration finds it, its schema provisioned (a rollback keeps that).
		before = accountRecords(sandbox);
	});

	it('the sandbox stopping mid-run stops step 5 at Commit with one message; the journal stays consistent and a resume loses nothing', async () => {
		const proxy = await stoppingProxy(sandbox.baseUrl, 60);
		const stopped = await run('server stopping', '5-full-migration', {
			pipedrive: { baseUrl: proxy.url },
		}).finally(() => proxy.close());
		expect({ node: stopped.error?.node, stopped: proxy.stopped() }).toEqual({
			node: 'Commit',
			stopped: true,
		});
		expect(stopped.error?.message).toMatch(
			new RegExp(
				`^No Pipedrive server answers at the credential's base URL \\(the connection was refused\\): check the base URL and that the server is running\\. \\d+ operations are still to do; fix it and run the commit again with run id ${RUN}: it looks up any write left in doubt first, so nothing is written twice\\.$`,
			),
		);
		const interrupted = await journalRuns();
		expect(interrupted.runs.find((r) => r.id === RUN)).toMatchObject({
			status: 'interrupted',
			stopReason: 'account-refused',
		});

		const resumed = await run('resume', '5-full-migration');
		expect(resumed.error).toBeUndefined();
		expect(commitSummary(resumed.output('Commit'))).toMatchObject({ status: 'completed' });
		const after = await journalRuns();
		expect(after.open).toEqual([]);
		expect(after.runs.find((r) => r.id === RUN)?.status).toBe('completed');
		// Checked against the export, not the journal: every record once, nothing lost.
		const migration = await plannedMigration(
			drillClient(sandbox.baseUrl, sandbox.apiToken),
			SOURCE,
			exportDir,
		);
		const landed = landedAgainstExport(
			sandbox.admin.snapshot({ live: true }),
			migration.read,
			migration.plans,
			migration.registry,
		);
		expect([landed.duplicates, landed.lost]).toEqual([[], []]);
	});

	it('step 4 reports the planted notes the practice changed in Pipedrive as mismatches', async () => {
		// The HTML diff lists only problems: the staff edits the planted notes, then puts them back.
		const client = drillClient(sandbox.baseUrl, sandbox.apiToken);
		const planted = sandbox.admin
			.snapshot({ live: true })
			.notes.filter((note) =>
				['Recall card sent', 'HYPERLINK', 'review in two weeks', 'units billed', 'SUM(A1'].some(
					(text) => String(note.content).includes(text),
				),
			);
		expect(planted).toHaveLength(5);
		for (const note of planted)
			await client.update('note', note.id as number, { content: 'Changed by the front desk' });
		const sample = await run('4-sample-migration', '4-sample-migration', {
			settings: { runId: '', sampleSize: 30 },
		});
		expect(sample.error).toBeUndefined();
		expect(summary(sample, 'Diff Report')).toMatchObject({
			totals: expect.objectContaining({ mismatch: 5, missing: 0, unexpected: 0 }),
		});
		for (const note of planted)
			await client.update('note', note.id as number, { content: note.content });
	});

	it('delta, status report and rollback run clean; the rollback leaves the account as before', async () => {
		expect((await run('delta baseline', 'delta-pickup', { settings: { runId: '' } })).error).toBe(
			undefined,
		);
		const { changedIds } = editPatients(exportDir, SOURCE, {
			changed: 3,
			modifiedAt: new Date(Date.now() + 86_400_000),
		});
		// The changed emails are patient values too (and the journal's before-images hold the old ones).
		const known = new Set(secrets.map((secret) => `${secret.kind}:${secret.pattern.source}`));
		secrets.push(
			...patientSecrets(SOURCE, exportDir).filter(
				(secret) => !known.has(`${secret.kind}:${secret.pattern.source}`),
			),
		);
		const delta = await run('delta', 'delta-pickup', { settings: { runId: '' } });
		expect(delta.error).toBeUndefined();
		expect(commitSummary(delta.output('Commit'))).toMatchObject({
			totals: expect.objectContaining({ updated: changedIds.length, failed: 0 }),
		});
		expect((await run('status', 'status-report', { settings: { runId: '' } })).error).toBe(
			undefined,
		);
		const rolledBack = await run('rollback', 'rollback', { settings: { runId: '' } });
		expect(rolledBack.error).toBeUndefined();
		expect(summary(rolledBack, 'Rollback')).toMatchObject({
			status: 'completed',
			verification: expect.objectContaining({ passed: true }),
		});
		expect(withoutEmptyFields(accountRecords(sandbox))).toEqual(withoutEmptyFields(before));
	});
});

/** Custom fields the account gained later show as empty on its older records: the same record. */
const withoutEmptyFields = (records: unknown) =>
	JSON.parse(
		JSON.stringify(records, (key, value: unknown) =>
			key === 'custom_fields' && value && typeof value === 'object'
				? Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null))
				: value,
		),
	) as unknown;

describe('the leak scan of everything the runs wrote', () => {
	it('journal folders are 0700 and journal files 0600', () => {
		expect(journalFiles(journalDir()).length).toBeGreaterThan(1);
		expect(notOwnerOnly(journalDir())).toEqual([]);
	});

	it('no patient value and no token in logs, printed output, errors, node outputs, reports or the journal', () => {
		const log = printed.join('');
		const sources = [
			{ where: 'printed output and n8n log lines', text: log },
			...written,
			...journalFiles(journalDir()).map((f) => ({
				where: `journal ${path.relative(work, f.file)}`,
				text: f.text,
			})),
		];
		const lines = sources.reduce((sum, s) => sum + s.text.split('\n').length, 0);
		// The scan sees what it should: n8n logged at debug level, the reports and journal are there.
		expect(log).toMatch(/Running node "Commit" finished/);
		expect(written.some((w) => /audit-.*\.csv/.test(w.where))).toBe(true);
		const leaks = sources.flatMap((s) => findLeaks(s.where, s.text, secrets));
		originalWrite.out.call(
			process.stdout,
			`leak scan: ${secrets.length} values (patients and tokens), ${sources.length} texts, ${lines} lines, ${leaks.length} leaks\n`,
		);
		expect(leaks).toEqual([]);
	});

	it('HTML reports escape the planted markup; CSV reports neutralise every formula cell', () => {
		const html = reports.filter((r) => r.type === 'html');
		const csv = reports.filter((r) => r.type === 'csv');
		expect(html.length).toBeGreaterThan(0);
		expect(csv.length).toBeGreaterThan(0);
		const escapedScript = '&lt;script&gt;alert(&quot;planted&quot;)&lt;/script&gt;';
		// Step 4's diff lists the changed planted notes, the export's text shown as text.
		const diffPages = html.filter((r) => /^4-sample-migration: .*diff-/.test(r.where));
		expect(diffPages).toHaveLength(1);
		const around = (text: string) => {
			const at = text.indexOf('planted');
			return at < 0 ? 'no planted note' : text.slice(at - 60, at + 60);
		};
		expect(diffPages.map((page) => around(page.text))).toEqual(
			diffPages.map(() => expect.stringContaining(escapedScript)),
		);
		expect(html.filter((r) => r.text.includes('<script>alert(')).map((r) => r.where)).toEqual([]);
		const formula = /^\s*[=+\-@]|^[\t\r]/;
		const cells = csv.flatMap((r) =>
			(parse(r.text, { relax_column_count: true }) as string[][]).flat().map((cell) => ({
				where: r.where,
				cell,
			})),
		);
		expect(cells.filter((c) => formula.test(c.cell)).map((c) => c.where)).toEqual([]);
		const diffCells = new Set(
			cells.filter((c) => /^4-sample-migration: .*diff-/.test(c.where)).map((c) => c.cell),
		);
		for (const planted of PLANTED.formulas) expect(diffCells.has(`'${planted}`)).toBe(true);
	});
});
