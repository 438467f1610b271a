import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from './random';
import { CsvWriter, type Row } from './dental-exec/csvWriter';
import {
	APPOINTMENT_KINDS,
	CARRIERS,
	DENTISTS,
	EMAIL_DOMAINS,
	EMPLOYERS,
	FEMALE_NAMES,
	HYGIENISTS,
	LABS,
	LAST_NAMES,
	MALE_NAMES,
	NOTE_TEMPLATES,
	PLAN_TEMPLATES,
	PRACTICES,
	PROVIDERS,
	REFERRAL_SOURCES,
	SHADE_CHOICES,
	STREETS,
	TOWNS,
	labPrescription,
	type AppointmentKind,
	type PlanTemplate,
} from './dental-exec/vocabulary';

/** The sample's "today": recency (lapsed patients, leads) is measured from it, never from the clock. */
export const SAMPLE_TODAY = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

export interface DentalExecOptions {
	patients: number;
	seed: number;
	out: string;
}

/** A deliberate defect, documented in the sample's README so the report can be checked against it. */
export interface Defect {
	file: string;
	line: number;
	what: string;
	expected: string;
}

export const FILE_HEADERS: Record<string, readonly string[]> = {
	'patients.csv': [
		'PatientID',
		'LastName',
		'FirstName',
		'PreferredName',
		'DOB',
		'Gender',
		'Email',
		'HomePhone',
		'MobilePhone',
		'WorkPhone',
		'Address1',
		'Address2',
		'City',
		'State',
		'Zip',
		'Country',
		'PracticeID',
		'PrimaryProviderID',
		'Status',
		'FirstVisitDate',
		'LastVisitDate',
		'ReferralSource',
		'ReferringDentist',
		'Employer',
		'GuarantorID',
		'InsuranceCarrier',
		'PolicyNumber',
		'GroupNumber',
		'SubscriberID',
		'OutstandingBalance',
		'LastPaymentAmount',
		'LastPaymentDate',
		'AllergyFlag',
		'DrugInteractionFlag',
		'PremedFlag',
		'CreatedAt',
		'ModifiedAt',
		'PreferredContact',
	],
	'appointments.csv': [
		'AppointmentID',
		'PatientID',
		'StartDateTime',
		'ProviderID',
		'PracticeID',
		'DurationMinutes',
		'AppointmentType',
		'Status',
		'ProcedureCodes',
		'Notes',
		'CreatedAt',
		'ModifiedAt',
	],
	'treatment_plans.csv': [
		'PlanID',
		'PatientID',
		'ProviderID',
		'Status',
		'ProposedDate',
		'AcceptedDate',
		'CompletedDate',
		'EstimatedFee',
		'FinalFee',
		'Currency',
		'ProcedureCodes',
		'Teeth',
		'Notes',
		'ModifiedAt',
	],
	'claims.csv': [
		'ClaimID',
		'PatientID',
		'Carrier',
		'SubmittedDate',
		'Status',
		'BilledAmount',
		'PaidAmount',
		'ProcedureCodes',
		'ModifiedAt',
	],
	'payments.csv': ['PaymentID', 'PatientID', 'Amount', 'Date', 'Method', 'PlanID', 'ModifiedAt'],
	'notes.csv': [
		'NoteID',
		'PatientID',
		'Text',
		'AuthorProviderID',
		'CreatedAt',
		'Category',
		'ModifiedAt',
	],
	'tasks.csv': [
		'TaskID',
		'PatientID',
		'Type',
		'DueDate',
		'IntervalMonths',
		'Status',
		'Description',
		'AssignedProviderID',
		'ModifiedAt',
	],
	// Deliberate defect: this export version leaves out the optional ReceivedDate column.
	'lab_cases.csv': [
		'LabCaseID',
		'PatientID',
		'Lab',
		'CaseType',
		'SubmittedDate',
		'ExpectedReturnDate',
		'Status',
		'Prescription',
		'ProviderID',
		'ModifiedAt',
	],
	'documents.csv': [
		'DocumentID',
		'PatientID',
		'FileName',
		'RelativePath',
		'AppointmentID',
		'MimeType',
		'SizeBytes',
		'Category',
		'CreatedAt',
	],
};

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function usDate(time: number): string {
	const date = new Date(time);
	return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()}`;
}

/** Local wall-clock time as Dental-Exec writes it: `03/14/2026 09:30 AM`. */
function usDateTime(time: number, minutes: number): string {
	const hour = Math.floor(minutes / 60);
	const half = hour >= 12 ? 'PM' : 'AM';
	return `${usDate(time)} ${pad(hour % 12 === 0 ? 12 : hour % 12)}:${pad(minutes % 60)} ${half}`;
}

/** Dental-Exec's 24-hour stamp for created/modified columns. */
function stamp(time: number, minutes: number): string {
	return `${usDate(time)} ${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function dollars(amount: number, symbol: boolean): string {
	const fixed = amount.toFixed(2);
	if (!symbol) return fixed;
	const [whole, cents] = fixed.split('.');
	return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

function phone(random: SeededRandom, area: string): string {
	return `(${area}) 555-01${pad(random.int(0, 99))}`;
}

interface Writers {
	[file: string]: CsvWriter;
}

interface Member {
	id: string;
	first: string;
	last: string;
	gender: 'M' | 'F';
	birth: number;
	adult: boolean;
}

/** Sequences for record IDs; IDs are strings with leading zeros, as Dental-Exec writes them. */
class Ids {
	private counters = new Map<string, number>();
	next(entity: string, start: number, width = 6): string {
		const value = (this.counters.get(entity) ?? start) + 1;
		this.counters.set(entity, value);
		return pad(value, width);
	}
}

/**
 * Writes a deterministic Dental-Exec export (same options → same bytes) and returns its
 * deliberate defects. Rows are written as they are generated, so 100,000 patients need little memory.
 */
export function generateDentalExecExport(opts: DentalExecOptions): Defect[] {
	const random = new SeededRandom(opts.seed);
	const ids = new Ids();
	const defects: Defect[] = [];
	mkdirSync(join(opts.out, 'documents'), { recursive: true });

	writeReference(opts.out, 'practices.csv', PRACTICES);
	writeReference(opts.out, 'providers.csv', PROVIDERS);
	writeReference(opts.out, 'referral_sources.csv', REFERRAL_SOURCES);

	const writers: Writers = {};
	for (const [file, headers] of Object.entries(FILE_HEADERS))
		writers[file] = new CsvWriter(join(opts.out, file), headers);

	const duplicateIdAt = Math.floor(opts.patients * 0.3);
	const impossibleDateAt = Math.floor(opts.patients * 0.45);
	const duplicatePersonAt = Math.floor(opts.patients * 0.6);
	const oversizeDocumentAt = Math.floor(opts.patients * 0.2);
	let remembered: Row | undefined;
	let written = 0;
	while (written < opts.patients) {
		const size = Math.min(
			opts.patients - written,
			random.weighted([
				[1, 45],
				[2, 25],
				[3, 15],
				[4, 15],
			] as const),
		);
		const household = makeHousehold(random, ids, size);
		for (const member of household.members) {
			const index = written;
			written += 1;
			const row = patientRow(random, ids, writers, household, member, opts.out, {
				impossibleDate: index === impossibleDateAt,
				oversizeDocument: index === oversizeDocumentAt,
				document: index % 35 === 10,
				duplicateAppointment: index === duplicateIdAt,
				defects,
			});
			if (index === 5) remembered = row;
			if (index === duplicatePersonAt && remembered) {
				// Registered twice at the front desk: same person, new ID, a different mobile number.
				const twin = {
					...remembered,
					PatientID: ids.next('patient', 1000),
					MobilePhone: phone(random, '862'),
					Email: '',
					ModifiedAt: remembered.CreatedAt,
					PreferredContact: '',
				};
				const line = writers['patients.csv'].write(twin);
				defects.push({
					file: 'patients.csv',
					line,
					what: `patient ${twin.PatientID} is patient ${remembered.PatientID} registered again (same name and date of birth)`,
					expected:
						'listed in possibleDuplicates (reason "same name and date of birth"); both rows accepted',
				});
			}
		}
	}
	for (const writer of Object.values(writers)) writer.close();
	defects.push({
		file: 'lab_cases.csv',
		line: 1,
		what: 'the optional ReceivedDate column is missing',
		expected: 'warning missing-optional-column (column ReceivedDate)',
	});
	return defects.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function writeReference(out: string, file: string, rows: readonly Row[]): void {
	const writer = new CsvWriter(join(out, file), Object.keys(rows[0]));
	for (const row of rows) writer.write(row);
	writer.close();
}

interface Household {
	members: Member[];
	street: string;
	town: readonly [string, string, string];
	homePhone: string;
	familyEmail: string;
	practiceId: string;
	carrier: string | undefined;
	group: string;
}

function makeHousehold(random: SeededRandom, ids: Ids, size: number): Household {
	const last = random.pick(LAST_NAMES);
	const asciiLast = last
		.normalize('NFD')
		.replace(/[^A-Za-z]/g, '')
		.toLowerCase();
	const members: Member[] = [];
	for (let i = 0; i < size; i += 1) {
		const adult = i < Math.min(2, size) && (i === 0 || random.chance(0.7));
		const gender = random.pick(['F', 'M'] as const);
		const age = adult ? random.int(28, 78) : random.int(3, 17);
		// Siblings never share a first name: same name plus the family email would read as a duplicate.
		let first = random.pick(gender === 'F' ? FEMALE_NAMES : MALE_NAMES);
		while (members.some((member) => member.first === first))
			first = random.pick(gender === 'F' ? FEMALE_NAMES : MALE_NAMES);
		members.push({
			id: ids.next('patient', 1000),
			first,
			last,
			gender,
			birth: SAMPLE_TODAY - age * 365.25 * DAY - random.int(0, 364) * DAY,
			adult,
		});
	}
	return {
		members,
		street: `${random.int(2, 480)} ${random.pick(STREETS)}`,
		town: random.pick(TOWNS),
		homePhone: phone(random, '973'),
		familyEmail: `${asciiLast}.family${random.int(1, 99)}@${random.pick(EMAIL_DOMAINS)}`,
		practiceId: random.chance(0.7) ? '1' : '2',
		carrier: random.chance(0.8) ? random.pick(CARRIERS) : undefined,
		group: `G${random.int(10000, 99999)}`,
	};
}

interface PatientPlan {
	id: string;
	template: PlanTemplate;
	status: string;
	proposed: number;
	completed?: number;
	teeth: string;
}

function patientRow(
	random: SeededRandom,
	ids: Ids,
	writers: Writers,
	household: Household,
	member: Member,
	out: string,
	flags: {
		impossibleDate: boolean;
		oversizeDocument: boolean;
		document: boolean;
		duplicateAppointment: boolean;
		defects: Defect[];
	},
): Row {
	const status = random.weighted([
		['Active', 76],
		['Inactive', 15],
		['Archived', 7],
		['Deceased', 2],
	] as const);
	// Lapsed: no visit for over a year. Inactive and archived patients are lapsed by definition.
	const lapsed = status !== 'Active' || random.chance(0.18);
	const lastVisit = SAMPLE_TODAY - (lapsed ? random.int(400, 1500) : random.int(7, 320)) * DAY;
	const dentist = random.pick(DENTISTS);
	const hygienist = HYGIENISTS[household.practiceId];
	const guarantor = household.members[0];
	const ownEmail =
		member.adult && random.chance(0.6)
			? `${member.first
					.normalize('NFD')
					.replace(/[^A-Za-z]/g, '')
					.toLowerCase()}.${member.id}@${random.pick(EMAIL_DOMAINS)}`
			: household.familyEmail;
	const created = lastVisit - random.int(200, 2500) * DAY;

	// Visits every six months or so back from the last one; a future booking for active recent patients.
	const visits: number[] = [];
	for (let time = lastVisit, count = random.int(1, 6); count > 0 && time > created; count -= 1) {
		visits.unshift(time);
		time -= random.int(160, 220) * DAY;
	}
	const firstVisit = visits[0];
	let lastAppointmentId = '';
	for (const visit of visits) {
		const kind: AppointmentKind = random.weighted([
			['Hygiene', 55],
			['Recall', 10],
			['Restorative', 15],
			['Consultation', 8],
			['Emergency', 5],
			['Surgical', 3],
			['Whitening consult', 4],
		] as const);
		const appointmentStatus =
			visit === lastVisit
				? 'Completed'
				: random.weighted([
						['Completed', 85],
						['Cancelled', 8],
						['NoShow', 7],
					] as const);
		lastAppointmentId = writeAppointment(
			random,
			ids,
			writers,
			member,
			household,
			visit,
			kind,
			appointmentStatus,
			kind === 'Hygiene' ? hygienist : dentist,
		);
		if (household.carrier && appointmentStatus === 'Completed' && random.chance(0.35)) {
			const billed = APPOINTMENT_KINDS[kind].fee;
			writers['claims.csv'].write({
				ClaimID: ids.next('claim', 30000),
				PatientID: member.id,
				Carrier: household.carrier,
				SubmittedDate: usDate(visit + DAY),
				Status:
					visit > SAMPLE_TODAY - 30 * DAY
						? 'Sent'
						: random.weighted([
								['Paid', 80],
								['Denied', 10],
								['Received', 10],
							] as const),
				BilledAmount: dollars(billed, random.chance(0.5)),
				PaidAmount: dollars(Math.round(billed * 80) / 100, false),
				ProcedureCodes: APPOINTMENT_KINDS[kind].codes.join(';'),
				ModifiedAt: stamp(Math.min(visit + 20 * DAY, SAMPLE_TODAY - DAY), random.int(480, 1080)),
			});
		}
	}
	if (flags.duplicateAppointment) {
		const line = writers['appointments.csv'].write({
			AppointmentID: lastAppointmentId,
			PatientID: member.id,
			StartDateTime: usDateTime(lastVisit + 14 * DAY, 10 * 60),
			ProviderID: dentist,
			PracticeID: household.practiceId,
			DurationMinutes: 30,
			AppointmentType: 'Consultation',
			Status: 'Completed',
			ProcedureCodes: 'D0140',
		});
		flags.defects.push({
			file: 'appointments.csv',
			line,
			what: `appointment ID ${lastAppointmentId} is used a second time`,
			expected: 'error duplicate-id (column AppointmentID); the later row is quarantined',
		});
	}
	if (status === 'Active' && !lapsed && random.chance(0.7)) {
		writeAppointment(
			random,
			ids,
			writers,
			member,
			household,
			SAMPLE_TODAY + random.int(3, 170) * DAY,
			'Hygiene',
			random.pick(['Scheduled', 'Confirmed']),
			hygienist,
		);
	}

	const plans: PatientPlan[] = [];
	if (random.chance(0.38) || (lapsed && status === 'Active')) {
		plans.push(writePlan(random, ids, writers, member, dentist, lastVisit, lapsed));
	}
	let balance = 0;
	let lastPayment: { amount: number; date: number } | undefined;
	for (const plan of plans) {
		const fee = plan.template.fee;
		if (plan.status === 'Completed' && plan.completed !== undefined) {
			const insurance = household.carrier ? Math.round(fee * random.int(40, 70)) / 100 : 0;
			if (household.carrier) {
				writers['claims.csv'].write({
					ClaimID: ids.next('claim', 30000),
					PatientID: member.id,
					Carrier: household.carrier,
					SubmittedDate: usDate(plan.completed + 2 * DAY),
					Status: random.weighted([
						['Paid', 70],
						['Received', 10],
						['Denied', 10],
						['Appealed', 10],
					] as const),
					BilledAmount: dollars(fee, random.chance(0.5)),
					PaidAmount: dollars(insurance, false),
					ProcedureCodes: plan.template.codes.join(';'),
					ModifiedAt: stamp(plan.completed + 30 * DAY, random.int(480, 1080)),
				});
			}
			const patientShare = fee - insurance;
			const paid = random.chance(0.8) ? patientShare : Math.round(patientShare * 50) / 100;
			lastPayment = { amount: paid, date: plan.completed + random.int(0, 20) * DAY };
			balance += patientShare - paid;
			writers['payments.csv'].write({
				PaymentID: ids.next('payment', 50000),
				PatientID: member.id,
				Amount: dollars(paid, random.chance(0.3)),
				Date: usDate(lastPayment.date),
				Method: random.pick(['Credit Card', 'Check', 'Cash', 'CareCredit']),
				PlanID: plan.id,
				ModifiedAt: stamp(lastPayment.date, random.int(480, 1080)),
			});
		}
		if (plan.template.lab && ['Accepted', 'InProgress', 'Completed'].includes(plan.status)) {
			const submitted = plan.proposed + random.int(7, 30) * DAY;
			writers['lab_cases.csv'].write({
				LabCaseID: ids.next('lab', 700, 4),
				PatientID: member.id,
				Lab: random.pick(LABS),
				CaseType: plan.template.lab.caseType,
				SubmittedDate: usDate(submitted),
				ExpectedReturnDate: usDate(submitted + 14 * DAY),
				Status:
					plan.status === 'Completed' ? 'Seated' : random.pick(['Sent', 'InProgress', 'Returned']),
				Prescription: labPrescription(plan.template, plan.teeth, random.pick(SHADE_CHOICES)),
				ProviderID: dentist,
				ModifiedAt: stamp(submitted + 15 * DAY, random.int(480, 1080)),
			});
		}
	}
	if (status === 'Active' || status === 'Inactive')
		writeTasks(random, ids, writers, member, lastVisit, hygienist, dentist, plans);
	if (random.chance(0.5)) writeNotes(random, ids, writers, member, visits, dentist);
	if (flags.oversizeDocument || flags.document)
		writeDocument(
			random,
			ids,
			writers,
			member,
			out,
			lastVisit,
			lastAppointmentId,
			flags.oversizeDocument,
		);

	const referral =
		member === household.members[0]
			? random.weighted([
					['FAM', 30],
					['DR', 10],
					['WEB', 20],
					['INS', 15],
					['Website', 5],
					['', 20],
				] as const)
			: 'FAM';
	const birth = usDate(member.birth);
	const modifiedAt = Math.max(lastVisit, lastPayment?.date ?? 0) + random.int(0, 5) * DAY;
	const row: Row = {
		PatientID: member.id,
		LastName: member.last,
		FirstName: member.first,
		PreferredName: random.chance(0.05) ? member.first.slice(0, 3) : '',
		DOB: flags.impossibleDate
			? `02/30/${new Date(member.birth).getUTCFullYear()}`
			: random.chance(0.01)
				? '01/01/1900'
				: birth,
		Gender: member.gender,
		Email: ownEmail,
		HomePhone: household.homePhone,
		MobilePhone: member.adult ? phone(random, random.pick(['201', '862', '973'])) : '',
		WorkPhone: member.adult && random.chance(0.2) ? phone(random, '212') : '',
		Address1: household.street,
		Address2: random.chance(0.1) ? `Apt ${random.int(1, 40)}` : '',
		City: household.town[0],
		State: household.town[1],
		Zip: household.town[2],
		Country: 'US',
		PracticeID: household.practiceId,
		PrimaryProviderID: dentist,
		Status: status,
		FirstVisitDate: usDate(firstVisit),
		LastVisitDate: usDate(lastVisit),
		ReferralSource: referral,
		ReferringDentist: referral === 'DR' ? 'Dr. Alan Brooks, Brooks Family Dentistry' : '',
		Employer: member.adult ? random.pick(EMPLOYERS) : '',
		GuarantorID: member === guarantor ? '' : guarantor.id,
		InsuranceCarrier: household.carrier ?? '',
		PolicyNumber: household.carrier ? `${random.int(100000000, 999999999)}` : '',
		GroupNumber: household.carrier ? household.group : '',
		SubscriberID: household.carrier ? `S${guarantor.id}` : '',
		OutstandingBalance: dollars(balance, random.chance(0.5)),
		LastPaymentAmount: lastPayment ? dollars(lastPayment.amount, false) : '',
		LastPaymentDate: lastPayment
			? usDate(lastPayment.date)
			: random.chance(0.3)
				? '00/00/0000'
				: '',
		AllergyFlag: random.chance(0.12) ? 'Y' : 'N',
		DrugInteractionFlag: random.chance(0.06) ? 'Y' : 'N',
		PremedFlag: random.chance(0.04) ? 'Y' : 'N',
		CreatedAt: stamp(created, random.int(480, 1080)),
		ModifiedAt: stamp(Math.min(modifiedAt, SAMPLE_TODAY - DAY), random.int(480, 1080)),
		PreferredContact: random.pick(['Text', 'Email', 'Phone', '']),
	};
	const line = writers['patients.csv'].write(row);
	if (flags.impossibleDate) {
		flags.defects.push({
			file: 'patients.csv',
			line,
			what: `patient ${member.id} has DOB 30 February (an impossible date)`,
			expected:
				'warning invalid-date (column DOB); the row is accepted with the birth date left empty',
		});
	}
	return row;
}

function writeAppointment(
	random: SeededRandom,
	ids: Ids,
	writers: Writers,
	member: Member,
	household: Household,
	day: number,
	kind: AppointmentKind,
	status: string,
	providerId: string,
): string {
	const id = ids.next('appointment', 100000, 7);
	const start = random.int(16, 33) * 30;
	const codes =
		kind === 'Hygiene' && !member.adult ? ['D0120', 'D1120'] : APPOINTMENT_KINDS[kind].codes;
	writers['appointments.csv'].write({
		AppointmentID: id,
		PatientID: member.id,
		StartDateTime: usDateTime(day, start),
		ProviderID: providerId,
		PracticeID: household.practiceId,
		DurationMinutes: APPOINTMENT_KINDS[kind].minutes,
		AppointmentType: kind,
		Status: status,
		ProcedureCodes: status === 'Completed' ? codes.join(';') : '',
		Notes: random.chance(0.1)
			? random.pick([
					'Pt requests morning appointments',
					'Running late, called ahead',
					'Needs a reminder call the day before',
				])
			: '',
		CreatedAt: stamp(day - random.int(10, 60) * DAY, random.int(480, 1080)),
		ModifiedAt: stamp(Math.min(day, SAMPLE_TODAY - DAY), random.int(480, 1080)),
	});
	return id;
}

function writePlan(
	random: SeededRandom,
	ids: Ids,
	writers: Writers,
	member: Member,
	dentist: string,
	lastVisit: number,
	lapsed: boolean,
): PatientPlan {
	const template = random.pick(PLAN_TEMPLATES);
	// A lapsed patient's plan is still open: exactly the patient the practice wants back as a lead.
	const status = lapsed
		? random.pick(['Proposed', 'Accepted'])
		: random.weighted([
				['Proposed', 25],
				['Accepted', 12],
				['InProgress', 10],
				['Completed', 35],
				['Declined', 18],
			] as const);
	const proposed = lastVisit - random.int(0, 30) * DAY;
	const completed =
		status === 'Completed'
			? Math.min(proposed + random.int(20, 90) * DAY, SAMPLE_TODAY - DAY)
			: undefined;
	const teeth = Array.from({ length: template.teeth }, () => `#${random.int(1, 32)}`).join(', ');
	const id = ids.next('plan', 7000, 5);
	writers['treatment_plans.csv'].write({
		PlanID: id,
		PatientID: member.id,
		ProviderID: dentist,
		Status: status,
		ProposedDate: usDate(proposed),
		AcceptedDate:
			status === 'Proposed' || status === 'Declined'
				? ''
				: usDate(proposed + random.int(1, 14) * DAY),
		CompletedDate: completed === undefined ? '' : usDate(completed),
		EstimatedFee: dollars(template.fee, random.chance(0.6)),
		FinalFee: completed === undefined ? '' : dollars(template.fee, false),
		Currency: 'USD',
		ProcedureCodes: template.codes.join(';'),
		Teeth: teeth,
		Notes: status === 'Declined' ? 'Patient declined, cost concerns. Revisit next year.' : '',
		ModifiedAt: stamp(Math.min(completed ?? proposed, SAMPLE_TODAY - DAY), random.int(480, 1080)),
	});
	return { id, template, status, proposed, completed, teeth };
}

function writeTasks(
	random: SeededRandom,
	ids: Ids,
	writers: Writers,
	member: Member,
	lastVisit: number,
	hygienist: string,
	dentist: string,
	plans: PatientPlan[],
): void {
	const perio = plans.some((plan) => plan.template.label === 'Scaling and root planing');
	const interval = perio ? random.pick([3, 4]) : 6;
	// Older Dental-Exec versions wrote the interval only in the description.
	const oldFormat = random.chance(0.15);
	writers['tasks.csv'].write({
		TaskID: ids.next('task', 200000, 7),
		PatientID: member.id,
		Type: perio ? 'Hygiene' : 'Recall',
		DueDate: usDate(lastVisit + interval * 30 * DAY),
		IntervalMonths: oldFormat ? '' : interval,
		Status: 'Open',
		Description: `${interval} month ${perio ? 'perio maintenance' : 'recall'} - call to schedule`,
		AssignedProviderID: hygienist,
		ModifiedAt: stamp(Math.min(lastVisit + DAY, SAMPLE_TODAY - DAY), random.int(480, 1080)),
	});
	if (random.chance(0.2)) {
		writers['tasks.csv'].write({
			TaskID: ids.next('task', 200000, 7),
			PatientID: member.id,
			Type: random.pick(['FollowUp', 'Call']),
			DueDate: usDate(lastVisit + 7 * DAY),
			Status: 'Done',
			Description: 'Post-op check call',
			AssignedProviderID: dentist,
			ModifiedAt: stamp(Math.min(lastVisit + 8 * DAY, SAMPLE_TODAY - DAY), random.int(480, 1080)),
		});
	}
}

function writeNotes(
	random: SeededRandom,
	ids: Ids,
	writers: Writers,
	member: Member,
	visits: number[],
	dentist: string,
): void {
	for (let count = random.int(1, 3); count > 0; count -= 1) {
		const note = random.pick(NOTE_TEMPLATES);
		const when = random.pick(visits);
		const minutes = random.int(480, 1080);
		writers['notes.csv'].write({
			NoteID: ids.next('note', 400000, 7),
			PatientID: member.id,
			Text: note.text,
			AuthorProviderID: dentist,
			CreatedAt: stamp(when, minutes),
			Category: note.category,
			ModifiedAt: stamp(when, minutes),
		});
	}
}

const DOCUMENT_KINDS = [
	{
		category: 'Consent',
		name: 'consent-form.pdf',
		mime: 'application/pdf',
		body: '%PDF-1.4\n% Sample consent form (synthetic)\n%%EOF\n',
	},
	{
		category: 'InsuranceCard',
		name: 'insurance-card.txt',
		mime: 'text/plain',
		body: 'Synthetic insurance card scan placeholder\n',
	},
	{
		category: 'Report',
		name: 'referral-letter.txt',
		mime: 'text/plain',
		body: 'Synthetic referral letter\n',
	},
];

function writeDocument(
	random: SeededRandom,
	ids: Ids,
	writers: Writers,
	member: Member,
	out: string,
	lastVisit: number,
	appointmentId: string,
	oversize: boolean,
): void {
	const id = ids.next('document', 9000, 5);
	const kind = oversize
		? {
				category: 'Imaging',
				name: 'cbct-scan.zip',
				mime: 'application/zip',
				body: 'Synthetic stand-in: the real CBCT archive is 60 MB (see SizeBytes)\n',
			}
		: random.pick(DOCUMENT_KINDS);
	const relativePath = `documents/${id}-${kind.name}`;
	writeFileSync(join(out, relativePath), kind.body);
	writers['documents.csv'].write({
		DocumentID: id,
		PatientID: member.id,
		FileName: kind.name,
		RelativePath: relativePath,
		AppointmentID: appointmentId,
		MimeType: kind.mime,
		// The CBCT archive is declared over the upload limit by its metadata; the file on disk is small.
		SizeBytes: oversize ? 62_914_560 : Buffer.byteLength(kind.body),
		Category: kind.category,
		CreatedAt: stamp(lastVisit, random.int(480, 1080)),
	});
}
