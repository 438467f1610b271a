import { createHash } from 'node:crypto';
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
	const folded = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();
	const slug = folded.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
	// Letters the slug cannot spell (Cyrillic, Greek, ø, ß) would vanish, and every such name
	// would share one key, so one organization: those names also carry a hash of their letters.
	// Names in Latin letters keep the key they always had (a re-run must find their organization).
	const letters = folded.replace(/[^\p{L}\p{N}]+/gu, '');
	if (!/[^\p{ASCII}]/u.test(letters)) return `${system}:organization:${role}:${slug}`;
	const hash = createHash('sha256').update(letters).digest('hex').slice(0, 12);
	return `${system}:organization:${role}:${slug ? `${slug}-` : ''}${hash}`;
}

/** The lead a patient's outstanding plan gets (the plan's deal keeps the plan's own key). */
export function leadKey(planKey: string): string {
	return `${planKey}:lead`;
}

/** The note holding a lab case's long prescription. */
export function prescriptionNoteKey(labCaseKey: string): string {
	return `${labCaseKey}:prescription`;
}
