import type { AccountState, Collection } from './account';

/**
 * Checks that an id a body refers to exists and is not deleted; appends a problem naming the
 * property. Pipedrive refuses links to missing records; the sandbox does it as a validation error.
 */
export function checkReference(
	state: AccountState,
	collection: Collection | 'users',
	id: unknown,
	property: string,
	problems: string[],
): void {
	if (id === null || id === undefined) return;
	if (collection === 'users') {
		if (!state.users.some((u) => u.id === id)) problems.push(`${property}: User not found`);
		return;
	}
	const rec = state.records[collection][String(id)];
	if (!rec || rec.is_deleted === true || rec.active_flag === false) {
		problems.push(
			`${property}: Referenced ${collection.replace(/s$/, '').replace(/ie$/, 'y')} not found`,
		);
	}
}
