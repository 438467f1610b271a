import { compareText } from '../order';
import type { ReferenceEntity } from '../../model';
import type { MappingSpec } from '../spec';
import { FIELD } from '../defaults/common';

/**
 * Brief Dental-Exec row 10: the referral pick-list (referral_sources.csv) becomes the options of
 * the referral enum field, code by code. Returns a new spec; the input is not changed.
 */
export function withReferralSources(
	spec: MappingSpec,
	references: readonly ReferenceEntity[],
): MappingSpec {
	const sources = references
		.filter((entity) => entity.kind === 'referralSource')
		.sort((a, b) => compareText(a.sourceKey, b.sourceKey));
	if (sources.length === 0) return spec;
	const referralSources = { ...spec.valueMaps.referralSources };
	for (const source of sources) referralSources[source.code] = source.label;
	const labels = [...new Set(Object.values(referralSources))];
	return {
		...spec,
		valueMaps: { ...spec.valueMaps, referralSources },
		schema: {
			...spec.schema,
			customFields: spec.schema.customFields.map((field) =>
				field.object === 'person' && field.name === FIELD.referralSource
					? { ...field, options: labels }
					: field,
			),
		},
	};
}
