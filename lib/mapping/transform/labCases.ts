import { compareText } from '../order';
import type { LabCase, PatientBundle } from '../../model';
import type { PlanOperation } from '../../plan/plan';
import type { TransformContext } from './context';
import { prescriptionNoteKey } from './derivedKeys';
import { OperationBuilder } from './operationBuilder';
import { noteHtml } from './text';
import { options } from './values';
import type { Value } from './values';

function latest(labCases: LabCase[]): LabCase | undefined {
	return [...labCases].sort(
		(a, b) =>
			compareText(b.submittedDate ?? '', a.submittedDate ?? '') ||
			compareText(a.sourceKey, b.sourceKey),
	)[0];
}

/** Brief Dental-Exec row 12: `lab_case_status` on the person, from the latest lab case. */
export function labCaseStatus(ctx: TransformContext, labCases: LabCase[]): Value | undefined {
	const status = latest(labCases)?.status;
	return status === undefined
		? undefined
		: options([ctx.spec.valueMaps.labCaseStatuses[status] ?? status]);
}

/**
 * Brief Dental-Exec row 12: an activity per lab case (submission date, lab, expected return date),
 * done once the work is back; a prescription longer than the spec's limit goes in as a note.
 */
export function labCaseOperations(ctx: TransformContext, bundle: PatientBundle): PlanOperation[] {
	const kind = ctx.spec.valueMaps.labCase;
	const operations: PlanOperation[] = [];
	for (const labCase of bundle.labCases) {
		const prescription = labCase.prescription?.trim() ?? '';
		const longPrescription = prescription.length > ctx.spec.rules.longPrescriptionChars;
		const lines = [
			labCase.lab && `Lab: ${labCase.lab}`,
			labCase.caseType && `Case type: ${labCase.caseType}`,
			labCase.submittedDate && `Submitted: ${labCase.submittedDate}`,
			labCase.expectedReturnDate && `Expected return: ${labCase.expectedReturnDate}`,
			labCase.receivedDate && `Received: ${labCase.receivedDate}`,
			labCase.status &&
				`Status: ${ctx.spec.valueMaps.labCaseStatuses[labCase.status] ?? labCase.status}`,
			prescription !== '' &&
				(longPrescription
					? 'Prescription: in the note of the same date'
					: `Prescription: ${prescription}`),
		].filter((line): line is string => typeof line === 'string' && line !== '');
		const subject = [kind.subject, labCase.caseType, labCase.lab && `(${labCase.lab})`]
			.filter(Boolean)
			.join(' ');
		const builder = new OperationBuilder(ctx, 'activity', labCase.sourceKey, bundle.bundleKey)
			.fixed('labCase.kind', 'subject', 'text', subject.slice(0, 255))
			.fixed('labCase.kind', 'type', 'activity_type', ctx.activityType(kind.activityType))
			.fixed(
				'labCase.provider',
				'owner_id',
				'user',
				ctx.owner(labCase.providerKey, labCase.sourceKey),
			)
			.fixed(
				'labCase.expectedReturnDate',
				'due_date',
				'date',
				labCase.expectedReturnDate ?? labCase.submittedDate,
			)
			.fixed(
				'labCase.status',
				'done',
				'boolean',
				labCase.status === 'returned' || labCase.status === 'seated',
			)
			.fixed('labCase.details', 'note', 'html', lines.length > 0 ? noteHtml(lines) : undefined)
			.fixed('labCase.patient', 'participants', 'participants', [{ primary: true }])
			.reference('labCase.patient', 'participants.0.person_id', bundle.bundleKey);
		operations.push(builder.build());
		if (longPrescription) {
			const note = new OperationBuilder(
				ctx,
				'note',
				prescriptionNoteKey(labCase.sourceKey),
				bundle.bundleKey,
			)
				.fixed(
					'labCase.prescription',
					'content',
					'html',
					noteHtml([`Lab prescription (${subject})`, '', prescription]),
				)
				.fixed(
					'labCase.submittedDate',
					'add_time',
					'date-time',
					labCase.submittedDate && `${labCase.submittedDate} 00:00:00`,
				)
				// Note authors follow the owner rule: the lab case's provider writes its prescription.
				.fixed(
					'labCase.provider',
					'user_id',
					'user',
					ctx.author(labCase.providerKey, labCase.sourceKey),
				)
				.reference('labCase.patient', 'person_id', bundle.bundleKey);
			operations.push(note.build());
		}
	}
	return operations;
}
