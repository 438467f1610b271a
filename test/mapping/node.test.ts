import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proposeFromExport } from '../../lib/mapping/propose/fromExport';
import { specHash } from '../../lib/mapping/spec';
import { folderSource } from '../../lib/sources';
import type { MappingSpec } from '../../lib/mapping/spec';
import { runWorkflow } from '../../runner/engine';
import { owners, registryFor } from './helpers';

const root = join(__dirname, '..', '..');
const template = (source: string) => join(root, 'workflows', source, '3-propose-mapping.json');
const OTHER_SYSTEM = join(root, 'test', 'fixtures', 'mapping', 'other-system');

/** Template 3 up to the confirmed spec, then Select Sample and Transform on the reader's records. */
function transformWorkflow(spec: MappingSpec, confirmedSpecHash: string): object {
	const workflow = JSON.parse(readFileSync(template('dentadmin'), 'utf8')) as {
		nodes: { name: string; position: number[]; parameters: Record<string, unknown> }[];
		connections: Record<string, { main: { node: string; type: string; index: number }[][] }>;
	};
	const mapper = (name: string, parameters: Record<string, unknown>, x: number) => ({
		id: `test-${name}`,
		name,
		type: 'n8n-nodes-dental-pipedrive.migrationMapper',
		typeVersion: 1,
		position: [x, 0],
		parameters,
	});
	workflow.nodes = [
		...workflow.nodes.filter((node) =>
			['Start', 'Migration settings', 'DentAdmin Reader'].includes(node.name),
		),
		mapper(
			'Select Sample',
			{
				operation: 'selectSample',
				sourceSystem: 'dentadmin',
				sampleSize: 5,
				seed: 'node-test',
				leadRecencyMonths: 12,
				today: '2026-11-01',
			},
			700,
		) as never,
		mapper(
			'Transform',
			{
				operation: 'transform',
				spec: JSON.stringify(spec),
				confirmedSpecHash,
				registry: JSON.stringify(registryFor(spec)),
				owners: JSON.stringify(owners),
				pseudonymKey: '',
			},
			940,
		) as never,
	];
	workflow.connections = {
		Start: workflow.connections.Start,
		'Migration settings': workflow.connections['Migration settings'],
		'DentAdmin Reader': { main: [[{ node: 'Select Sample', type: 'main', index: 0 }], []] },
		'Select Sample': { main: [[{ node: 'Transform', type: 'main', index: 0 }]] },
	};
	return workflow;
}

/**
 * Runs a template the way a user does (`npm run workflow`), in a child process: jest cannot load
 * n8n's Wait node in-process (its sanitize-html dependency ships ES modules), the CLI can.
 */
function runCli(workflow: string, args: string[]): Record<string, unknown>[] {
	const out = join(mkdtempSync(join(tmpdir(), 'mapper-')), 'out.json');
	execFileSync(
		join(root, 'node_modules', '.bin', 'tsx'),
		['scripts/run-workflow.ts', workflow, ...args, '--out', out],
		{
			cwd: root,
			stdio: 'pipe',
		},
	);
	return JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
}

/** The spec Propose makes for the bundled DentAdmin sample (no human step involved). */
async function proposedDentAdminSpec(): Promise<MappingSpec> {
	const proposal = await proposeFromExport(
		'dentadmin',
		folderSource(join(root, 'samples', 'dentadmin', 'nl')),
		{
			today: '2026-11-01',
		},
	);
	return proposal.spec;
}

