import { compareText } from '../order';
import type { TreatmentPlan } from '../../model';
import type { Value } from './values';

const VARCHAR_MAX = 255;

/**
 * Brief DentAdmin row 8: the patient's RIZIV codes, most frequent first (ties: most recent, then
 * code), as many as fit a text field. The billing logic behind the codes is not migrated.
 */
export function patientRizivCodes(plans: TreatmentPlan[]): Value | undefined {
	const seen = new Map<string, { count: number; latest: string }>();
	for (const plan of plans)
		for (const procedure of plan.procedures) {
			if (procedure.code?.system !== 'RIZIV' || procedure.status === 'cancelled') continue;
			const entry = seen.get(procedure.code.code) ?? { count: 0, latest: '' };
			entry.count += 1;
			if ((procedure.date ?? '') > entry.latest) entry.latest = procedure.date ?? '';
			seen.set(procedure.code.code, entry);
		}
	const ordered = [...seen.entries()]
		.sort(
			(a, b) =>
				b[1].count - a[1].count || compareText(b[1].latest, a[1].latest) || compareText(a[0], b[0]),
		)
		.map(([code]) => code);
	let line = '';
	for (const code of ordered) {
		const next = line === '' ? code : `${line}, ${code}`;
		if (next.length > VARCHAR_MAX) break;
		line = next;
	}
	return line === '' ? undefined : { type: 'text', value: line };
}
