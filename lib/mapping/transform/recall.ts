import { compareText } from '../order';
import type { Task } from '../../model';
import type { Value } from './values';

/**
 * Dental-Exec keeps recall and hygiene schedules inside task records: the next recall date is the
 * earliest open recall/hygiene task, the interval is that task's (or the latest task's that has one).
 */
export function recall(tasks: Task[]): {
	intervalMonths?: Value;
	nextDate?: Value;
} {
	const recalls = tasks
		.filter((task) => task.type === 'recall' || task.type === 'hygiene')
		.sort(
			(a, b) =>
				compareText(a.dueDate ?? '', b.dueDate ?? '') || compareText(a.sourceKey, b.sourceKey),
		);
	const next = recalls.find((task) => task.status !== 'done' && task.dueDate !== undefined);
	const withInterval =
		next?.intervalMonths !== undefined
			? next
			: [...recalls].reverse().find((t) => t.intervalMonths);
	return {
		nextDate: next?.dueDate === undefined ? undefined : { type: 'date', value: next.dueDate },
		intervalMonths:
			withInterval?.intervalMonths === undefined
				? undefined
				: { type: 'number', value: withInterval.intervalMonths },
	};
}
