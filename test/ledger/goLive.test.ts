import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { runWorkflow } from '../../runner/engine';
import { startSandbox, type RunningSandbox, type SandboxSnapshot } from '../../sandbox';
import { commitSummary } from '../../scripts/demo/commitSummary';
import { editPatients } from '../../scripts/demo/exportEdits';
import { phonesOf, staffChangesPhone, STAFF_PHONE } from '../../scripts/demo/pipedriveEdits';
import { staffWrite } from './helpers/staffApi';

/**
 * After go-live, through the committed Dental-Exec templates and the real n8n engine: the front
 * desk changes a migrated patient's phone and adds a note and a call to another, the export
 * changes 5 patients' emails, the delta runs, then the rollback. The Rollback node's
 * `practiceWork` setting is set on the loaded template (the templates leave it at its default).
 */
const root = path.join(__dirname, '..', '..');
const sampleDir = path.join(root, 'samples', 'dental-exec');
type Workflow = { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };

function template(file: string, parameters: Record<string, Record<string, unknown>> = {}) {
	const workflow = JSON.parse(
		fs.readFileSync(path.join(root, 'workflows', 'dental-exec', file), 'utf8'),
	) as Workflow;
	for (const node of workflow.nodes) Object.assign(node.parameters, parameters[node.name] ?? {});
	return workflow;
}

function records(snapshot: SandboxSnapshot) {
	const { persons, organizations, deals, activities, notes, files, leads } = snapshot;
	return { persons, organizations, deals, activities, notes, files, leads };
}

let sandbox: RunningSandbox;
let workDir: string;
beforeEach(async () => {
	sandbox = await startSandbox({ seed: 8, burstLimit: 1000 });
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'go-live-'));
});
afterEach(() => sandbox.close());

const api = (method: string, apiPath: string, body: unknown) =>
	staffWrite(sandbox, method, apiPath, body);

it('the front desk phone survives the delta as a reported conflict; its note and call stop the rollback; keep takes back everything else', async () => {
	const exportDir = path.join(workDir, 'export');
	fs.cpSync(sampleDir, exportDir, { recursive: true });
	const run = (workflow: Workflow, extra: Record<string, unknown> = {}) =>
		runWorkflow(workflow as never, {
			settings: {
				exportDir,
				journalDir: path.join(workDir, 'journal'),
				confirmUnattended: true,
				...extra,
			},
			credentials: {
				pipedriveMigrationApi: {
					baseUrl: sandbox.baseUrl,
					apiToken: sandbox.apiToken,
					plan: 'growth',
					seats: 3,
				},
			},
		});
	const before = records(sandbox.admin.snapshot({ live: true }));
	expect((await run(template('5-full-migration.json'))).error).toBeUndefined();
	expect((await run(template('delta-pickup.json'))).error).toBeUndefined(); // sets the watermark

	const { changedIds } = editPatients(exportDir, 'dental-exec', {
		changed: 5,
		modifiedAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
	});
	const staff = await staffChangesPhone(
		sandbox,
		changedIds.map((id) => `dental-exec:patient:${id}`),
	);
	const delta = await run(template('delta-pickup.json'));
	expect(delta.error).toBeUndefined();
	const summary = commitSummary(delta.output('Commit'));
	expect(summary.totals).toMatchObject({ updated: 5, created: 0, failed: 0, skipped: 0 });
	expect(summary.conflicts).toEqual({
		policy: 'keep-pipedrive',
		fields: 1,
		kept: 1,
		overwritten: 0,
		stopped: 0,
		records: [
			expect.objectContaining({
				key: staff.sourceKey,
				object: 'person',
				pipedriveId: String(staff.personId),
				fields: ['phones'],
				resolution: 'keep-pipedrive',
			}),
		],
	});
	expect(await phonesOf(sandbox, staff.personId)).toEqual([STAFF_PHONE]);

	// The staff's note and call on another migrated patient (the first one the delta did not edit).
	const persons = sandbox.admin.snapshot({ live: true }).persons;
	const other = persons.find((person) => person.id !== staff.personId)?.id as number;
	const note = await api('POST', '/api/v1/notes', {
		content: 'Asked for a callback',
		person_id: other,
	});
	const call = await api('POST', '/api/v2/activities', {
		subject: 'Callback',
		type: 'call',
		person_id: other,
	});
	const migrated = records(sandbox.admin.snapshot({ live: true }));

	const stopped = await run(template('rollback.json'));
	expect(stopped.error).toBeUndefined();
	const [stop] = stopped.output('Rollback') as Array<{
		status: string;
		deleted: number;
		practiceWork: {
			changed: Array<{ object: string; pipedriveId: string; fields: string[] }>;
			attached: Array<{
				object: string;
				pipedriveId: string;
				parents: Array<{ pipedriveId: string }>;
			}>;
		};
	}>;
	expect(stop.status).toBe('stopped');
	expect(stop.deleted).toBe(0);
	expect(
		stop.practiceWork.changed.map((r) => `${r.object} ${r.pipedriveId} ${r.fields.join(',')}`),
	).toEqual([`person ${staff.personId} phones`]);
	expect(
		stop.practiceWork.attached.map(
			(r) => `${r.object} ${r.pipedriveId} on ${r.parents.map((p) => p.pipedriveId).join(',')}`,
		),
	).toEqual([`note ${note} on ${other}`, `activity ${call} on ${other}`]);
	expect(records(sandbox.admin.snapshot({ live: true }))).toEqual(migrated);

	const kept = await run(template('rollback.json', { Rollback: { practiceWork: 'keep' } }));
	expect(kept.error).toBeUndefined();
	const [result] = kept.output('Rollback') as Array<{
		status: string;
		verification: { passed: boolean; differences: Array<{ object: string; pipedriveId: string }> };
	}>;
	expect(result.status).toBe('completed');
	expect(result.verification.passed).toBe(true);
	const after = records(sandbox.admin.snapshot({ live: true }));
	const keptIds = new Set(
		result.verification.differences.map((d) => `${d.object}:${d.pipedriveId}`),
	);
	expect(keptIds.has(`note:${note}`) && keptIds.has(`activity:${call}`)).toBe(true);
	expect(keptIds.has(`person:${other}`) && keptIds.has(`person:${staff.personId}`)).toBe(true);
	// Exactly the kept records remain on top of the pre-migration account.
	const objectOf: Record<string, string> = {
		persons: 'person',
		organizations: 'organization',
		deals: 'deal',
		activities: 'activity',
		notes: 'note',
		files: 'file',
		leads: 'lead',
	};
	const left = Object.entries(after).flatMap(([collection, list]) =>
		list
			.filter(
				(record) => !before[collection as keyof typeof before].some((b) => b.id === record.id),
			)
			.map((record) => `${objectOf[collection]}:${record.id}`),
	);
	expect(left.sort()).toEqual([...keptIds].sort());
	expect(before.persons).toEqual([]);
}, 600_000); // two full-size reads of the Dental-Exec sample besides the writes; CI machines are shared
