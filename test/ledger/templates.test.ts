import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

import { runWorkflow } from '../../runner/engine';
import { startSandbox, type RunningSandbox, type SandboxSnapshot } from '../../sandbox';
import { commitSummary } from '../../scripts/demo/commitSummary';
import { editPatients, MOVED_EMAIL_PREFIX } from '../../scripts/demo/exportEdits';
import { postgresServer } from './helpers/journals';

/**
 * The Ledger templates through the real n8n engine against the sandbox: the bundled samples of
 * both sources, with the embedded journal and with PostgreSQL.
 */
const root = path.join(__dirname, '..', '..');
const template = (source: string, file: string) => path.join(root, 'workflows', source, file);
const SOURCES = [
	{ source: 'dental-exec', exportDir: path.join(root, 'samples', 'dental-exec') },
	{ source: 'dentadmin', exportDir: path.join(root, 'samples', 'dentadmin', 'nl') },
] as const;

const database = `ledger_tpl_${randomBytes(6).toString('hex')}`;
async function admin(db: string, sql: string): Promise<void> {
	const client = new Client({ ...postgresServer, database: db });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}
beforeAll(() => admin('postgres', `create database ${database}`));
afterAll(() => admin('postgres', `drop database if exists ${database} with (force)`));

type Workflow = {
	nodes: Array<{
		type: string;
		parameters: Record<string, unknown>;
		credentials?: Record<string, unknown>;
	}>;
};

/** The template, with every Ledger node switched to the PostgreSQL journal when asked. */
function load(source: string, file: string, journal: 'embedded' | 'postgres'): Workflow {
	const workflow = JSON.parse(fs.readFileSync(template(source, file), 'utf8')) as Workflow;
	if (journal === 'postgres') {
		for (const node of workflow.nodes.filter((n) => n.type.endsWith('.migrationLedger'))) {
			node.parameters.journal = 'postgres';
			node.credentials = {
				...node.credentials,
				migrationJournalPostgres: { id: 'journalCred', name: 'Journal' },
			};
		}
	}
	return workflow;
}

/** The migrated records (not the schema, which rollback leaves in place). */
function records(snapshot: SandboxSnapshot) {
	const { persons, organizations, deals, activities, notes, files, leads } = snapshot;
	return { persons, organizations, deals, activities, notes, files, leads };
}