describe('Migration Mapper in the n8n engine', () => {
	test('`npm run workflow` on template 3 with another practice system stops at the human review and prints the proposals', () => {
		const [proposal] = runCli(template('dental-exec'), ['--set', `exportDir=${OTHER_SYSTEM}`]);
		const fields = proposal.fields as { file: string; field: string; column?: string }[];
		expect(
			fields
				.filter((f) => f.file === 'patients.csv' && f.column)
				.map((f) => `${f.field}=${f.column}`)
				.slice(0, 4),
		).toEqual(['PatientID=PT_NO', 'LastName=SURNM', 'FirstName=GIVEN_NM', 'DOB=BDAY']);
		expect(proposal.table).toContain(
			'| patients.csv | SURNM | LastName: patient.name → person name | 90% |',
		);
		expect(proposal.specHash).toBe(specHash(proposal.spec as MappingSpec));
		expect(proposal.needsReview).toBe(2);
	});

	test('template 3 with confirmUnattended confirms the proposed spec without the form', () => {
		const [confirmation] = runCli(template('dentadmin'), ['--set', 'confirmUnattended=true']);
		expect(confirmation.specHash).toBe(specHash(confirmation.spec as MappingSpec));
		expect(confirmation.today).toBe((confirmation.spec as MappingSpec).rules.today);
		expect(confirmation.confirmedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
	});

	test('Select Sample and Transform: plans for the sampled patients and every practice and insurer', async () => {
		const spec = await proposedDentAdminSpec();
		const result = await runWorkflow(transformWorkflow(spec, specHash(spec)));
		expect(result.status).toBe('success');
		const sampled = result.output('Select Sample');
		expect(sampled.filter((item) => item.kind === 'patientBundle')).toHaveLength(5);
		const plans = result.output('Transform');
		const bundlePlans = plans.filter((plan) =>
			String(plan.bundleKey).startsWith('dentadmin:patient:'),
		);
		expect(bundlePlans).toHaveLength(5);
		expect(plans.every((plan) => plan.specHash === specHash(spec))).toBe(true);
		expect(plans.length).toBe(
			5 + sampled.filter((item) => item.kind === 'practice' || item.kind === 'insurer').length,
		);
		expect(result.items('Transform').every((item) => item.pairedItem !== undefined)).toBe(true);
	});

	test('Transform refuses a spec that changed after it was confirmed', async () => {
		const confirmed = await proposedDentAdminSpec();
		const changed = { ...confirmed, rules: { ...confirmed.rules, leadRecencyMonths: 24 } };
		const result = await runWorkflow(transformWorkflow(changed, specHash(confirmed)));
		expect(result.status).toBe('error');
		expect(result.error).toEqual({
			node: 'Transform',
			message: `The mapping spec changed after it was confirmed (confirmed ${specHash(confirmed).slice(0, 12)}…, now ${specHash(changed).slice(0, 12)}…): run Confirm mapping again.`,
		});
	});

	test('Validate Spec lists the problems of a spec without confirming it', async () => {
		const spec = await proposedDentAdminSpec();
		const broken = {
			...spec,
			valueMaps: { ...spec.valueMaps, labCase: { activityType: 'Lab', subject: 'Lab case' } },
		};
		const workflow = {
			nodes: [
				{
					id: 'start',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'validate',
					name: 'Validate Spec',
					type: 'n8n-nodes-dental-pipedrive.migrationMapper',
					typeVersion: 1,
					position: [240, 0],
					parameters: { operation: 'validateSpec', spec: JSON.stringify(broken) },
				},
			],
			connections: { Start: { main: [[{ node: 'Validate Spec', type: 'main', index: 0 }]] } },
		};
		const result = await runWorkflow(workflow);
		expect(result.status).toBe('success');
		expect(result.output('Validate Spec')).toEqual([
			{
				valid: false,
				problems: ['valueMaps.labCase: activity type "Lab" is not in schema.activityTypes.'],
				specHash: specHash(broken),
			},
		]);

		const valid = await runWorkflow({
			...workflow,
			nodes: [
				workflow.nodes[0],
				{
					...workflow.nodes[1],
					parameters: { operation: 'validateSpec', spec: JSON.stringify(spec) },
				},
			],
		});
		// A valid spec is handed on with its hash: templates 4 and 5 gate it with the confirmed hash.
		expect(valid.output('Validate Spec')).toEqual([
			{
				valid: true,
				problems: [],
				specHash: specHash(spec),
				spec: JSON.parse(JSON.stringify(spec)),
			},
		]);
	});
});
