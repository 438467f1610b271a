import type { Patient, PatientBundle } from '../../model';
import type { BundleCollection, ChildRecord, SourceProfile } from './profile';

/**
 * The default assembly: each child file's records go into the collection its FileSpec names.
 * Records were validated one by one when read, so the bundle is put together without a re-parse.
 */
export function assembleBundle(
	profile: SourceProfile,
	patient: Patient,
	children: ReadonlyMap<string, ChildRecord[]>,
): PatientBundle {
	const collections: Partial<Record<BundleCollection, ChildRecord[]>> = {};
	for (const spec of profile.files) {
		if (spec.role !== 'child') continue;
		const records = children.get(spec.name);
		if (records && records.length > 0) (collections[spec.collection] ??= []).push(...records);
	}
	return {
		kind: 'patientBundle',
		sourceSystem: profile.system,
		bundleKey: patient.sourceKey,
		patient,
		appointments: [],
		treatmentPlans: [],
		claims: [],
		payments: [],
		notes: [],
		tasks: [],
		labCases: [],
		documents: [],
		...collections,
	} as PatientBundle;
}
