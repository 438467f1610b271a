import { z } from 'zod';
import { Address, IsoDate, IsoDateTime, Money, ProcedureCode, recordBase } from './primitives';

export const Phone = z.object({
	value: z.string().min(1),
	label: z.enum(['home', 'mobile', 'work', 'other']),
});

export const PatientStatus = z.enum(['active', 'inactive', 'archived', 'deceased']);

export const Patient = z.object({
	...recordBase,
	firstName: z.string().optional(),
	lastName: z.string().min(1),
	preferredName: z.string().optional(),
	birthDate: IsoDate.optional(),
	gender: z.enum(['M', 'F', 'X']).optional(),
	emails: z.array(z.string()).default([]),
	phones: z.array(Phone).default([]),
	address: Address.optional(),
	language: z.string().optional(),
	practiceKey: z.string().optional(),
	primaryProviderKey: z.string().optional(),
	status: PatientStatus.optional(),
	firstVisitDate: IsoDate.optional(),
	lastVisitDate: IsoDate.optional(),
	/** Code of the referral pick-list value (see ReferralSource), or free text when there is no list. */
	referralSource: z.string().optional(),
	referringDentist: z.string().optional(),
	employer: z.string().optional(),
	guarantorKey: z.string().optional(),
	insurance: z
		.object({
			carrier: z.string().optional(),
			/** Source key of the Insurer record when the insurer is known (Belgian mutuality). */
			insurerKey: z.string().optional(),
			policyNumber: z.string().optional(),
			groupNumber: z.string().optional(),
			subscriberId: z.string().optional(),
		})
		.optional(),
	billing: z
		.object({
			outstandingBalance: Money.optional(),
			lastPaymentAmount: Money.optional(),
			lastPaymentDate: IsoDate.optional(),
		})
		.optional(),
	/** Dental-Exec yes/no medical alert columns; clinical data, governed by the spec's privacy rules. */
	medicalAlerts: z
		.object({ allergy: z.boolean(), drugInteraction: z.boolean(), premedication: z.boolean() })
		.optional(),
	/** Belgian co-payment (remgeld / ticket modérateur) percentage and third-party-payer flag. */
	coPayment: z
		.object({ percentage: z.number().optional(), thirdPartyPayer: z.boolean().optional() })
		.optional(),
	/** Belgian national register number: present only when the reader was told to include it. */
	nationalNumber: z.string().optional(),
	createdAt: IsoDateTime.optional(),
});
export type Patient = z.infer<typeof Patient>;

export const Appointment = z.object({
	...recordBase,
	patientKey: z.string(),
	start: IsoDateTime,
	end: IsoDateTime.optional(),
	durationMinutes: z.number().int().nonnegative().optional(),
	/** Normalised type (`hygiene`, `restorative`, `checkup`, …); `typeLabel` keeps the source's word. */
	type: z.string().optional(),
	typeLabel: z.string().optional(),
	status: z.enum(['scheduled', 'confirmed', 'completed', 'cancelled', 'no-show']).optional(),
	providerKey: z.string().optional(),
	practiceKey: z.string().optional(),
	location: z.string().optional(),
	procedureCodes: z.array(ProcedureCode).default([]),
	notes: z.string().optional(),
	/** For an occurrence expanded from a recurring appointment: which one of how many. */
	recurrence: z
		.object({
			frequency: z.enum(['daily', 'weekly', 'monthly', 'yearly']),
			count: z.number().int(),
			occurrence: z.number().int(),
		})
		.optional(),
	createdAt: IsoDateTime.optional(),
});
export type Appointment = z.infer<typeof Appointment>;

export const Procedure = z.object({
	...recordBase,
	code: ProcedureCode.optional(),
	description: z.string().optional(),
	tooth: z.string().optional(),
	date: IsoDate.optional(),
	fee: Money.optional(),
	/** Belgian patient share for this treatment line. */
	coPayment: Money.optional(),
	status: z.enum(['planned', 'performed', 'cancelled']).optional(),
	providerKey: z.string().optional(),
});
export type Procedure = z.infer<typeof Procedure>;

export const TreatmentPlanStatus = z.enum([
	'proposed',
	'accepted',
	'in-progress',
	'completed',
	'declined',
]);

