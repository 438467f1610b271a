import type { PatientBundle } from '../model/bundle';
import type { Provider, ReferenceEntity } from '../model/reference';
import { createTransformer, type TransformInput } from '../mapping/transform';
import { specHash, type MappingSpec } from '../mapping/spec';
import type { FieldRegistry } from '../pipedrive/schemaRequirements';
import { readBackBill } from '../ledger/readBack';
import { payloadHash } from '../ledger/payloadHash';
import { objectCosts } from '../pipedrive/objects';
import type { PlannedBill } from '../pipedrive/preflight';
import { PIPEDRIVE_OBJECTS, type PipedriveObject, type Plan } from '../plan/plan';
import { expectedForBundle, expectedForReference } from '../verify/expected';
import { expectedOwners } from '../verify/owners';

/**
 * The token bill of a full migration, from its plans: every reader item is transformed locally
 * with the spec, registry and owner map the migration will use, and every operation is priced at
 * its endpoint's spec cost the way Commit will send it (the first plan of a source key creates it;
 * a later plan of the same key with another payload updates it, after reading its before-image;
 * the same payload again writes nothing). Verification is priced as the full-migration template
 * reads back: Reconcile every written record, Verify from source every record the export says
 * must exist (lib/verify's expectations), both with readBack's choices (readBackBill).
 */
export interface BillInput {
	/** The reader's records: reference entities and patient bundles, in the order Commit gets them. */
	items: ReadonlyArray<PatientBundle | ReferenceEntity>;
	/** Spec, registry and owners as Transform gets them; the spec is priced, not confirmed here. */
	transform: Omit<TransformInput, 'confirmedSpecHash'>;
	/** Items per page of the full-migration template (each page runs Commit once). */
	pageSize: number;
}

/**
 * The registry as it will be when step 5 runs: what the spec needs and the account lacks yet (a
 * referral field waiting for its options, say) is created by step 5's Provision Schema, priced in
 * the provisioning plan. Placeholders stand in for those keys and ids: a price does not depend on
 * which key a value is written under.
 */
function registryForPricing(registry: FieldRegistry, spec: MappingSpec): FieldRegistry {
	const fields = Object.fromEntries(
		Object.entries(registry.fields).map(([object, byName]) => [object, { ...byName }]),
	) as FieldRegistry['fields'];
	for (const field of spec.schema.customFields) {
		const byName = (fields[field.object] ??= {});
		const registered = (byName[field.name] ??= {
			key: `preflight:${field.object}:${field.name}`,
			fieldType: field.fieldType,
		});
		for (const option of field.options ?? [])
			if (registered.options?.[option] === undefined)
				byName[field.name] = {
					...byName[field.name],
					options: { ...byName[field.name].options, [option]: 0 },
				};
	}
	const stages = { ...registry.pipeline.stages };
	for (const stage of spec.schema.pipeline.stages) stages[stage] ??= 0;
	const activityTypes = { ...registry.activityTypes };
	for (const type of spec.schema.activityTypes)
		activityTypes[type.name] ??= `preflight:${type.name}`;
	return { ...registry, fields, pipeline: { ...registry.pipeline, stages }, activityTypes };
}

export function planBill(input: BillInput): PlannedBill {
	const spec = input.transform.spec;
	const registry = registryForPricing(input.transform.registry, spec);
	const transformer = createTransformer({
		...input.transform,
		registry,
		confirmedSpecHash: specHash(spec),
	});
	const references = input.items.filter(
		(item): item is ReferenceEntity => item.kind !== 'patientBundle',
	);
	const bundles = input.items.filter(
		(item): item is PatientBundle => item.kind === 'patientBundle',
	);
	const plans: Plan[] = [
		...transformer.referenceEntities(references),
		...bundles.map((bundle) => transformer.bundle(bundle)),
	];
	const zero = () =>
		Object.fromEntries(PIPEDRIVE_OBJECTS.map((object) => [object, 0])) as Record<
			PipedriveObject,
			number
		>;
	const creates = zero();
	const updates = zero();
	const writeTokens = zero();
	const written = new Map<string, { object: PipedriveObject; hash: string }>();
	for (const plan of plans) {
		for (const operation of plan.operations) {
			const hash = payloadHash(operation);
			const before = written.get(operation.key);
			if (before?.hash === hash) continue;
			const costs = objectCosts(operation.object);
			if (before) {
				// An update reads the record first (its before-image), then writes it.
				updates[operation.object] += 1;
				writeTokens[operation.object] += costs.get + costs.update;
			} else {
				creates[operation.object] += 1;
				writeTokens[operation.object] += costs.create;
			}
			written.set(operation.key, { object: operation.object, hash });
		}
	}

	const providers = references.filter((entity): entity is Provider => entity.kind === 'provider');
	const context = {
		spec,
		registry,
		// Which records are expected does not depend on who owns them.
		owners: expectedOwners(providers, [], spec.rules.fallbackOwnerEmail, 0),
	};
	const expected = zero();
	// Verify from source reads a record once, however many bundles expect it (a shared employer).
	const seen = new Set<string>();
	for (const record of [
		...references.flatMap((entity) => expectedForReference(entity, context)),
		...bundles.flatMap((bundle) => expectedForBundle(bundle, context)),
	]) {
		const id = `${record.object}:${record.sourceKey}`;
		if (!written.has(record.sourceKey) || seen.has(id)) continue;
		seen.add(id);
		expected[record.object] += 1;
	}
	const verification = Object.fromEntries(
		PIPEDRIVE_OBJECTS.map((object) => {
			const reconcile = readBackBill(object, creates[object]);
			const verify = readBackBill(object, expected[object]);
			return [
				object,
				{
					requests: reconcile.requests + verify.requests,
					tokens: reconcile.tokens + verify.tokens,
				},
			];
		}),
	) as PlannedBill['verification'];
	return {
		writes: Object.fromEntries(
			PIPEDRIVE_OBJECTS.map((object) => [
				object,
				{
					creates: creates[object],
					updates: updates[object],
					requests: creates[object] + 2 * updates[object],
					tokens: writeTokens[object],
				},
			]),
		) as PlannedBill['writes'],
		verification,
		commitRuns: Math.ceil(input.items.length / input.pageSize),
	};
}
