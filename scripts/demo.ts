import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { INodeExecutionData } from 'n8n-workflow';

import { parseOptions } from '../cli/options';
import { startSandbox, type RunningSandbox } from '../sandbox';
import { commitSummary } from './demo/commitSummary';
import { editPatients } from './demo/exportEdits';
import { phonesOf, staffChangesPhone, STAFF_PHONE } from './demo/pipedriveEdits';

/**
 * `npm run demo [-- --source dental-exec|dentadmin]`: the whole migration story of a bundled
 * sample practice against a fresh local sandbox, through the same workflow templates a
 * consultant clones, run by the real n8n engine in this process:
 *
 *   1 extract and validate → 2 provision Pipedrive → 3 propose and confirm the map (the
 *   unattended switch stands in for the human review, and says so) → 4 sample migration with
 *   the field-level diff → 5 full migration with the audit log → delta pickup of records
 *   changed in a copy of the export, with one of those patients' phone changed in Pipedrive by
 *   the front desk (the delta keeps it and reports the conflict) → rollback of the whole
 *   migration: first as it runs by default (it finds the front desk's edit and deletes nothing),
 *   then with the practice's work included, verified against a snapshot taken before step 4.
 *
 * Progress goes to stderr; stdout gets one JSON line with the figures. Reports land in
 * demo-output/<source>/.
 */

type Source = 'dental-exec' | 'dentadmin';
type Json = Record<string, unknown>;

/**
 * The demo samples a quarter of the practice so that step 5 has real work left after step 4
 * (a consultant's sample is 100–300 Dental-Exec or ~50 DentAdmin patients of a larger practice).
 */
const SAMPLES: Record<
	Source,
	{ exportDir: string; fallbackOwnerEmail: string; reader: string; sampleSize: number }
> = {
	'dental-exec': {
		exportDir: 'samples/dental-exec',
		sampleSize: 50,
		fallbackOwnerEmail: 'admin@sandbox.test',
		reader: 'Dental-Exec Reader',
	},
	dentadmin: {
		exportDir: 'samples/dentadmin/nl',
		sampleSize: 15,
		fallbackOwnerEmail: 'admin@sandbox.test',
		reader: 'DentAdmin Reader',
	},
};
const CHANGED_DURING_CUTOVER = 5;
/** Premium's burst (100 requests / 2 s) keeps the demo to a few minutes; the limits still apply. */
const DEMO_PLAN = 'premium';
const OBJECTS = ['person', 'lead', 'organization', 'deal', 'activity', 'note', 'file'] as const;

function sourceFromArgs(argv: string[]): Source {
	const { values } = parseOptions(argv, { source: { type: 'string', default: 'dental-exec' } });
	const value = values.source;
	if (value !== 'dental-exec' && value !== 'dentadmin') {
		throw new Error(`--source must be dental-exec or dentadmin, not "${value}"`);
	}
	return value;
}

function progress(message: string): void {
	process.stderr.write(`[demo] ${message}\n`);
}

function writeBinary(item: INodeExecutionData | undefined, property: string, path: string): void {
	const binary = item?.binary?.[property];
	if (!binary) throw new Error(`The workflow produced no "${property}" file for ${path}`);
	writeFileSync(path, Buffer.from(binary.data, 'base64'));
}

/** Sums the created counts of commit run totals, per Pipedrive object. */
function createdPerObject(journalEntries: Json[]): Record<string, number> {
	const created = Object.fromEntries(OBJECTS.map((object) => [object, 0])) as Record<
		string,
		number
	>;
	for (const entry of journalEntries) {
		if (entry.action === 'created' && typeof entry.object === 'string') created[entry.object] += 1;
	}
	return created;
}