export const TreatmentPlan = z.object({
	...recordBase,
	patientKey: z.string(),
	providerKey: z.string().optional(),
	status: TreatmentPlanStatus,
	proposedDate: IsoDate.optional(),
	acceptedDate: IsoDate.optional(),
	completedDate: IsoDate.optional(),
	estimatedFee: Money.optional(),
	finalFee: Money.optional(),
	procedures: z.array(Procedure).default([]),
	/** Procedure codes listed on the plan itself (Dental-Exec `ProcedureCodes`). */
	procedureCodes: z.array(ProcedureCode).default([]),
	teeth: z.string().optional(),
	notes: z.string().optional(),
});
export type TreatmentPlan = z.infer<typeof TreatmentPlan>;

export const Claim = z.object({
	...recordBase,
	patientKey: z.string(),
	carrier: z.string().optional(),
	submittedDate: IsoDate.optional(),
	status: z.enum(['draft', 'sent', 'received', 'paid', 'denied', 'appealed']).optional(),
	billed: Money.optional(),
	paid: Money.optional(),
	procedureCodes: z.array(ProcedureCode).default([]),
});
export type Claim = z.infer<typeof Claim>;

export const Payment = z.object({
	...recordBase,
	patientKey: z.string(),
	amount: Money,
	date: IsoDate.optional(),
	method: z.string().optional(),
	planKey: z.string().optional(),
});
export type Payment = z.infer<typeof Payment>;

export const Note = z.object({
	...recordBase,
	patientKey: z.string(),
	/** Plain text: RTF and HTML are flattened by the reader; `format` says what it was. */
	text: z.string(),
	format: z.enum(['plain', 'html', 'rtf']),
	authorKey: z.string().optional(),
	createdAt: IsoDateTime.optional(),
	category: z.string().optional(),
	tags: z.array(z.string()).default([]),
});
export type Note = z.infer<typeof Note>;

export const Task = z.object({
	...recordBase,
	patientKey: z.string(),
	type: z.enum(['recall', 'hygiene', 'follow-up', 'call', 'other']),
	dueDate: IsoDate.optional(),
	intervalMonths: z.number().int().positive().optional(),
	status: z.enum(['open', 'done']).optional(),
	description: z.string().optional(),
	assignedProviderKey: z.string().optional(),
});
export type Task = z.infer<typeof Task>;

export const LabCase = z.object({
	...recordBase,
	patientKey: z.string(),
	lab: z.string().optional(),
	caseType: z.string().optional(),
	submittedDate: IsoDate.optional(),
	expectedReturnDate: IsoDate.optional(),
	receivedDate: IsoDate.optional(),
	status: z.enum(['sent', 'in-progress', 'returned', 'seated']).optional(),
	prescription: z.string().optional(),
	providerKey: z.string().optional(),
});
export type LabCase = z.infer<typeof LabCase>;

export const Document = z.object({
	...recordBase,
	patientKey: z.string(),
	fileName: z.string().min(1),
	/** Path relative to the export folder, as written in the export. */
	relativePath: z.string().optional(),
	/** Absolute path resolved inside the export folder; absent when the file is missing or refused. */
	resolvedPath: z.string().optional(),
	appointmentKey: z.string().optional(),
	mimeType: z.string().optional(),
	sizeBytes: z.number().int().nonnegative().optional(),
	category: z.string().optional(),
	createdAt: IsoDateTime.optional(),
});
export type Document = z.infer<typeof Document>;

/**
 * The unit of work: a patient with everything that hangs off them. It is sampled, mapped,
 * committed, diffed and rolled back as one, which keeps parent–child links intact by construction.
 */
export const PatientBundle = z.object({
	kind: z.literal('patientBundle'),
	sourceSystem: recordBase.sourceSystem,
	/** Equal to `patient.sourceKey`. */
	bundleKey: z.string(),
	patient: Patient,
	appointments: z.array(Appointment).default([]),
	treatmentPlans: z.array(TreatmentPlan).default([]),
	claims: z.array(Claim).default([]),
	payments: z.array(Payment).default([]),
	notes: z.array(Note).default([]),
	tasks: z.array(Task).default([]),
	labCases: z.array(LabCase).default([]),
	documents: z.array(Document).default([]),
});
export type PatientBundle = z.infer<typeof PatientBundle>;
