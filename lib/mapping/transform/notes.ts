import type { PatientBundle } from '../../model';
import type { PlanOperation } from '../../plan/plan';
import type { TransformContext } from './context';
import { OperationBuilder } from './operationBuilder';
import { noteHtml, v1DateTime } from './text';

/**
 * Brief Dental-Exec row 9 / DentAdmin row 5: notes stay notes on the person, with their original
 * time and author (by the owner rule: the provider's user from the owner map), rich text already flattened by the reader,
 * category and tags written as labels at the top. Clinical notes follow the privacy setting.
 */
export function noteOperations(ctx: TransformContext, bundle: PatientBundle): PlanOperation[] {
	const privacy = ctx.spec.privacy;
	const clinical = new Set(privacy.clinicalNoteCategories.map((c) => c.toLowerCase()));
	const operations: PlanOperation[] = [];
	for (const note of bundle.notes) {
		if (
			privacy.clinicalNotes === 'exclude' &&
			note.category !== undefined &&
			clinical.has(note.category.toLowerCase())
		) {
			ctx.report(
				'info',
				note.sourceKey,
				'clinical-note-excluded',
				'A clinical note was not migrated: the spec privacy setting excludes clinical notes.',
			);
			continue;
		}
		const labels = [note.category, ...note.tags].filter(
			(label): label is string => !!label && label.trim() !== '',
		);
		const lines =
			labels.length > 0
				? [labels.map((label) => `[${label.trim()}]`).join(' '), note.text]
				: [note.text];
		operations.push(
			new OperationBuilder(ctx, 'note', note.sourceKey, bundle.bundleKey)
				.fixed('note.text', 'content', 'html', noteHtml(lines))
				.fixed(
					'note.createdAt',
					'add_time',
					'date-time',
					note.createdAt && v1DateTime(note.createdAt),
				)
				.fixed('note.author', 'user_id', 'user', ctx.author(note.authorKey, note.sourceKey))
				.reference('note.patient', 'person_id', bundle.bundleKey)
				.build(),
		);
	}
	return operations;
}
