import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { defaultSpec } from '../../lib/mapping/defaults';
import type { MappingSpec } from '../../lib/mapping/spec';
import { runWorkflow } from '../../runner/engine';
import { owners, registryFor } from '../mapping/helpers';

const root = join(__dirname, '..', '..');
type Node = { name: string; parameters: Record<string, unknown> };

/**
 * Template 4 (DentAdmin) from Spec to migrate to Transform, without Pipedrive: Records → Select
 * Sample → Transform exactly as generated, with a test registry and owner map for Transform.
 */
function sampleAndTransform(change: (selectSample: Node) => void = () => {}) {
	const template = JSON.parse(
		readFileSync(join(root, 'workflows', 'dentadmin', '4-sample-migration.json'), 'utf8'),
	) as { nodes: Node[] };
	const keep = [
		'Start',
		'Migration settings',
		'Spec to migrate',
		'Records',
		'Select Sample',
		'Transform',
	];
	const nodes = template.nodes.filter((node) => keep.includes(node.name));
	const byName = (name: string) => nodes.find((node) => node.name === name) as Node;
	Object.assign(byName('Transform').parameters, {
		registry: JSON.stringify(registryFor(confirmedSpec)),
		owners: JSON.stringify(owners),
	});
	// A seed whose first patient to cover "person with lead" under the 12-month rule is 1006.
	byName('Select Sample').parameters.seed = 'seed-0';
	change(byName('Select Sample'));
	const next = (from: string, to: string) => ({
		[from]: { main: [[{ node: to, type: 'main', index: 0 }]] },
	});
	return {
		...template,
		nodes,
		connections: {
			...next('Start', 'Migration settings'),
			...next('Migration settings', 'Spec to migrate'),
			...next('Spec to migrate', 'Records'),
			...next('Records', 'Select Sample'),
			...next('Select Sample', 'Transform'),
		},
	};
}

/** The confirmed spec's lead rule (24 months) differs from Migration settings' leadRecencyMonths (12). */
const confirmedSpec: MappingSpec = (() => {
	const spec = defaultSpec('dentadmin', '2026-11-01');
	spec.rules.leadRecencyMonths = 24;
	return spec;
})();
const settings = {
	mappingSpec: JSON.stringify(confirmedSpec),
	confirmUnattended: true,
	sampleSize: 10,
	leadRecencyMonths: 12,
};

/**
 * The sampled patients the sample counts for the lead rule (the first to cover "person with lead"
 * and "person only"), each with whether Transform planned them a lead: the two must agree.
 */
async function leadsOfSample(workflow: object) {
	const result = await runWorkflow(workflow, { settings });
	expect(result.error).toBeUndefined();
	const withLead = new Set(
		result
			.output('Transform')
			.filter((plan) =>
				(plan.operations as { object: string }[]).some((op) => op.object === 'lead'),
			)
			.map((plan) => plan.bundleKey),
	);
	return result
		.output('Select Sample')
		.filter((item) => item.kind === 'patientBundle')
		.flatMap((item) =>
			(item.sampleReasons as string[])
				.filter((reason) => reason === 'person with lead' || reason === 'person only')
				.map((reason) => ({
					bundleKey: item.bundleKey,
					sample: reason,
					transform: withLead.has(item.bundleKey) ? 'person with lead' : 'person only',
				})),
		);
}

describe('template 4: Select Sample covers the lead rule Transform applies (issue 20)', () => {
	test("the sample's lead category comes from the confirmed spec, so every sampled 'person with lead' gets a lead", async () => {
		const leads = await leadsOfSample(sampleAndTransform());
		expect(leads.map((lead) => lead.sample)).toEqual(['person with lead']);
		expect(leads.filter((lead) => lead.sample !== lead.transform)).toEqual([]);
	});

	test("reading the rule from Migration settings instead (the old wiring) samples a 'person with lead' Transform gives none", async () => {
		// Patient 1006's last completed visit is 28/02/2025 (afspraken.csv, weekly from 07/02/2025,
		// 4 times) with an open plan: a lead under 12 months before 2026-11-01, none under 24.
		const leads = await leadsOfSample(
			sampleAndTransform((selectSample) => {
				selectSample.parameters = {
					...selectSample.parameters,
					leadRuleSource: 'parameters',
					leadRecencyMonths: "={{ $('Migration settings').first().json.leadRecencyMonths }}",
					today: '2026-11-01',
				};
			}),
		);
		expect(leads.filter((lead) => lead.sample !== lead.transform)).toEqual([
			{ bundleKey: 'dentadmin:patient:1006', sample: 'person with lead', transform: 'person only' },
		]);
	});
});
