import type { Appointment, Claim, LabCase, Task, TreatmentPlan } from '../../model';
import {
	flattenRichText,
	keyOf,
	PATIENT_BIRTH_DATE,
	money,
	recordBase,
	type BuildContext,
	type ChildFileSpec,
	type SourceRow,
} from '../common';
import {
	column,
	CREATED_AT,
	CREATED_AT_HAPPENED,
	MODIFIED_AT,
	PATIENT_ID,
	PRACTICE_ID,
	PROCEDURE_CODES,
	PROVIDER_ID,
} from './columns';
import { cdtCodes } from './procedureCodes';
import { intervalFromDescription } from './recall';

/** Pipedrive keeps about 100,000 characters per note (api-facts §3.5); longer text needs the mapping step's attention. */
export const PIPEDRIVE_NOTE_LIMIT = 100_000;

function child(
	ctx: BuildContext,
	entity: Parameters<typeof recordBase>[1],
	row: SourceRow,
	idField: string,
) {
	// Object.assign, not a spread: on Node 20 `{ ...base, many: …, more: … }` costs tens of
	// microseconds per record (a V8 slow path), a large share of a big export's read.
	return Object.assign(
		recordBase(ctx, entity, row, row.text(idField) as string, row.dateTime('ModifiedAt')),
		{ patientKey: keyOf(ctx, 'patient', row.text('PatientID')) as string },
	);
}

export const appointmentsFile: ChildFileSpec = {
	role: 'child',
	name: 'appointments.csv',
	fileNames: ['appointments.csv'],
	entity: 'appointment',
	collection: 'appointments',
	idField: 'AppointmentID',
	patientField: 'PatientID',
	modifiedField: 'ModifiedAt',
	createdField: 'CreatedAt',
	// No CreatedAt/ModifiedAt order: a booked visit's creation is dated by its visit (see CREATED_AT).
	dateOrder: [[PATIENT_BIRTH_DATE, 'StartDateTime']],
	columns: [
		column('AppointmentID', 'text', { required: true, synonyms: ['ApptID', 'AptNum'] }),
		PATIENT_ID,
		column('StartDateTime', 'dateTime', {
			required: true,
			synonyms: ['Start', 'StartTime', 'AppointmentDate', 'DateTime'],
			// Scheduled visits lie ahead; a completed or missed one has taken place.
			happened: { when: { field: 'Status', values: ['completed', 'no-show'] } },
		}),
		PROVIDER_ID,
		PRACTICE_ID,
		column('DurationMinutes', 'integer', { synonyms: ['Duration', 'Length'] }),
		column('AppointmentType', 'choice', {
			openValues: true,
			synonyms: ['Type', 'ApptType'],
			values: {
				Hygiene: 'hygiene',
				Restorative: 'restorative',
				Surgical: 'surgical',
				Consultation: 'consultation',
				Emergency: 'emergency',
				Recall: 'recall',
				Checkup: 'checkup',
			},
		}),
		column('Status', 'choice', {
			synonyms: ['AppointmentStatus'],
			values: {
				Scheduled: 'scheduled',
				Confirmed: 'confirmed',
				Completed: 'completed',
				Complete: 'completed',
				Cancelled: 'cancelled',
				Canceled: 'cancelled',
				NoShow: 'no-show',
				Broken: 'no-show',
			},
		}),
		PROCEDURE_CODES,
		column('Notes', 'text', { synonyms: ['Note', 'Comments'] }),
		CREATED_AT,
		MODIFIED_AT,
	],
	build(row, ctx): Appointment {
		const label = row.text('AppointmentType');
		const notes = row.text('Notes');
		return Object.assign(child(ctx, 'appointment', row, 'AppointmentID'), {
			start: row.dateTime('StartDateTime') as string,
			durationMinutes: row.integer('DurationMinutes'),
			// Practice-defined types keep their own word in typeLabel; the mapping's value map decides.
			type: row.choice('AppointmentType') ?? (label === undefined ? undefined : 'other'),
			typeLabel: label,
			status: row.choice('Status') as Appointment['status'],
			providerKey: keyOf(ctx, 'provider', row.text('ProviderID')),
			practiceKey: keyOf(ctx, 'practice', row.text('PracticeID')),
			procedureCodes: cdtCodes(row.list('ProcedureCodes')),
			notes: notes === undefined ? undefined : flattenRichText(notes).text,
			createdAt: row.dateTime('CreatedAt'),
		});
	},
};