async function main(): Promise<void> {
	const source = sourceFromArgs(process.argv.slice(2));
	const root = resolve(__dirname, '..');
	process.chdir(root);
	const sample = SAMPLES[source];
	const outDir = join('demo-output', source);
	rmSync(outDir, { recursive: true, force: true });
	mkdirSync(outDir, { recursive: true });
	const journalDir = join(outDir, 'journal');
	const templates = join('workflows', source);
	// Loaded after the arguments are checked: the n8n engine takes seconds to load.
	const { runWorkflow } = await import('../runner/engine');

	const baseSettings = {
		exportDir: sample.exportDir,
		sampleSize: sample.sampleSize,
		journalDir,
		fallbackOwnerEmail: sample.fallbackOwnerEmail,
		confirmUnattended: true,
	};
	/** `parameters`: node name → parameters set on the loaded template (settings it has no field for). */
	const run = async (template: string, settings: Json = {}, sandbox?: RunningSandbox) => {
		const started = Date.now();
		const credentials: Record<string, Json> = sandbox
			? {
					pipedriveMigrationApi: {
						baseUrl: sandbox.baseUrl,
						apiToken: sandbox.apiToken,
						plan: DEMO_PLAN,
						seats: 3,
					},
				}
			: {};
		const result = await runWorkflow(join(templates, `${template}.json`), {
			credentials,
			settings: { ...baseSettings, ...settings },
		});
		if (result.status !== 'success') {
			throw new Error(
				`${template} failed in node "${result.error?.node}": ${result.error?.message}`,
			);
		}
		progress(`${template} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return result;
	};

	progress(`source ${source}, export ${sample.exportDir}, reports in ${outDir}/`);
	const step1 = await run('1-extract-validate');
	const report = step1.output(step1.lastNodeExecuted ?? '')[0] as Json & {
		totals: { patients: number };
	};
	writeFileSync(join(outDir, 'validation-report.json'), `${JSON.stringify(report, null, 2)}\n`);
	const pages = {
		validation: join(outDir, 'validation-report.html'),
		diff: join(outDir, 'diff-report.html'),
		status: join(outDir, 'migration-status.html'),
	};
	writeBinary(step1.items(step1.lastNodeExecuted ?? '')[0], 'html', pages.validation);
	progress(
		`validation: ${report.totals.patients} patients, report written (page: ${pages.validation})`,
	);

	// The practice's Pipedrive: its users are the export's active providers, so owners match by
	// email; one provider is left without an account to show the fallback owner and review list.
	const providers = readProviders(step1.output(sample.reader));
	const sandbox = await startSandbox({ plan: DEMO_PLAN, seats: 3, users: providers.slice(1) });
	progress(
		`sandbox ${sandbox.baseUrl} (${DEMO_PLAN}, 3 seats, ${providers.length - 1} provider users)`,
	);
	try {
		await run('2-provision-pipedrive', {}, sandbox);
		progress('PROVISIONED custom fields, pipeline and stages');
		const step3 = await run('3-propose-mapping', {}, sandbox);
		const confirmed = step3.output('Confirm Mapping')[0] as Json;
		progress(
			`map CONFIRMED UNATTENDED (confirmUnattended=true; in n8n a person reviews the table): spec ${String(confirmed.specHash).slice(0, 12)}…`,
		);
		const before = sandbox.admin.snapshot({ live: true, omitUpdateTimes: true });

		const step4 = await run('4-sample-migration', {}, sandbox);
		const diffItems = step4.items('Diff Report');
		const diffSummary = diffItems.find((item) => item.binary?.html)?.json as Json & {
			totals: Record<string, number>;
		};
		writeBinary(
			diffItems.find((item) => item.binary?.html),
			'html',
			pages.diff,
		);
		writeBinary(
			diffItems.find((item) => item.binary?.csv),
			'csv',
			join(outDir, 'diff-report.csv'),
		);
		const fieldsCompared = Object.values(diffSummary.totals).reduce((sum, n) => sum + n, 0);
		progress(
			`sample diff: ${fieldsCompared} fields compared, ${diffSummary.totals.mismatch} mismatches`,
		);

		const step5 = await run('5-full-migration', {}, sandbox);
		const owners = ownersOf(step5.output('Match Users')[0] as Json);
		progress(
			`owners: ${owners.matched} providers matched by email, ${owners.fallback} owned by the fallback user, ${owners.toReview} listed for review`,
		);
		const verified = verifiedOf(step5.output('Verify from source').at(-1) as Json);
		progress(
			`verified from the source: ${verified.records} records, ${verified.fields} fields, ${verified.mismatches} mismatches, ${verified.tokens} read-back tokens`,
		);
		const audit = step5.items('Audit Log')[0];
		writeBinary(audit, 'auditCsv', join(outDir, 'audit-log.csv'));
		writeBinary(audit, 'auditJson', join(outDir, 'audit-log.json'));
		const auditRows = JSON.parse(readFileSync(join(outDir, 'audit-log.json'), 'utf8')) as Json[];

		const status = await run('status-report', {}, sandbox);
		writeBinary(status.items('Status')[0], 'html', pages.status);
		progress(`status page: ${pages.status}`);

		const cutoverDir = join(outDir, 'export-after-cutover');
		cpSync(sample.exportDir, cutoverDir, { recursive: true });
		// Stamped a day ahead: the delta picks up what changed after the full migration started.
		const edits = editPatients(cutoverDir, source, {
			changed: CHANGED_DURING_CUTOVER,
			newPatient: true,
			modifiedAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
		});
		progress(
			`cutover: ${edits.changedIds.length} patients changed their email, 1 new patient, in a copy of the export`,
		);
		// Meanwhile the front desk works in Pipedrive: a new mobile number for one of those patients.
		const staff = await staffChangesPhone(
			sandbox,
			edits.changedIds.map((id) => `${source}:patient:${id}`),
		);
		progress(
			`cutover: the front desk changed the mobile number of migrated person ${staff.personId} in Pipedrive`,
		);
		const delta = await run('delta-pickup', { exportDir: cutoverDir }, sandbox);
		const deltaCommit = commitSummary(delta.output('Commit'));
		const phoneKept = (await phonesOf(sandbox, staff.personId)).includes(STAFF_PHONE);
		progress(
			`delta: ${deltaCommit.totals.updated} updated, ${deltaCommit.totals.created} created, ${deltaCommit.conflicts.fields} conflict (${deltaCommit.conflicts.policy}): the front desk's phone ${phoneKept ? 'survived' : 'was OVERWRITTEN'}`,
		);

		// By default a rollback deletes nothing when the practice worked on migrated records.
		const migrated = sandbox.admin.snapshot({ live: true, omitUpdateTimes: true });
		const stopped = (await run('rollback', { rollbackScope: 'migration' }, sandbox)).output(
			'Rollback',
		)[0] as Json & { status: string; practiceWork: { changed: unknown[]; attached: unknown[] } };
		const untouched =
			JSON.stringify(sandbox.admin.snapshot({ live: true, omitUpdateTimes: true })) ===
			JSON.stringify(migrated);
		progress(
			`rollback ${stopped.status}: ${stopped.practiceWork.changed.length} migrated record changed by the practice, ${stopped.practiceWork.attached.length} practice records on migrated ones; ${untouched ? 'nothing was deleted' : 'RECORDS WERE DELETED'}`,
		);
		// The demo abandons the migration, so the front desk's phone goes with it: the practice
		// keeps working in its source system, where that number must be entered again.
		const rollback = await run(
			'rollback',
			{ rollbackScope: 'migration', practiceWork: 'include' },
			sandbox,
		);
		const rolledBack = rollback.output('Rollback')[0] as Json & {
			verification: { passed: boolean };
		};
		const after = sandbox.admin.snapshot({ live: true, omitUpdateTimes: true });
		const snapshotMatches =
			JSON.stringify(withoutFields(after)) === JSON.stringify(withoutFields(before));
		progress(
			`rollback (practiceWork=include): ledger verification ${rolledBack.verification.passed ? 'passed' : 'FAILED'}, sandbox snapshot ${snapshotMatches ? 'equals' : 'DIFFERS FROM'} the pre-migration state`,
		);

		const counters = sandbox.admin.counters();
		const line = {
			source,
			patients: report.totals.patients,
			created: createdPerObject(auditRows.concat(sampleRows(step4))),
			diff: {
				fieldsCompared,
				mismatches: diffSummary.totals.mismatch + diffSummary.totals.missing,
			},
			owners,
			verified,
			delta: {
				updated: deltaCommit.totals.updated,
				created: deltaCommit.totals.created,
				conflicts: deltaCommit.conflicts.fields,
				kept: phoneKept ? deltaCommit.conflicts.kept : 0,
			},
			rollback: {
				stoppedFirst: stopped.status === 'stopped' && untouched,
				verified: rolledBack.verification.passed && snapshotMatches,
			},
			tokensUsed: counters.tokensUsed,
			reports: `${outDir}/`,
			pages,
		};
		process.stdout.write(`${JSON.stringify(line)}\n`);
	} finally {
		await sandbox.close();
	}
}

