import type { SourceProfile } from '../common';
import {
	appointmentsFile,
	claimsFile,
	documentsFile,
	labCasesFile,
	notesFile,
	paymentsFile,
	tasksFile,
	treatmentPlansFile,
} from './childFiles';
import { patientsFile } from './patientFile';
import { practicesFile, providersFile, referralSourcesFile } from './referenceFiles';

/**
 * Dental-Exec, as in ../shared/reference/exports/dental-exec.md: a folder of twelve CSV files,
 * only patients.csv mandatory; US dates (MM/DD/YYYY, newer versions YYYY-MM-DD); dollar amounts.
 */
export const dentalExecProfile: SourceProfile = {
	system: 'dental-exec',
	languages: ['en'],
	defaultDateOrder: 'MDY',
	moneyStyle: 'dot',
	defaultCurrency: 'USD',
	defaultTimeZone: 'America/New_York',
	files: [
		practicesFile,
		providersFile,
		referralSourcesFile,
		patientsFile,
		appointmentsFile,
		treatmentPlansFile,
		claimsFile,
		paymentsFile,
		notesFile,
		tasksFile,
		labCasesFile,
		documentsFile,
	],
};