export const treatmentPlansFile: ChildFileSpec = {
	role: 'child',
	name: 'treatment_plans.csv',
	fileNames: ['treatment_plans.csv', 'treatmentplans.csv'],
	entity: 'treatmentPlan',
	collection: 'treatmentPlans',
	idField: 'PlanID',
	patientField: 'PatientID',
	modifiedField: 'ModifiedAt',
	dateOrder: [[PATIENT_BIRTH_DATE, 'ProposedDate', 'AcceptedDate', 'CompletedDate']],
	columns: [
		column('PlanID', 'text', { required: true, synonyms: ['TreatmentPlanID', 'TreatPlanNum'] }),
		PATIENT_ID,
		PROVIDER_ID,
		column('Status', 'choice', {
			synonyms: ['PlanStatus'],
			values: {
				Proposed: 'proposed',
				Accepted: 'accepted',
				InProgress: 'in-progress',
				Completed: 'completed',
				Complete: 'completed',
				Declined: 'declined',
				Rejected: 'declined',
			},
		}),
		column('ProposedDate', 'date', { synonyms: ['DateProposed', 'PresentedDate'], happened: true }),
		column('AcceptedDate', 'date', { synonyms: ['DateAccepted'], happened: true }),
		column('CompletedDate', 'date', { synonyms: ['DateCompleted'], happened: true }),
		column('EstimatedFee', 'money', { synonyms: ['Estimate', 'EstimatedTotal'] }),
		column('FinalFee', 'money', { synonyms: ['FinalTotal'] }),
		column('Currency', 'text'),
		PROCEDURE_CODES,
		column('Teeth', 'text', { synonyms: ['Tooth', 'ToothNumbers'] }),
		column('Notes', 'text', { synonyms: ['Note', 'Comments'] }),
		MODIFIED_AT,
	],
	build(row, ctx): TreatmentPlan {
		let currency = row.text('Currency')?.toUpperCase();
		if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
			ctx.issue(
				'warning',
				ctx.header('Currency'),
				'invalid-currency',
				`The currency is not an ISO 4217 code; the plan's fees were read in ${ctx.currency}. Correct the column or the Currency setting.`,
			);
			currency = undefined;
		}
		let status = row.choice('Status') as TreatmentPlan['status'] | undefined;
		if (status === undefined) {
			ctx.issue(
				'warning',
				ctx.header('Status'),
				'plan-status-assumed',
				'The plan has no known status; it was read as Proposed. Set the status in the source system if it is accepted, completed or declined.',
			);
			status = 'proposed';
		}
		const notes = row.text('Notes');
		return Object.assign(child(ctx, 'treatmentPlan', row, 'PlanID'), {
			providerKey: keyOf(ctx, 'provider', row.text('ProviderID')),
			status,
			proposedDate: row.date('ProposedDate'),
			acceptedDate: row.date('AcceptedDate'),
			completedDate: row.date('CompletedDate'),
			estimatedFee: money(ctx, row.amount('EstimatedFee'), currency),
			finalFee: money(ctx, row.amount('FinalFee'), currency),
			procedures: [],
			procedureCodes: cdtCodes(row.list('ProcedureCodes')),
			teeth: row.text('Teeth'),
			notes: notes === undefined ? undefined : flattenRichText(notes).text,
		});
	},
};

export const claimsFile: ChildFileSpec = {
	role: 'child',
	name: 'claims.csv',
	fileNames: ['claims.csv'],
	entity: 'claim',
	collection: 'claims',
	idField: 'ClaimID',
	patientField: 'PatientID',
	modifiedField: 'ModifiedAt',
	dateOrder: [[PATIENT_BIRTH_DATE, 'SubmittedDate']],
	columns: [
		column('ClaimID', 'text', { required: true, synonyms: ['ClaimNum', 'ClaimNumber'] }),
		PATIENT_ID,
		column('Carrier', 'text', { synonyms: ['InsuranceCarrier', 'Insurer'] }),
		column('SubmittedDate', 'date', { synonyms: ['DateSubmitted', 'DateSent'], happened: true }),
		column('Status', 'choice', {
			synonyms: ['ClaimStatus'],
			values: {
				Draft: 'draft',
				Sent: 'sent',
				Submitted: 'sent',
				Received: 'received',
				Paid: 'paid',
				Denied: 'denied',
				Rejected: 'denied',
				Appealed: 'appealed',
			},
		}),
		column('BilledAmount', 'money', { synonyms: ['Billed', 'ClaimFee'] }),
		column('PaidAmount', 'money', { synonyms: ['Paid', 'InsurancePaid'] }),
		PROCEDURE_CODES,
		MODIFIED_AT,
	],
	build(row, ctx): Claim {
		return Object.assign(child(ctx, 'claim', row, 'ClaimID'), {
			carrier: row.text('Carrier'),
			submittedDate: row.date('SubmittedDate'),
			status: row.choice('Status') as Claim['status'],
			billed: money(ctx, row.amount('BilledAmount')),
			paid: money(ctx, row.amount('PaidAmount')),
			procedureCodes: cdtCodes(row.list('ProcedureCodes')),
		});
	},
};