describe.each(SOURCES)('$source templates on the sandbox', ({ source, exportDir }) => {
	let sandbox: RunningSandbox;
	let journalDir: string;
	const schema = `t_${randomBytes(4).toString('hex')}`;

	beforeEach(async () => {
		// A generous burst limit: the limiter adapts to the sandbox's x-ratelimit-limit header.
		sandbox = await startSandbox({ seed: 5, burstLimit: 1000 });
		journalDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-tpl-')), 'journal');
	});
	afterEach(() => sandbox.close());

	const run = (
		file: string,
		journal: 'embedded' | 'postgres',
		settings: Record<string, unknown> = {},
		onProgress?: (line: string) => void,
	) =>
		runWorkflow(load(source, file, journal) as never, {
			onProgress,
			// The confirm gate has its own test below; here the unattended switch stands in for step 3.
			settings: { exportDir, journalDir, confirmUnattended: true, ...settings },
			credentials: {
				pipedriveMigrationApi: {
					baseUrl: sandbox.baseUrl,
					apiToken: sandbox.apiToken,
					plan: 'growth',
					seats: 3,
				},
				migrationJournalPostgres: {
					...postgresServer,
					database,
					password: '',
					ssl: 'disable',
					schema,
				},
			},
		});

	it.each(['embedded', 'postgres'] as const)(
		'4 · sample → diff report: every mapped field of the sample matches (%s journal)',
		async (journal) => {
			const progress: string[] = [];
			const result = await run('4-sample-migration.json', journal, { sampleSize: 4 }, (line) =>
				progress.push(line),
			);
			expect(result.error).toBeUndefined();
			// The progress line counts up to every record the sandbox now holds (all created by
			// this commit), with the tokens spent so far; counts only, no record's content.
			const lines = progress.map((line) =>
				/^Commit: (\d+)\/(\d+) records, (\d+) tokens$/.exec(line),
			);
			expect(lines.every(Boolean)).toBe(true);
			const held = Object.values(records(sandbox.admin.snapshot({ live: true }))).flat().length;
			const last = lines[lines.length - 1]!;
			expect([Number(last[1]), Number(last[2])]).toEqual([held, held]);
			expect(Number(last[3])).toBeGreaterThan(0);
			const commit = result.output('Commit');
			const summary = commit[commit.length - 1] as {
				kind: string;
				status: string;
				totals: Record<string, number>;
			};
			expect(summary.kind).toBe('sample');
			expect(summary.status).toBe('completed');
			expect(summary.totals).toMatchObject({
				updated: 0,
				unchanged: 0,
				skipped: 0,
				failed: 0,
				pending: 0,
			});
			expect(summary.totals.created).toBeGreaterThan(4);

			const diff = result.output('Diff Report');
			const report = diff[diff.length - 1] as {
				totals: Record<string, number>;
				readBack: Record<string, number>;
				records: Record<string, number>;
			};
			expect(diff.slice(0, -1).filter((field) => field.status !== 'match')).toEqual([]);
			expect(report.totals).toEqual({
				match: diff.length - 1,
				mismatch: 0,
				missing: 0,
				unexpected: 0,
				'not-checked': 0,
			});
			// Every record the source says must exist was found and read back; the verifier's
			// records are among those the sample created (derived ones such as lab-case activities
			// are Reconcile's to read back).
			expect(report.records.verified).toBe(report.records.expected);
			expect(report.records.missing).toBe(0);
			expect(report.readBack.records).toBe(report.records.expected);
			expect(report.records.expected).toBeLessThanOrEqual(summary.totals.created);
			expect(result.items('Diff Report').slice(-1)[0].binary?.html?.mimeType).toBe('text/html');
		},
	);

	it('status report: done per object as the sandbox holds it, the run, the budget as its headers say, and the page', async () => {
		const sample = await run('4-sample-migration.json', 'embedded', { sampleSize: 4 });
		expect(sample.error).toBeUndefined();
		const committed = sample.output('Commit').at(-1) as {
			runId: string;
			totals: { created: number };
		};
		const result = await run('status-report.json', 'embedded');
		expect(result.error).toBeUndefined();
		const [status] = result.output('Status') as Array<{
			objects: Array<{
				object: string;
				done: number;
				planned: number;
				left: number;
				failed: number;
			}>;
			runs: Array<Record<string, unknown>>;
			budget: { dailyBudget: number; tokensLeftToday: number };
			days: Array<{ records: number }>;
			pace: { daysLeft: number | null };
			failures: unknown[];
		}>;
		const held = records(sandbox.admin.snapshot({ live: true }));
		const [preflight] = result.output('Preflight') as Array<{ writes: Record<string, number> }>;
		const plural: Record<string, keyof typeof held> = {
			organization: 'organizations',
			person: 'persons',
			lead: 'leads',
			deal: 'deals',
			activity: 'activities',
			note: 'notes',
			file: 'files',
		};
		expect(status.objects).toEqual(
			Object.entries(plural).map(([object, list]) => ({
				object,
				done: held[list].length,
				planned: preflight.writes[object],
				left: Math.max(0, preflight.writes[object] - held[list].length),
				failed: 0,
			})),
		);
		expect(status.runs).toEqual([
			expect.objectContaining({ kind: 'sample', status: 'completed', stopReason: null }),
		]);
		expect(status.runs[0].created).toBe(committed.totals.created);
		expect(status.days.map((day) => day.records)).toEqual([committed.totals.created]);
		// Growth × 3 seats = 30,000 × 2 × 3 tokens a day (api-facts §5); what is left is what the
		// sandbox counted, read from its headers on Status's own request (the last one sent).
		expect(status.budget.dailyBudget).toBe(180_000);
		expect(status.budget.tokensLeftToday).toBe(180_000 - sandbox.admin.counters().tokensUsed);
		// One day of writes so far, at the sample's pace: what is left over the records created that day.
		const left = status.objects.reduce((sum, row) => sum + row.left, 0);
		expect(status.pace.daysLeft).toBe(Math.ceil(left / committed.totals.created));
		expect(status.failures).toEqual([]);
		expect(result.items('Status')[0].binary?.html?.fileName).toBe('migration-status.html');
	});

	it('4 · nothing moves until the map is confirmed: the hash from step 3 unlocks the commit', async () => {
		const before = records(sandbox.admin.snapshot({ live: true }));
		const refused = await run('4-sample-migration.json', 'embedded', {
			sampleSize: 2,
			confirmUnattended: false,
		});
		expect(refused.status).toBe('error');
		expect(refused.error?.node).toBe('Transform');
		expect(refused.error?.message).toMatch(
			/^The mapping spec has not been confirmed \(its hash is [0-9a-f]{12}…\)/,
		);
		expect(records(sandbox.admin.snapshot({ live: true }))).toEqual(before);

		const wrongHash = await run('4-sample-migration.json', 'embedded', {
			sampleSize: 2,
			confirmUnattended: false,
			confirmedSpecHash: '0'.repeat(64),
		});
		expect(wrongHash.error?.message).toMatch(/^The mapping spec changed after it was confirmed/);
		expect(records(sandbox.admin.snapshot({ live: true }))).toEqual(before);

		// Step 3 gives the same hash for the same export; the user pastes it into the settings.
		const [proposed] = refused.output('Spec to migrate') as Array<{ specHash: string }>;
		const confirmed = await run('4-sample-migration.json', 'embedded', {
			sampleSize: 2,
			confirmUnattended: false,
			confirmedSpecHash: proposed.specHash,
		});
		expect(confirmed.error).toBeUndefined();
		const commit = confirmed.output('Commit');
		expect((commit[commit.length - 1] as { status: string }).status).toBe('completed');
	});
});

