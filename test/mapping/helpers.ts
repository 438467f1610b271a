import { createHash } from 'node:crypto';
import { PatientBundle } from '../../lib/model';
import type { Appointment, PatientBundle as Bundle, ReferenceEntity } from '../../lib/model';
import type { FieldRegistry, OwnerMap } from '../../lib/pipedrive/schemaRequirements';
import { specHash } from '../../lib/mapping/spec';
import type { MappingSpec } from '../../lib/mapping/spec';
import { defaultSpec } from '../../lib/mapping/defaults';
import { transformBundle } from '../../lib/mapping/transform';
import type { Plan, PlanOperation } from '../../lib/plan/plan';

/** The recency reference date every mapping test uses. */
export const TODAY = '2026-11-01';

/**
 * A field registry built deterministically from a spec, standing in for the Provisioner's:
 * fake 40-hex keys derived from the field name (test fixtures only), option ids numbered from
 * 100 per field, stages from 11, activity type keys from the name.
 */
export function registryFor(spec: MappingSpec): FieldRegistry {
	const registry: FieldRegistry = {
		company: { id: 1 },
		fields: { person: {}, organization: {}, deal: {} },
		pipeline: { id: 7, name: spec.schema.pipeline.name, stages: {} },
		activityTypes: {},
	};
	for (const field of spec.schema.customFields) {
		const options = field.options?.length
			? Object.fromEntries(field.options.map((label, index) => [label, 100 + index]))
			: undefined;
		registry.fields[field.object][field.name] = {
			key: fakeKey(field.object, field.name),
			fieldType: field.fieldType,
			...(options ? { options } : {}),
		};
	}
	spec.schema.pipeline.stages.forEach(
		(stage, index) => (registry.pipeline.stages[stage] = 11 + index),
	);
	for (const type of spec.schema.activityTypes)
		registry.activityTypes[type.name] = type.name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
	return registry;
}

export function fakeKey(object: string, name: string): string {
	return createHash('sha1').update(`${object}:${name}`).digest('hex');
}

export const owners: OwnerMap = {
	owners: { 'dental-exec:provider:7': 501, 'dentadmin:provider:3': 601 },
	fallbackUserId: 500,
};

/**
 * An owner map for an export's providers as the Provisioner's user matching would give it: a
 * provider with an email has a user (ids from 700 in key order), one without falls back.
 */
export function ownersFor(references: readonly ReferenceEntity[]): OwnerMap {
	const providers = references
		.filter((entity) => entity.kind === 'provider')
		.sort((a, b) => (a.sourceKey < b.sourceKey ? -1 : 1));
	const matched = providers.filter((provider) => provider.email);
	return {
		owners: Object.fromEntries(matched.map((provider, index) => [provider.sourceKey, 700 + index])),
		fallbackUserId: 500,
	};
}

/** A bundle through the model's own parser, so defaults ([] lists, {} extras) apply as in a reader. */
export function bundle(input: Record<string, unknown>): Bundle {
	return PatientBundle.parse({ kind: 'patientBundle', ...input });
}

export function patient(
	system: 'dental-exec' | 'dentadmin',
	id: string,
	fields: Record<string, unknown> = {},
) {
	return {
		sourceSystem: system,
		sourceId: id,
		sourceKey: `${system}:patient:${id}`,
		lastName: 'Peeters',
		...fields,
	};
}

export function record(
	system: 'dental-exec' | 'dentadmin',
	entity: string,
	id: string,
	patientId: string,
) {
	return {
		sourceSystem: system,
		sourceId: id,
		sourceKey: `${system}:${entity}:${id}`,
		patientKey: `${system}:patient:${patientId}`,
	};
}

export function appointmentRecord(
	system: 'dental-exec' | 'dentadmin',
	id: string,
	patientId: string,
	fields: Partial<Appointment>,
) {
	return {
		...record(system, 'appointment', id, patientId),
		start: '2026-03-05T14:30:00Z',
		...fields,
	};
}

export function specWith(
	system: 'dental-exec' | 'dentadmin',
	change: (spec: MappingSpec) => void = () => {},
): MappingSpec {
	const spec = defaultSpec(system, TODAY);
	spec.schema.customFields = spec.schema.customFields.map((field) =>
		field.name === 'Referral source'
			? { ...field, options: ['Friend or family', 'Website'] }
			: field,
	);
	spec.valueMaps.referralSources = { FRIEND: 'Friend or family', WEB: 'Website' };
	change(spec);
	return spec;
}

export function transform(
	input: Bundle,
	spec: MappingSpec = specWith(input.sourceSystem),
	ownerMap: OwnerMap = owners,
): Plan {
	return transformBundle(input, {
		spec,
		confirmedSpecHash: specHash(spec),
		registry: registryFor(spec),
		owners: ownerMap,
	});
}

export function operation(
	plan: Plan,
	object: PlanOperation['object'],
	key?: string,
): PlanOperation {
	const found = plan.operations.find(
		(op) => op.object === object && (key === undefined || op.key === key),
	);
	if (found === undefined) throw new Error(`no ${object} operation ${key ?? ''} in the plan`);
	return found;
}

/** `custom_fields` key of a field in the test registry. */
export const cf = (object: string, name: string) => fakeKey(object, name);
