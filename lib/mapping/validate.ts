import { SOURCE_KEY_FIELD_NAME, SOURCE_KEY_FIELD_OBJECTS } from '../pipedrive/schemaRequirements';
import { CANONICAL_FIELDS, isCanonicalFieldName } from './canonicalFields';
import type { CanonicalFieldName } from './canonicalFields';
import { MappingSpec, STANDARD_FIELDS, isCustomTarget, isStandardTarget } from './spec';
import type { CustomTarget } from './spec';

export interface SpecValidation {
	ok: boolean;
	spec?: MappingSpec;
	/** One line per problem: where in the spec (dot path), what is wrong, how to fix it. */
	problems: string[];
}

/** Which value map feeds the options of each pick-list canonical field. */
function optionLabels(spec: MappingSpec): Partial<Record<CanonicalFieldName, string[]>> {
	const maps = spec.valueMaps;
	return {
		'patient.status': Object.values(maps.patientStatuses),
		'latestPlan.status': Object.values(maps.planStatusLabels),
		'labCases.status': Object.values(maps.labCaseStatuses),
		'patient.medicalAlerts': Object.values(maps.medicalAlerts),
		'treatmentPlan.paymentStatus': Object.values(maps.paymentStatuses),
		'patient.referralSource': Object.values(maps.referralSources),
		'patient.coPayment.thirdPartyPayer': Object.values(maps.yesNo),
	};
}

/**
 * Validate a spec document: its shape (zod) and that its parts agree with each other — every
 * target field is declared in `schema`, every value-map label is an option of its field, every
 * activity type and stage exists — so a confirmed spec cannot fail half-way through a migration.
 */
export function validateSpec(document: unknown): SpecValidation {
	const parsed = MappingSpec.safeParse(document);
	if (!parsed.success)
		return {
			ok: false,
			problems: parsed.error.issues.map(
				(issue) => `${issue.path.join('.') || '(spec)'}: ${issue.message}`,
			),
		};
	const spec = parsed.data;
	const problems: string[] = [];
	const declared = new Map(spec.schema.customFields.map((f) => [`${f.object}:${f.name}`, f]));
	const seen = new Set<string>();
	for (const field of spec.schema.customFields) {
		const id = `${field.object}:${field.name}`;
		if (seen.has(id))
			problems.push(
				`schema.customFields: "${field.name}" is declared twice on ${field.object}; keep one.`,
			);
		seen.add(id);
		if (
			(field.fieldType === 'enum' || field.fieldType === 'set') &&
			(field.options ?? []).length === 0
		)
			problems.push(
				`schema.customFields: ${field.object} field "${field.name}" has no options; run Propose on the export or list its options.`,
			);
	}
	for (const object of SOURCE_KEY_FIELD_OBJECTS)
		if (!declared.has(`${object}:${SOURCE_KEY_FIELD_NAME}`))
			problems.push(
				`schema.customFields: declare "${SOURCE_KEY_FIELD_NAME}" (varchar) on ${object}.`,
			);

	const checkCustom = (where: string, target: CustomTarget) => {
		if (!declared.has(`${target.object}:${target.custom}`))
			problems.push(
				`${where}: custom field "${target.custom}" is not declared on ${target.object} in schema.customFields.`,
			);
	};
	const labels = optionLabels(spec);
	for (const [name, target] of Object.entries(spec.fields)) {
		const where = `fields.${name}`;
		if (!isCanonicalFieldName(name)) {
			problems.push(
				`${where}: not a canonical field; see lib/mapping/canonicalFields.ts for the names.`,
			);
			continue;
		}
		const canonical = CANONICAL_FIELDS[name];
		if ('exclude' in target) continue;
		if (target.object !== canonical.object) {
			problems.push(
				`${where}: this value belongs on a ${canonical.object}, not a ${target.object}.`,
			);
			continue;
		}
		if (isStandardTarget(target)) {
			const allowed: readonly string[] = STANDARD_FIELDS[target.object];
			if (!allowed.includes(target.standard))
				problems.push(
					`${where}: "${target.standard}" is not a standard ${target.object} field (use one of ${allowed.join(', ')}).`,
				);
			continue;
		}
		if (!isCustomTarget(target)) continue;
		checkCustom(where, target);
		const field = declared.get(`${target.object}:${target.custom}`);
		const wanted = labels[name];
		if (field && wanted && (field.fieldType === 'enum' || field.fieldType === 'set'))
			for (const label of wanted)
				if (!(field.options ?? []).includes(label))
					problems.push(
						`${where}: value-map label "${label}" is not an option of "${field.name}"; add it to the field options.`,
					);
	}
	spec.unknownColumns.forEach((column, index) => {
		if (isCustomTarget(column.target)) checkCustom(`unknownColumns.${index}`, column.target);
	});
	const activityTypes = new Set(spec.schema.activityTypes.map((t) => t.name));
	const kinds = [
		...Object.entries(spec.valueMaps.appointmentTypes).map(
			([k, v]) => [`valueMaps.appointmentTypes.${k}`, v] as const,
		),
		['valueMaps.appointmentTypeFallback', spec.valueMaps.appointmentTypeFallback] as const,
		['valueMaps.labCase', spec.valueMaps.labCase] as const,
	];
	for (const [where, kind] of kinds)
		if (!activityTypes.has(kind.activityType))
			problems.push(
				`${where}: activity type "${kind.activityType}" is not in schema.activityTypes.`,
			);
	for (const [status, outcome] of Object.entries(spec.valueMaps.planStatuses))
		if (!spec.schema.pipeline.stages.includes(outcome.stage))
			problems.push(
				`valueMaps.planStatuses.${status}: stage "${outcome.stage}" is not in schema.pipeline.stages.`,
			);
	return problems.length === 0 ? { ok: true, spec, problems } : { ok: false, spec, problems };
}