/** Match Users' verdict: matched providers, those owned by the fallback user, and the review list. */
function ownersOf(match: Json): { matched: number; fallback: number; toReview: number } {
	const count = (name: string) =>
		Array.isArray(match[name]) ? (match[name] as unknown[]).length : 0;
	const fallback = count('unmatched') + count('inactiveUsers');
	return { matched: count('matched'), fallback, toReview: fallback };
}

/** The full migration's verification from the source: every written record read back. */
function verifiedOf(summary: Json): {
	records: number;
	fields: number;
	mismatches: number;
	tokens: number;
} {
	const totals = summary.totals as Record<string, number>;
	const records = summary.records as Record<string, number>;
	const readBack = summary.readBack as Record<string, number>;
	const mismatches = totals.mismatch + totals.missing + totals.unexpected;
	return {
		records: records.verified,
		fields: totals.match + mismatches,
		mismatches: mismatches + records.missing,
		tokens: readBack.tokens,
	};
}

/** Active providers with an email, as sandbox users: name and email only. */
function readProviders(readerOutput: Json[]): Array<{ name: string; email: string }> {
	const seen = new Set<string>();
	const users: Array<{ name: string; email: string }> = [];
	for (const item of readerOutput) {
		if (item.kind !== 'provider' || item.active === false || typeof item.email !== 'string')
			continue;
		const email = item.email.toLowerCase();
		if (seen.has(email)) continue;
		seen.add(email);
		users.push({ name: `${item.firstName ?? ''} ${item.lastName}`.trim(), email });
	}
	return users;
}

/** The sample run's audit rows (step 4's Commit), so created counts cover both runs. */
function sampleRows(step4: { items(node: string): INodeExecutionData[] }): Json[] {
	const commit = step4.items('Commit').find((item) => item.binary?.auditJson);
	if (!commit?.binary) return [];
	return JSON.parse(Buffer.from(commit.binary.auditJson.data, 'base64').toString('utf8')) as Json[];
}

/**
 * Custom fields are schema, not migrated records: the demo keeps them after rollback (the
 * Rollback operation can remove them too), so the comparison is about records.
 */
function withoutFields(snapshot: unknown): unknown {
	const { fields: _fields, ...records } = snapshot as Json;
	return records;
}

main().catch((error: Error) => {
	progress(`FAILED: ${error.message}`);
	process.exitCode = 1;
});
