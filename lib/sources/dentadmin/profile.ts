import type { Patient, PatientBundle } from '../../model';
import { assembleBundle, type ChildRecord, type FileSpec, type SourceProfile } from '../common';
import { appointmentsFile } from './appointments';
import { LANGUAGES } from './columns';
import { documentsFile } from './documents';
import { mutualitiesFile } from './insurers';
import { notesFile } from './notes';
import { patientsFile } from './patients';
import { mergeTreatmentPlans } from './plans';
import { bundledRizivNomenclature, type RizivNomenclature } from './riziv';
import { treatmentsFile } from './treatments';
import { usersFile } from './providers';

export interface DentAdminProfileOptions {
	/** Copy the (validated) national register number into the patient; off by default. */
	includeNationalNumber?: boolean;
	/** RIZIV/INAMI table to check codes against; the bundled one by default. */
	nomenclature?: RizivNomenclature;
	/** Receives the mutuality codes patients use (see read.ts). */
	mutualityCodes?: Set<string>;
	/**
	 * The export's file names. The report names a file by its profile name, and DentAdmin's differ
	 * per language, so each file is named as it is in this export (`patients.csv` in a French one).
	 */
	filesPresent?: readonly string[];
}

/**
 * The DentAdmin export layout (shared/reference/exports/dentadmin.md) as a profile for the common
 * driver: Dutch or French headers (never mixed in one file), `;`, dd/mm/yyyy, decimal comma,
 * Europe/Brussels local times.
 */
export function dentAdminProfile(options: DentAdminProfileOptions = {}): SourceProfile {
	const files = namedAsPresent(options.filesPresent ?? [], [
		patientsFile({
			includeNationalNumber: options.includeNationalNumber === true,
			mutualityCodes: options.mutualityCodes,
		}),
		mutualitiesFile,
		usersFile,
		treatmentsFile(options.nomenclature ?? bundledRizivNomenclature()),
		appointmentsFile,
		notesFile,
		documentsFile,
	]);
	const profile: SourceProfile = {
		system: 'dentadmin',
		languages: LANGUAGES,
		forbidMixedLanguages: true,
		defaultDateOrder: 'DMY',
		moneyStyle: 'comma',
		defaultCurrency: 'EUR',
		defaultTimeZone: 'Europe/Brussels',
		files,
		assemble: (patient: Patient, children: ReadonlyMap<string, ChildRecord[]>): PatientBundle => {
			const bundle = assembleBundle(profile, patient, children);
			return { ...bundle, treatmentPlans: mergeTreatmentPlans(bundle.treatmentPlans) };
		},
	};
	return profile;
}

function namedAsPresent(present: readonly string[], files: FileSpec[]): FileSpec[] {
	const byLowerName = new Map(present.map((name) => [name.toLowerCase(), name]));
	return files.map((spec) => {
		const name = spec.fileNames
			.map((candidate) => byLowerName.get(candidate.toLowerCase()))
			.find(Boolean);
		return name === undefined ? spec : { ...spec, name };
	});
}
