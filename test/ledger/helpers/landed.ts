import type { SandboxSnapshot } from '../../../sandbox';
import {
	SOURCE_KEY_FIELD_NAME,
	type FieldRegistry,
} from '../../../lib/pipedrive/schemaRequirements';

/**
 * What landed in the sandbox, counted by source key (persons, organizations, deals, leads) or by
 * parent and content (activities, notes, files): a duplicate shows as a count above 1, a lost
 * record as a key that is absent.
 */
export function landedCounts(
	snapshot: SandboxSnapshot,
	registry: FieldRegistry,
): Map<string, number> {
	const counts = new Map<string, number>();
	const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
	const keyOf = (record: Record<string, unknown>, object: 'person' | 'organization' | 'deal') => {
		const hash = registry.fields[object][SOURCE_KEY_FIELD_NAME].key;
		const custom = (record.custom_fields ?? {}) as Record<string, unknown>;
		return String(custom[hash] ?? record[hash]);
	};
	for (const person of snapshot.persons) add(keyOf(person, 'person'));
	for (const organization of snapshot.organizations) add(keyOf(organization, 'organization'));
	for (const deal of snapshot.deals) add(keyOf(deal, 'deal'));
	for (const lead of snapshot.leads) add(keyOf(lead, 'deal'));
	for (const activity of snapshot.activities)
		add(`activity:${activity.person_id}:${activity.due_date}:${activity.subject}`);
	for (const note of snapshot.notes) add(`note:${note.person_id}:${note.content}`);
	for (const file of snapshot.files) add(`file:${file.person_id}:${file.file_name}`);
	return counts;
}

/** Keys present more than once. */
export function duplicates(counts: Map<string, number>): string[] {
	return [...counts].filter(([, n]) => n > 1).map(([key]) => key);
}
