import type { SourceSystem } from '../../model';

/**
 * Keys of plan operations that have no source record of their own. `sourceKey()` in lib/model
 * builds keys of source records only; these derive from one, so they stay stable across runs.
 */

/** An organization named in a patient record (employer, referring dentist's practice). */
export function namedOrganizationKey(
	system: SourceSystem,
	role: 'employer' | 'referring-dentist',
	name: string,
): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return `${system}:organization:${role}:${slug}`;
}

/** The lead a patient's outstanding plan gets (the plan's deal keeps the plan's own key). */
export function leadKey(planKey: string): string {
	return `${planKey}:lead`;
}

/** The note holding a lab case's long prescription. */
export function prescriptionNoteKey(labCaseKey: string): string {
	return `${labCaseKey}:prescription`;
}
