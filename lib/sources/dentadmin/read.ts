import type { Insurer, PatientBundle, Practice, ReferenceEntity } from '../../model';
import {
	readExport,
	type ExportSource,
	type ReadOptions,
	type ReadResult,
	type SourceProfile,
} from '../common';
import { completeInsurers } from './insurers';
import { PRACTICE_ID, PRACTICE_KEY } from './keys';
import { dentAdminProfile, type DentAdminProfileOptions } from './profile';

export interface DentAdminReadOptions
	extends ReadOptions,
		Omit<DentAdminProfileOptions, 'mutualityCodes'> {
	/** DentAdmin exports no practice record: the one Practice is named by this option. */
	practiceName?: string;
}

export const DEFAULT_PRACTICE_NAME = 'Practice';

/**
 * Reads a DentAdmin export (CSV folder, in-memory files, or API records turned into files) with
 * the common driver, then adds what DentAdmin's export lacks: the Practice, and insurers that
 * patients reference but the mutuality file does not list.
 */
export async function readDentAdminExport(
	source: ExportSource,
	options: DentAdminReadOptions = {},
): Promise<ReadResult> {
	const { practiceName, includeNationalNumber, nomenclature, ...readOptions } = options;
	const mutualityCodes = new Set<string>();
	const profile = dentAdminProfile({
		includeNationalNumber,
		nomenclature,
		mutualityCodes,
		filesPresent: await listOrEmpty(source),
	});
	// A streamed read names the insurers page by page, from the whole export's insurers.
	let named: readonly Insurer[] | undefined;
	const spool = readOptions.spool && {
		...readOptions.spool,
		finishPage: (bundles: PatientBundle[], references: ReferenceEntity[]) =>
			withInsurerNames(
				bundles,
				(named ??= completeInsurers(
					references.filter((entity): entity is Insurer => entity.kind === 'insurer'),
					mutualityCodes,
					insurerFileName(profile),
				).insurers),
			),
	};
	const result = await readExport(profile, source, { ...readOptions, ...(spool ? { spool } : {}) });
	// Reference entities come with the first page only (the driver returns none for later pages);
	// a later page still needs the insurers' names for its patients.
	if (readOptions.page !== undefined && readOptions.page.offset > 0) {
		const named = await readExport(profile, source, {
			...readOptions,
			page: undefined,
			entities: ['insurer'],
		});
		const { insurers } = completeInsurers(
			named.references.filter((entity): entity is Insurer => entity.kind === 'insurer'),
			mutualityCodes,
			insurerFileName(profile),
		);
		return { ...result, bundles: withInsurerNames(result.bundles, insurers) };
	}
	const wantsInsurers =
		readOptions.entities === undefined || readOptions.entities.includes('insurer');
	const fromFile = result.references.filter(
		(entity): entity is Insurer => entity.kind === 'insurer',
	);
	const { insurers, issues } = wantsInsurers
		? completeInsurers(fromFile, mutualityCodes, insurerFileName(profile))
		: { insurers: fromFile, issues: [] };
	const practice: Practice = {
		kind: 'practice',
		sourceSystem: 'dentadmin',
		sourceId: PRACTICE_ID,
		sourceKey: PRACTICE_KEY,
		extra: {},
		name: practiceName?.trim() || DEFAULT_PRACTICE_NAME,
	};
	const wantsPractice =
		readOptions.entities === undefined || readOptions.entities.includes('practice');
	return {
		...result,
		bundles: withInsurerNames(result.bundles, insurers),
		references: [
			...(wantsPractice ? [practice] : []),
			...result.references.filter((entity) => entity.kind !== 'insurer'),
			...insurers,
		],
		report: { ...result.report, issues: [...result.report.issues, ...issues] },
	};
}

/**
 * Brief DentAdmin row 9: the patient's insurance names its insurer (the mutuality's name from the
 * insurer file, or its union's), so "insurer name / policy number" can be written as one field.
 */
function withInsurerNames(bundles: PatientBundle[], insurers: readonly Insurer[]): PatientBundle[] {
	const names = new Map(insurers.map((insurer) => [insurer.sourceKey, insurer.name]));
	return bundles.map((bundle) => {
		const insurance = bundle.patient.insurance;
		const name = insurance?.insurerKey && names.get(insurance.insurerKey);
		if (!insurance || insurance.carrier !== undefined || !name) return bundle;
		return {
			...bundle,
			patient: { ...bundle.patient, insurance: { ...insurance, carrier: name } },
		};
	});
}

/** The driver reports an unlistable export itself; here an empty list keeps the default names. */
async function listOrEmpty(source: ExportSource): Promise<string[]> {
	try {
		return await source.list();
	} catch {
		return [];
	}
}

function insurerFileName(profile: SourceProfile): string {
	return profile.files.find((spec) => spec.entity === 'insurer')?.name ?? 'mutualiteiten.csv';
}