describe.each(SOURCES)(
	'$source full migration, delta pickup and rollback templates',
	({ source, exportDir: sampleDir }) => {
		let sandbox: RunningSandbox;
		let workDir: string;

		beforeEach(async () => {
			sandbox = await startSandbox({ seed: 6, burstLimit: 1000 });
			workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-tpl-full-'));
		});
		afterEach(() => sandbox.close());

		it('a second full run creates nothing, a delta after editing 10 patients updates exactly those 10, rollback restores the snapshot', async () => {
			const exportDir = path.join(workDir, 'export');
			fs.cpSync(sampleDir, exportDir, { recursive: true });
			const settings = {
				exportDir,
				journalDir: path.join(workDir, 'journal'),
				confirmUnattended: true,
			};
			const credentials = {
				pipedriveMigrationApi: {
					baseUrl: sandbox.baseUrl,
					apiToken: sandbox.apiToken,
					plan: 'growth',
					seats: 3,
				},
			};
			const run = (file: string, extra: Record<string, unknown> = {}) =>
				runWorkflow(template(source, file), {
					settings: { ...settings, ...extra },
					credentials,
				});
			const before = records(sandbox.admin.snapshot({ live: true }));

			const first = await run('5-full-migration.json');
			expect(first.error).toBeUndefined();
			const [reconciled] = first.output('Reconcile') as Array<{
				passed: boolean;
				findings: string[];
			}>;
			expect(reconciled.findings).toEqual([]);
			expect(reconciled.passed).toBe(true);
			const [audit] = first.output('Audit Log') as Array<{
				entries: number;
				actions: Record<string, number>;
			}>;
			const afterFirst = records(sandbox.admin.snapshot({ live: true }));
			const migrated = Object.values(afterFirst).reduce((sum, list) => sum + list.length, 0);
			expect(audit.actions.created).toBe(migrated);
			// Every other entry is a record shared by several patients (an employer organization)
			// met again in the same run: unchanged, never a second copy.
			expect(audit.actions).toEqual({
				created: migrated,
				...(audit.entries > migrated ? { unchanged: audit.entries - migrated } : {}),
			});

			const second = await run('5-full-migration.json');
			expect(second.error).toBeUndefined();
			const [audit2] = second.output('Audit Log') as Array<{
				entries: number;
				actions: Record<string, number>;
			}>;
			expect(audit2.actions).toEqual({ unchanged: audit.entries });
			expect(records(sandbox.admin.snapshot({ live: true }))).toEqual(afterFirst);

			// The first delta run starts from the beginning and finds nothing changed; it sets the watermark.
			const baseline = await run('delta-pickup.json');
			expect(baseline.error).toBeUndefined();
			// Every page of it committed: each record the full run journaled is found unchanged.
			expect(commitSummary(baseline.output('Commit')).totals).toMatchObject({
				created: 0,
				updated: 0,
				unchanged: audit.entries,
				failed: 0,
			});

			// The practice edits 10 patients yesterday, after the baseline's export was taken but
			// before the baseline ran: the next export carries them stamped before that run, and the
			// watermark (the export's newest change, not the run's start) must not have passed them.
			const edited = editPatients(exportDir, source, {
				changed: 10,
				modifiedAt: new Date(Date.now() - 24 * 60 * 60 * 1000),
			}).changedIds.length;
			expect(edited).toBe(10);
			const delta = await run('delta-pickup.json');
			expect(delta.error).toBeUndefined();
			expect(commitSummary(delta.output('Commit')).totals).toMatchObject({
				created: 0,
				updated: 10,
				failed: 0,
				skipped: 0,
			});
			const persons = sandbox.admin.snapshot({ live: true }).persons;
			const emails = persons.flatMap((person) =>
				(person.emails as Array<{ value: string }>).map((e) => e.value),
			);
			expect(emails.filter((email) => email.startsWith(MOVED_EMAIL_PREFIX))).toHaveLength(edited);
			const [advanced] = delta.output('Advance Watermark') as Array<{
				name: string;
				previous: string | null;
				value: string;
			}>;
			expect(advanced.name).toBe(`${source}:patient`);
			expect(advanced.previous).not.toBeNull();
			// Now the export's newest change is the edit (yesterday, 12:00 practice time: at least
			// 7 hours before this run in any zone the samples use), not the time of the run.
			expect(Date.parse(advanced.value)).toBeGreaterThan(Date.parse(advanced.previous ?? ''));
			expect(Date.parse(advanced.value)).toBeLessThan(Date.now() - 60 * 60 * 1000);

			const rolledBack = await run('rollback.json');
			expect(rolledBack.error).toBeUndefined();
			const [result] = rolledBack.output('Rollback') as Array<{
				deleted: number;
				verification: { passed: boolean };
			}>;
			expect(result.deleted).toBe(migrated);
			expect(result.verification.passed).toBe(true);
			expect(records(sandbox.admin.snapshot({ live: true }))).toEqual(before);
		}, 300_000); // the Dental-Exec sample is ~1,500 records per full run; CI machines are shared
	},
);
