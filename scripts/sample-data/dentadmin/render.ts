import type { FileSpec } from '../../../lib/sources/common';
import type { Language } from '../../../lib/sources/dentadmin/columns';
import { dentAdminProfile } from '../../../lib/sources/dentadmin/profile';
import type { GeneratedPractice, Row } from './practice';

type Entity = keyof Omit<GeneratedPractice, 'files' | 'defects'>;

/** Which profile file each generated entity is written as (headers and names come from the profile). */
export const ENTITY_FILES: Record<Entity, string> = {
	patients: 'patienten.csv',
	mutualities: 'mutualiteiten.csv',
	users: 'gebruikers.csv',
	treatments: 'behandelingen.csv',
	appointments: 'afspraken.csv',
	notes: 'notities.csv',
	documents: 'documenten.csv',
};

/** The words DentAdmin writes for fixed values, per language (anything else is written as is). */
const WORDS: Record<string, Record<string, Record<Language, string>>> = {
	'patients.gender': { F: { nl: 'V', fr: 'F' } },
	'patients.country': { BE: { nl: 'België', fr: 'Belgique' } },
	'patients.thirdPartyPayer': { yes: { nl: 'J', fr: 'O' }, no: { nl: 'N', fr: 'N' } },
	'users.active': { yes: { nl: 'J', fr: 'O' }, no: { nl: 'N', fr: 'N' } },
	'users.role': {
		dentist: { nl: 'Tandarts', fr: 'Dentiste' },
		assistant: { nl: 'Assistente', fr: 'Assistante' },
		secretary: { nl: 'Secretariaat', fr: 'Secrétariat' },
	},
	'treatments.status': {
		planned: { nl: 'Gepland', fr: 'Planifié' },
		performed: { nl: 'Uitgevoerd', fr: 'Effectué' },
		cancelled: { nl: 'Geannuleerd', fr: 'Annulé' },
	},
	'appointments.type': {
		checkup: { nl: 'Controle', fr: 'Contrôle' },
		treatment: { nl: 'Behandeling', fr: 'Traitement' },
		consultation: { nl: 'Consultatie', fr: 'Consultation' },
	},
	'appointments.status': {
		scheduled: { nl: 'Gepland', fr: 'Planifié' },
		confirmed: { nl: 'Bevestigd', fr: 'Confirmé' },
		completed: { nl: 'Afgewerkt', fr: 'Terminé' },
		cancelled: { nl: 'Geannuleerd', fr: 'Annulé' },
		'no-show': { nl: 'Niet verschenen', fr: 'Absent' },
	},
	'appointments.recurrence': {
		'weekly;4': { nl: 'wekelijks;4', fr: 'hebdomadaire;4' },
		'monthly;6': { nl: 'maandelijks;6', fr: 'mensuel;6' },
		weekly: { nl: 'wekelijks', fr: 'hebdomadaire' },
	},
};

export interface RenderedFile {
	/** The file name in the chosen language (`patienten.csv` / `patients.csv`). */
	fileName: string;
	headers: string[];
	/** Records keyed by header, empty cells left out: the CSV rows and the API's JSON records. */
	records: Record<string, string>[];
}

/** The practice as DentAdmin would export it in one language. */
export function renderPractice(
	practice: GeneratedPractice,
	language: Language,
): Record<Entity, RenderedFile> {
	const specs = new Map<string, FileSpec>(
		dentAdminProfile().files.map((spec) => [spec.name, spec]),
	);
	const languageIndex = language === 'nl' ? 0 : 1;
	const rendered = {} as Record<Entity, RenderedFile>;
	for (const [entity, specName] of Object.entries(ENTITY_FILES) as [Entity, string][]) {
		const spec = specs.get(specName) as FileSpec;
		const columns = spec.columns.map((column) => ({
			field: column.field,
			header: column.headers[language][0],
		}));
		rendered[entity] = {
			fileName: spec.fileNames[languageIndex],
			headers: columns.map((column) => column.header),
			records: practice[entity].map((row: Row) => {
				const record: Record<string, string> = {};
				for (const { field, header } of columns) {
					const value = row[field];
					if (value !== undefined)
						record[header] = WORDS[`${entity}.${field}`]?.[value]?.[language] ?? value;
				}
				return record;
			}),
		};
	}
	return rendered;
}