export const paymentsFile: ChildFileSpec = {
	role: 'child',
	name: 'payments.csv',
	fileNames: ['payments.csv'],
	entity: 'payment',
	collection: 'payments',
	idField: 'PaymentID',
	patientField: 'PatientID',
	modifiedField: 'ModifiedAt',
	columns: [
		column('PaymentID', 'text', { required: true, synonyms: ['PayNum', 'PaymentNumber'] }),
		PATIENT_ID,
		column('Amount', 'money', {
			required: true,
			synonyms: ['PaymentAmount'],
			negativeMayBe: 'a refund',
		}),
		column('Date', 'date', { synonyms: ['PaymentDate', 'DatePaid'], happened: true }),
		column('Method', 'text', { synonyms: ['PaymentMethod', 'PaymentType'] }),
		column('PlanID', 'text', { synonyms: ['TreatmentPlanID'] }),
		MODIFIED_AT,
	],
	build(row, ctx) {
		return Object.assign(child(ctx, 'payment', row, 'PaymentID'), {
			amount: money(ctx, row.amount('Amount')) as { amount: string; currency: string },
			date: row.date('Date'),
			method: row.text('Method'),
			planKey: keyOf(ctx, 'treatmentPlan', row.text('PlanID')),
		});
	},
};

export const notesFile: ChildFileSpec = {
	role: 'child',
	name: 'notes.csv',
	fileNames: ['notes.csv'],
	entity: 'note',
	collection: 'notes',
	idField: 'NoteID',
	patientField: 'PatientID',
	modifiedField: 'ModifiedAt',
	createdField: 'CreatedAt',
	dateOrder: [['CreatedAt', 'ModifiedAt']],
	columns: [
		column('NoteID', 'text', { required: true, synonyms: ['NoteNum', 'CommLogID'] }),
		PATIENT_ID,
		column('Text', 'text', { required: true, synonyms: ['NoteText', 'Note', 'Body'] }),
		column('AuthorProviderID', 'text', { synonyms: ['AuthorID', 'Author', 'ProviderID'] }),
		CREATED_AT_HAPPENED,
		column('Category', 'text', { synonyms: ['NoteType', 'Type'] }),
		MODIFIED_AT,
	],
	build(row, ctx) {
		const { text, format } = flattenRichText(row.text('Text') as string);
		if (text.length > PIPEDRIVE_NOTE_LIMIT) {
			ctx.issue(
				'warning',
				ctx.header('Text'),
				'note-over-pipedrive-limit',
				`The note has ${text.length} characters, more than the ${PIPEDRIVE_NOTE_LIMIT} Pipedrive keeps in one note; it was read whole, and the mapping step must split it or attach it as a file.`,
			);
		}
		return Object.assign(child(ctx, 'note', row, 'NoteID'), {
			text,
			format,
			authorKey: keyOf(ctx, 'provider', row.text('AuthorProviderID')),
			createdAt: row.dateTime('CreatedAt'),
			category: row.text('Category'),
			tags: [],
		});
	},
};

export const tasksFile: ChildFileSpec = {
	role: 'child',
	name: 'tasks.csv',
	fileNames: ['tasks.csv'],
	entity: 'task',
	collection: 'tasks',
	idField: 'TaskID',
	patientField: 'PatientID',
	modifiedField: 'ModifiedAt',
	columns: [
		column('TaskID', 'text', { required: true, synonyms: ['TaskNum'] }),
		PATIENT_ID,
		column('Type', 'choice', {
			openValues: true,
			synonyms: ['TaskType'],
			values: {
				Recall: 'recall',
				Hygiene: 'hygiene',
				HygieneRecall: 'hygiene',
				FollowUp: 'follow-up',
				Call: 'call',
			},
		}),
		column('DueDate', 'date', { synonyms: ['Due', 'DateDue'] }),
		column('IntervalMonths', 'integer', { synonyms: ['Interval', 'RecallInterval'] }),
		column('Status', 'choice', {
			values: { Open: 'open', Pending: 'open', Done: 'done', Completed: 'done', Closed: 'done' },
		}),
		column('Description', 'text', { synonyms: ['Subject', 'Details'] }),
		column('AssignedProviderID', 'text', { synonyms: ['AssignedTo', 'ProviderID'] }),
		MODIFIED_AT,
	],
	build(row, ctx): Task {
		const type = (row.choice('Type') ?? 'other') as Task['type'];
		const description = row.text('Description');
		let intervalMonths = row.integer('IntervalMonths');
		if (intervalMonths !== undefined && intervalMonths < 1) {
			ctx.issue(
				'warning',
				ctx.header('IntervalMonths'),
				'invalid-interval',
				'The interval is not a positive number of months; it was left empty. Correct it in the source system.',
			);
			intervalMonths = undefined;
		}
		if (intervalMonths === undefined && (type === 'recall' || type === 'hygiene'))
			intervalMonths = intervalFromDescription(description);
		return Object.assign(child(ctx, 'task', row, 'TaskID'), {
			type,
			dueDate: row.date('DueDate'),
			intervalMonths,
			status: row.choice('Status') as Task['status'],
			description,
			assignedProviderKey: keyOf(ctx, 'provider', row.text('AssignedProviderID')),
		});
	},
};

