import type { Appointment, PatientBundle } from '../../model';
import type { PlanOperation } from '../../plan/plan';
import type { ActivityKind } from '../spec';
import type { TransformContext } from './context';
import { OperationBuilder } from './operationBuilder';
import { hoursMinutes, labelOf, noteHtml } from './text';
import { text } from './values';

/**
 * Brief Dental-Exec row 5 / DentAdmin row 4: each appointment (each occurrence of a recurring one)
 * becomes an activity: type → activity type and subject, start → due date and time in UTC,
 * duration, provider → owner, status, procedure codes and notes → note, done when completed,
 * linked to the person as primary participant.
 */
export function appointmentOperations(
	ctx: TransformContext,
	bundle: PatientBundle,
): PlanOperation[] {
	return bundle.appointments.map((appointment) => {
		const kind = activityKind(ctx, appointment);
		const start = new Date(appointment.start).toISOString();
		const minutes =
			appointment.durationMinutes ??
			(appointment.end === undefined
				? undefined
				: Math.round((Date.parse(appointment.end) - Date.parse(appointment.start)) / 60_000));
		return new OperationBuilder(ctx, 'activity', appointment.sourceKey, bundle.bundleKey)
			.fixed('appointment.type', 'subject', 'text', kind.subject)
			.fixed('appointment.type', 'type', 'activity_type', ctx.activityType(kind.activityType))
			.fixed(
				'appointment.provider',
				'owner_id',
				'user',
				ctx.owner(appointment.providerKey, appointment.sourceKey),
			)
			.fixed('appointment.start', 'due_date', 'date', start.slice(0, 10))
			.fixed('appointment.start', 'due_time', 'time', start.slice(11, 16))
			.fixed(
				'appointment.duration',
				'duration',
				'time',
				minutes === undefined || minutes < 0 ? undefined : hoursMinutes(minutes),
			)
			.fixed('appointment.status', 'done', 'boolean', appointment.status === 'completed')
			.fixed('appointment.notes', 'note', 'html', activityNote(appointment))
			.fixed('appointment.patient', 'participants', 'participants', [{ primary: true }])
			.reference('appointment.patient', 'participants.0.person_id', bundle.bundleKey)
			.mapped('appointment.location', text(appointment.location))
			.build();
	});
}

/** The value map entry for the type, then for the source's own word; else the fallback (reported). */
function activityKind(ctx: TransformContext, appointment: Appointment): ActivityKind {
	const map = ctx.spec.valueMaps.appointmentTypes;
	for (const candidate of [appointment.type, appointment.typeLabel]) {
		const found =
			candidate === undefined ? undefined : (map[candidate] ?? map[candidate.toLowerCase()]);
		if (found !== undefined) return found;
	}
	if (appointment.type !== undefined || appointment.typeLabel !== undefined)
		ctx.report(
			'info',
			appointment.sourceKey,
			'appointment-type-fallback',
			'The appointment type is not in the spec value map: the fallback activity type is used. Add the type to valueMaps.appointmentTypes to change it.',
		);
	return ctx.spec.valueMaps.appointmentTypeFallback;
}

function activityNote(appointment: Appointment): string | undefined {
	const lines: string[] = [];
	if (appointment.status !== undefined) lines.push(`Status: ${labelOf(appointment.status)}`);
	if (appointment.typeLabel !== undefined) lines.push(`Type: ${appointment.typeLabel}`);
	if (appointment.procedureCodes.length > 0)
		lines.push(`Procedure codes: ${appointment.procedureCodes.map((c) => c.code).join(', ')}`);
	if (appointment.recurrence !== undefined)
		lines.push(
			`Recurring (${appointment.recurrence.frequency}): occurrence ${appointment.recurrence.occurrence} of ${appointment.recurrence.count}`,
		);
	if (text(appointment.notes) !== undefined) lines.push('', (appointment.notes as string).trim());
	return lines.length === 0 ? undefined : noteHtml(lines);
}
