import type { PlanOperation } from '../../lib/plan/plan';
import { expectedForBundle, expectedForReference } from '../../lib/verify/expected';
import { expectedOwners } from '../../lib/verify/owners';
import type { Provider } from '../../lib/model/reference';
import { samplePlans } from '../mapping/support/samplePlans';

/**
 * "Every field arrives verified": every field a migration of the bundled samples writes has a
 * value the verifier derives from the source. A field the Mapper starts writing without a rule in
 * lib/verify/expected.ts fails here, by object and field, before it can go out unchecked.
 */

/** Where a written field is read back: a lead's custom fields sit at its top level (API v1). */
function writtenPaths(operation: PlanOperation): string[] {
	return Object.entries(operation.body ?? {}).flatMap(([key, value]) => {
		if (key === 'custom_fields')
			return Object.keys(value as object).map((h) => `custom_fields.${h}`);
		if (/^[0-9a-f]{40}$/.test(key)) return [`custom_fields.${key}`];
		// The primary participant is what Pipedrive answers as the activity's `person_id`.
		if (key === 'participants') return ['person_id'];
		return [key];
	});
}

async function unverifiedFields(source: 'dental-exec' | 'dentadmin') {
	const { read, spec, registry, plans } = await samplePlans(source);
	const providers = read.references.filter((e): e is Provider => e.kind === 'provider');
	const context = { spec, registry, owners: expectedOwners(providers, [], undefined, 1) };
	const expected = new Map(
		[
			...read.references.flatMap((entity) => expectedForReference(entity, context)),
			...read.bundles.flatMap((bundle) => expectedForBundle(bundle, context)),
		].map((record) => [`${record.object} ${record.sourceKey}`, record]),
	);
	const gaps = new Set<string>();
	let written = 0;
	for (const plan of plans)
		for (const operation of plan.operations) {
			const record = expected.get(`${operation.object} ${operation.key}`);
			if (!record) {
				gaps.add(`${operation.object}: the whole record`);
				continue;
			}
			const verified = new Set(record.fields.map((field) => field.path));
			for (const path of writtenPaths(operation)) {
				written += 1;
				if (verified.has(path)) continue;
				const label = operation.fields.find((field) => field.path === path)?.label ?? path;
				gaps.add(`${operation.object}: ${label}`);
			}
		}
	return { gaps: [...gaps].sort(), written };
}

describe.each(['dental-exec', 'dentadmin'] as const)('the %s sample', (source) => {
	it('writes no field the verification does not derive from the source', async () => {
		const { gaps, written } = await unverifiedFields(source);
		expect(gaps).toEqual([]);
		expect(written).toBeGreaterThan(1000);
	});
});