export const labCasesFile: ChildFileSpec = {
	role: 'child',
	name: 'lab_cases.csv',
	fileNames: ['lab_cases.csv', 'labcases.csv'],
	entity: 'labCase',
	collection: 'labCases',
	idField: 'LabCaseID',
	patientField: 'PatientID',
	modifiedField: 'ModifiedAt',
	dateOrder: [
		[PATIENT_BIRTH_DATE, 'SubmittedDate', 'ReceivedDate'],
		['SubmittedDate', 'ExpectedReturnDate'],
	],
	columns: [
		column('LabCaseID', 'text', { required: true, synonyms: ['CaseID', 'LabCaseNum'] }),
		PATIENT_ID,
		column('Lab', 'text', { synonyms: ['LabName', 'Laboratory'] }),
		column('CaseType', 'text', { synonyms: ['Type', 'Prosthetic'] }),
		column('SubmittedDate', 'date', { synonyms: ['DateSent', 'SentDate'], happened: true }),
		column('ExpectedReturnDate', 'date', { synonyms: ['DueDate', 'DateDue'] }),
		column('ReceivedDate', 'date', { synonyms: ['DateReceived', 'ReturnedDate'], happened: true }),
		column('Status', 'choice', {
			values: {
				Sent: 'sent',
				InProgress: 'in-progress',
				Returned: 'returned',
				Received: 'returned',
				Seated: 'seated',
			},
		}),
		column('Prescription', 'text', { synonyms: ['Instructions', 'Rx'] }),
		PROVIDER_ID,
		MODIFIED_AT,
	],
	build(row, ctx): LabCase {
		return Object.assign(child(ctx, 'labCase', row, 'LabCaseID'), {
			lab: row.text('Lab'),
			caseType: row.text('CaseType'),
			submittedDate: row.date('SubmittedDate'),
			expectedReturnDate: row.date('ExpectedReturnDate'),
			receivedDate: row.date('ReceivedDate'),
			status: row.choice('Status') as LabCase['status'],
			prescription: row.text('Prescription'),
			providerKey: keyOf(ctx, 'provider', row.text('ProviderID')),
		});
	},
};

export const documentsFile: ChildFileSpec = {
	role: 'child',
	name: 'documents.csv',
	fileNames: ['documents.csv'],
	entity: 'document',
	collection: 'documents',
	idField: 'DocumentID',
	patientField: 'PatientID',
	createdField: 'CreatedAt',
	columns: [
		column('DocumentID', 'text', { required: true, synonyms: ['DocNum', 'DocID'] }),
		PATIENT_ID,
		column('FileName', 'text', { required: true, synonyms: ['Name', 'File'] }),
		column('RelativePath', 'text', { synonyms: ['Path', 'FilePath'] }),
		column('AppointmentID', 'text', { synonyms: ['ApptID'] }),
		column('MimeType', 'text', { synonyms: ['ContentType', 'Type'] }),
		column('SizeBytes', 'integer', { synonyms: ['Size', 'FileSize'] }),
		column('Category', 'text', { synonyms: ['DocumentType'] }),
		CREATED_AT_HAPPENED,
	],
	build(row, ctx) {
		const fileName = row.text('FileName') as string;
		const relativePath = row.text('RelativePath') ?? fileName;
		const resolved = ctx.resolvePath(relativePath);
		const pathHeader = ctx.header(
			row.text('RelativePath') === undefined ? 'FileName' : 'RelativePath',
		);
		if (resolved.kind !== 'inside') {
			ctx.issue(
				'error',
				pathHeader,
				'document-path-outside-export',
				'The document path is absolute or leaves the export folder, so it was refused; put the file inside the export folder and give its path relative to it.',
			);
			return null;
		}
		if (!resolved.exists) {
			ctx.issue(
				'warning',
				pathHeader,
				'document-file-missing',
				'The document file is not in the export folder; its record is kept without a file. Copy the file into the export.',
			);
		}
		return Object.assign(child(ctx, 'document', row, 'DocumentID'), {
			fileName,
			relativePath,
			resolvedPath: resolved.absolutePath,
			appointmentKey: keyOf(ctx, 'appointment', row.text('AppointmentID')),
			mimeType: row.text('MimeType'),
			sizeBytes: row.integer('SizeBytes'),
			category: row.text('Category'),
			createdAt: row.dateTime('CreatedAt'),
		});
	},
};
