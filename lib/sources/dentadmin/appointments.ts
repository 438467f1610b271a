import { DateTime } from 'luxon';
import type { Appointment } from '../../model';
import {
	PATIENT_BIRTH_DATE,
	type BuildContext,
	type ChildFileSpec,
	type SourceRow,
} from '../common';
import { column } from './columns';
import { key, PRACTICE_KEY } from './keys';
import { expandOccurrences, parseRecurrence } from './recurrence';

/** Built-in appointment types, normalised to language-neutral values. */
const TYPES: Record<string, string> = {
	Controle: 'checkup',
	Contrôle: 'checkup',
	Behandeling: 'treatment',
	Traitement: 'treatment',
	Consultatie: 'consultation',
	Consultation: 'consultation',
};

const STATUSES: Record<string, string> = {
	Gepland: 'scheduled',
	Planifié: 'scheduled',
	Bevestigd: 'confirmed',
	Confirmé: 'confirmed',
	Afgewerkt: 'completed',
	Voltooid: 'completed',
	Terminé: 'completed',
	Geannuleerd: 'cancelled',
	Annulé: 'cancelled',
	'Niet verschenen': 'no-show',
	Absent: 'no-show',
};

export const APPOINTMENT_COLUMNS = [
	column('appointmentId', 'AfspraakNr', 'NoRendezVous', 'text', { required: true }),
	column('patientId', ['PatiëntNr', 'PatientNr'], 'NoPatient', 'text', { required: true }),
	column('start', 'Begin', 'Debut', 'dateTime', {
		required: true,
		happened: { when: { field: 'status', values: ['completed', 'no-show'] } },
	}),
	column('end', 'Einde', 'Fin', 'dateTime'),
	column('type', 'Type', 'Type', 'choice', { values: TYPES, openValues: true }),
	column('dentist', 'Tandarts', 'Dentiste', 'text'),
	column('location', 'Locatie', 'Lieu', 'text'),
	column('note', 'Notitie', 'Remarque', 'text'),
	column('recurrence', 'Herhaling', 'Repetition', 'text'),
	column('status', 'Status', 'Statut', 'choice', { values: STATUSES }),
	column('modifiedAt', 'Gewijzigd', 'ModifieLe', 'dateTime', { happened: true }),
];

export const appointmentsFile: ChildFileSpec = {
	role: 'child',
	name: 'afspraken.csv',
	fileNames: ['afspraken.csv', 'rendezvous.csv'],
	entity: 'appointment',
	columns: APPOINTMENT_COLUMNS,
	idField: 'appointmentId',
	modifiedField: 'modifiedAt',
	patientField: 'patientId',
	collection: 'appointments',
	dateOrder: [[PATIENT_BIRTH_DATE, 'start', 'end']],
	build: buildAppointments,
};

/**
 * One row gives one appointment, or one per occurrence of a recurring series
 * (`<id>#1` … `<id>#n`, stable across runs); a recurrence that cannot be expanded keeps the
 * single appointment and is reported.
 */
function buildAppointments(row: SourceRow, ctx: BuildContext): Appointment[] {
	const id = row.text('appointmentId') as string;
	const start = row.dateTime('start') as string;
	const end = row.dateTime('end');
	// An end before the start is reported by the file's dateOrder; the duration is then left empty.
	const durationMinutes = end === undefined ? undefined : minutesBetween(start, end);
	const typeLabel = row.text('type');
	const type = row.choice('type');
	const dentist = row.text('dentist');
	const base: Appointment = {
		sourceSystem: 'dentadmin',
		sourceId: id,
		sourceKey: key('appointment', id),
		origin: { file: row.file, line: row.line },
		extra: row.extra,
		modifiedAt: row.dateTime('modifiedAt'),
		patientKey: key('patient', row.text('patientId') as string),
		start,
		end,
		durationMinutes:
			durationMinutes !== undefined && durationMinutes >= 0 ? durationMinutes : undefined,
		// Built-in types become `checkup`/`treatment`/`consultation` in either language; a
		// practice-defined type is `other` and keeps the practice's word.
		type: typeLabel === undefined ? undefined : (type ?? 'other'),
		typeLabel: type === undefined ? typeLabel : undefined,
		status: row.choice('status') as Appointment['status'],
		providerKey: dentist === undefined ? undefined : key('provider', dentist),
		practiceKey: PRACTICE_KEY,
		location: row.text('location'),
		notes: row.text('note'),
		procedureCodes: [],
	};
	const recurrenceText = row.text('recurrence');
	if (recurrenceText === undefined) return [base];
	const recurrence = parseRecurrence(recurrenceText);
	if (!recurrence.ok) {
		const why = {
			'missing-count': 'has no count (write e.g. wekelijks;4 or hebdomadaire;4)',
			'bad-count': 'has a count that is not a whole number from 1 to 104',
			'unknown-frequency':
				'has a frequency word that is not daily, weekly, monthly or yearly in Dutch or French',
		}[recurrence.problem];
		ctx.issue(
			'warning',
			ctx.header('recurrence'),
			`recurrence-${recurrence.problem}`,
			`The recurrence ${why}: only this one appointment is migrated; fix the series in DentAdmin to migrate every occurrence.`,
		);
		return [base];
	}
	const starts = expandOccurrences(
		DateTime.fromISO(start),
		recurrence.frequency,
		recurrence.count,
		ctx.timeZone,
	);
	return starts.map((occurrenceStart, index) => {
		const occurrence = index + 1;
		const startIso = isoUtc(occurrenceStart);
		return {
			...base,
			sourceId: `${id}#${occurrence}`,
			sourceKey: key('appointment', `${id}#${occurrence}`),
			start: startIso,
			end:
				base.durationMinutes === undefined
					? undefined
					: isoUtc(occurrenceStart.plus({ minutes: base.durationMinutes })),
			recurrence: { frequency: recurrence.frequency, count: recurrence.count, occurrence },
		};
	});
}

function minutesBetween(start: string, end: string): number {
	return Math.round(DateTime.fromISO(end).diff(DateTime.fromISO(start), 'minutes').minutes);
}

function isoUtc(instant: DateTime): string {
	return instant.toUTC().toISO({ suppressMilliseconds: true }) as string;
}
