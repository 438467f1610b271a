import type { Parameters } from './workflow';

/**
 * What differs between the two sources' templates, and nothing else: every step is laid out once
 * in steps.ts and filled in from this table. A difference that is not here is not deliberate.
 */
export interface SourceTable {
	/** `sourceSystem` of the Mapper and Provisioner, and the folder under workflows/. */
	source: 'dental-exec' | 'dentadmin';
	/** The system's name in workflow names and notes. */
	label: string;
	/** Prefix of the workflow ids (n8n imports by id). */
	workflowIdPrefix: string;
	reader: {
		name: string;
		type: string;
		/** Reader parameters besides the shared folder, entities and options. */
		parameters: Parameters;
	};
	/** Default values of Migration settings. */
	settings: { exportDir: string; sampleSize: number; currency: string; timeZone: string };
	/** Notes of step 1, which describe the source's export. */
	extractNotes: {
		settings: { height: number; content: string };
		reader: { height: number; content: string };
		outputs: { height: number; content: string };
	};
}

const SETTINGS_NOTE_COMMON = `- **leadRecencyMonths**: no visit for this many months plus an open plan → the patient also becomes a Lead. Seeds the proposal (step 3): from then on the confirmed spec's rule applies.
- **today**: the date that rule counts back from (YYYY-MM-DD), empty = the day of the run. It is part of the map and its hash: steps 4, 5 and delta set it to the \`today\` step 3 printed with the hash, and an unattended migration that spans days (confirmUnattended) sets it, so every run proposes the same map.`;
const SETTINGS_NOTE_TAIL = `- **journalDir**: folder of the embedded audit journal (steps 4–5, rollback).
- **confirmUnattended**: allow a scheduled run to commit without a person confirming the map.
- **rollbackScope**: \`migration\` (everything) or \`run\` (one run).
- **conflictPolicy**: a field staff changed in Pipedrive since the migration wrote it: \`keep-pipedrive\` (default, reported), \`source-wins\` or \`stop\`.
- **practiceWork**: rollback when staff changed migrated records or added their own to them: \`stop\` (default: nothing deleted, the list returned), \`keep\` or \`include\`.
- **runId**: empty = a new run id is made.`;

export const dentalExec: SourceTable = {
	source: 'dental-exec',
	label: 'Dental-Exec',
	workflowIdPrefix: 'dentalExec',
	reader: {
		name: 'Dental-Exec Reader',
		type: 'n8n-nodes-dental-pipedrive.dentalExecReader',
		parameters: {},
	},
	settings: {
		exportDir: 'samples/dental-exec',
		sampleSize: 200,
		currency: 'USD',
		timeZone: 'America/New_York',
	},
	extractNotes: {
		settings: {
			height: 560,
			content: `## Migration settings
Everything a consultant changes per client lives in **Migration settings**; every template uses the same names.
- **exportDir**: the Dental-Exec export folder on the n8n host. A relative path is resolved against the n8n process's working directory: \`samples/dental-exec\` is the bundled sample when run from the repository root (\`npm run workflow\`). In n8n, use an absolute path.
- **sampleSize**: patients in the sample migration (step 4).
${SETTINGS_NOTE_COMMON}
- **fallbackOwnerEmail**: Pipedrive user who owns records of providers without an account; empty: the connected user. Seeds the proposal (step 3) like leadRecencyMonths.
- **currency**: ISO code of amounts without their own currency. The reader reads amounts in it and it seeds the proposal (step 3) like leadRecencyMonths.
${SETTINGS_NOTE_TAIL}
- **timeZone**: IANA zone of the practice's local times; they are converted to UTC.`,
		},
		reader: {
			height: 300,
			content: `## 1. Extract and validate
**Dental-Exec Reader** reads the twelve CSV files (encoding, delimiter and date order are detected per file), validates every row and links records to their patient.
Bad rows are quarantined and listed in the report with file, line, column and how to fix them; good rows go on. Nothing is dropped silently.`,
		},
		outputs: {
			height: 300,
			content: `## Outputs
**Records**: one item per practice, provider and referral source, and one per patient bundle (the patient with appointments, plans, claims, payments, notes, tasks, lab cases and documents).
**Report**: the validation report: per file rows read / accepted / quarantined, missing and extra columns, encoding, delimiter, date format; every issue; possible duplicate patients. Review it with the practice before step 2.`,
		},
	},
};

export const dentAdmin: SourceTable = {
	source: 'dentadmin',
	label: 'DentAdmin',
	workflowIdPrefix: 'dentAdmin',
	reader: {
		name: 'DentAdmin Reader',
		type: 'n8n-nodes-dental-pipedrive.dentAdminReader',
		parameters: { practiceName: 'Practice', includeNationalNumber: false },
	},
	settings: {
		exportDir: 'samples/dentadmin/nl',
		sampleSize: 50,
		currency: 'EUR',
		timeZone: 'Europe/Brussels',
	},
	extractNotes: {
		settings: {
			height: 580,
			content: `## Migration settings
Everything a consultant changes per client lives in **Migration settings**; every template uses the same names.
- **exportDir**: the DentAdmin export folder on the n8n host (Dutch or French, Windows-1252 or UTF-8 with BOM). A relative path is resolved against the n8n process's working directory: \`samples/dentadmin/nl\` is the bundled Dutch sample and \`samples/dentadmin/fr\` the French one when run from the repository root (\`npm run workflow\`). In n8n, use an absolute path.
- **sampleSize**: patients in the sample migration (step 4; DentAdmin typically 50).
${SETTINGS_NOTE_COMMON}
- **fallbackOwnerEmail**: Pipedrive user who owns records of users without an account; empty: the connected user. Seeds the proposal (step 3) like leadRecencyMonths.
- **currency**: ISO code of the amounts (EUR).
${SETTINGS_NOTE_TAIL}
- **timeZone**: the practice's zone (Europe/Brussels); local times become UTC, right across daylight-saving changes.`,
		},
		reader: {
			height: 580,
			content: `## 1. Extract and validate
**DentAdmin Reader** reads the CSV files of the export (Dutch or French headers, never mixed in one file; \`;\`; dd/mm/yyyy; decimal comma), validates every row and links records to their patient.
Belgian checks: RIZIV/INAMI codes against the bundled nomenclature *as of the treatment date*, mutuality codes and their union, the national register number (mod-97, BIS); a recurring appointment becomes one appointment per occurrence.
The national register number is validated but **left out** unless *Include National Register Number* is on.
For the API instead of files, set Input to *DentAdmin API* and pick a **DentAdmin API** credential.
Bad rows are quarantined and listed in the report with file, line, column and how to fix them; good rows go on.`,
		},
		outputs: {
			height: 580,
			content: `## Outputs
**Records**: one item for the practice, one per user (provider) and mutuality (insurer), and one per patient bundle (the patient with appointments, treatment plans with their treatments, notes and documents).
**Report**: the validation report: per file rows read / accepted / quarantined, missing and extra columns, encoding, delimiter, date format; every issue with file, line and column; possible duplicate patients. Review it with the practice before step 2.`,
		},
	},
};

export const SOURCES: SourceTable[] = [dentalExec, dentAdmin];
