import type { Procedure, ProcedureCode, TreatmentPlan } from '../../model';
import {
	PATIENT_BIRTH_DATE,
	type BuildContext,
	type ChildFileSpec,
	type PatientOwnedKey,
	type SourceRow,
} from '../common';
import { column } from './columns';
import { key } from './keys';
import { checkRizivCode, RIZIV_FLAGS, type RizivNomenclature } from './riziv';

const STATUSES: Record<string, string> = {
	Gepland: 'planned',
	Planifié: 'planned',
	Uitgevoerd: 'performed',
	Effectué: 'performed',
	Geannuleerd: 'cancelled',
	Annulé: 'cancelled',
};

export const TREATMENT_COLUMNS = [
	column('treatmentId', 'BehandelingNr', 'NoTraitement', 'text', { required: true }),
	column('patientId', ['PatiëntNr', 'PatientNr'], 'NoPatient', 'text', { required: true }),
	column('date', 'Datum', 'Date', 'date', {
		// Planned treatments lie ahead; performed care has taken place.
		happened: { when: { field: 'status', values: ['performed'] } },
	}),
	column('rizivCode', ['RizivCode', 'RIZIV'], ['CodeInami', 'INAMI'], 'text'),
	column('description', 'Omschrijving', 'Description', 'text'),
	column('tooth', 'Tand', 'Dent', 'text'),
	column('amount', 'Bedrag', 'Montant', 'money', {
		negativeMayBe: 'a credit for an earlier treatment',
	}),
	column('coPayment', 'Remgeld', 'TicketModerateur', 'money'),
	column('dentist', 'Tandarts', 'Dentiste', 'text'),
	column('status', 'Status', 'Statut', 'choice', { values: STATUSES }),
	column('plan', 'Behandelplan', 'PlanTraitement', 'text'),
	column('modifiedAt', 'Gewijzigd', 'ModifieLe', 'dateTime', { happened: true }),
];

/**
 * Plan of a treatment without a plan number: the treatment is its own revenue event, so it gets
 * a plan of its own (one Deal), keyed by the treatment so the key is stable.
 */
export const singleTreatmentPlanId = (treatmentId: string) => `treatment-${treatmentId}`;

/**
 * The reference does not say whether plan numbers are per patient (the samples number them across
 * the export), and a plan's key is its number alone, which running migrations' journals hold. So
 * a number that treatments of two patients use is not split into two plans by a new key: its rows
 * are quarantined, and the practice gives each plan its own number. The message names no number:
 * like a repeated ID, the lines say where.
 */
const SHARED_PLAN: PatientOwnedKey = {
	field: 'plan',
	code: 'plan-shared-by-patients',
	message: (patients, rows) =>
		`This plan number is used by treatments of ${patients} patients (${rows}): a plan belongs to one patient, so these treatments were quarantined rather than merged into one deal for all of them. Give each patient's plan its own number in DentAdmin, then read the export again.`,
	pageScoped: 'plan numbers used by more than one patient',
};

/**
 * Each row becomes a one-procedure TreatmentPlan keyed by its plan number; the profile's
 * `assemble` merges the rows of one plan (see plans.ts).
 */
export function treatmentsFile(nomenclature: RizivNomenclature): ChildFileSpec {
	return {
		role: 'child',
		name: 'behandelingen.csv',
		fileNames: ['behandelingen.csv', 'traitements.csv'],
		entity: 'treatmentPlan',
		columns: TREATMENT_COLUMNS,
		idField: 'treatmentId',
		modifiedField: 'modifiedAt',
		patientField: 'patientId',
		collection: 'treatmentPlans',
		// Care cannot be given before birth (planned or performed).
		dateOrder: [[PATIENT_BIRTH_DATE, 'date']],
		// A plan's rows merge by its key in the patient's bundle (plans.ts): one patient's rows only.
		ownedKey: SHARED_PLAN,
		build: (row, ctx) => buildTreatment(row, ctx, nomenclature),
	};
}

function buildTreatment(
	row: SourceRow,
	ctx: BuildContext,
	nomenclature: RizivNomenclature,
): TreatmentPlan {
	const id = row.text('treatmentId') as string;
	const patientKey = key('patient', row.text('patientId') as string);
	const date = row.date('date');
	const dentist = row.text('dentist');
	const providerKey = dentist === undefined ? undefined : key('provider', dentist);
	const money = (amount: string | undefined) =>
		amount === undefined ? undefined : { amount, currency: ctx.currency };
	const procedure: Procedure = {
		sourceSystem: 'dentadmin',
		sourceId: id,
		sourceKey: key('procedure', id),
		origin: { file: row.file, line: row.line },
		extra: row.extra,
		modifiedAt: row.dateTime('modifiedAt'),
		code: rizivCode(row, ctx, date, nomenclature),
		description: row.text('description'),
		tooth: row.text('tooth'),
		date,
		fee: money(row.amount('amount')),
		coPayment: money(row.amount('coPayment')),
		status: row.choice('status') as Procedure['status'],
		providerKey,
	};
	const planId = row.text('plan') ?? singleTreatmentPlanId(id);
	return {
		sourceSystem: 'dentadmin',
		sourceId: planId,
		sourceKey: key('treatmentPlan', planId),
		origin: { file: row.file, line: row.line },
		extra: {},
		patientKey,
		providerKey,
		// The row's own stamp, so a treatment edited since the watermark brings its patient into a
		// delta (the plan's stamp is the newest of its rows once they are merged).
		modifiedAt: procedure.modifiedAt,
		// Settled for the whole plan when its rows are merged.
		status: 'proposed',
		procedures: [procedure],
		procedureCodes: [],
	};
}

function rizivCode(
	row: SourceRow,
	ctx: BuildContext,
	date: string | undefined,
	nomenclature: RizivNomenclature,
): ProcedureCode | undefined {
	const code = row.text('rizivCode');
	if (code === undefined) return undefined;
	const check = checkRizivCode(code, date, nomenclature);
	if (check === 'ok') return { system: 'RIZIV', code, flags: [] };
	const column = ctx.header('rizivCode');
	const fix =
		'the treatment still migrates, flagged; correct the code in DentAdmin if it is a typing error.';
	const messages = {
		'invalid-format': `RIZIV/INAMI code is not 6 digits: ${fix}`,
		unknown: `RIZIV/INAMI code is not in the nomenclature table: ${fix}`,
		'out-of-period': `RIZIV/INAMI code was not valid on the treatment date: ${fix}`,
	};
	ctx.issue('warning', column, RIZIV_FLAGS[check], messages[check]);
	return { system: 'RIZIV', code, flags: [RIZIV_FLAGS[check]] };
}
