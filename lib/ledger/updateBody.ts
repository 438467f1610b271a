import type { PipedriveObject } from '../plan/plan';

/**
 * Fields Pipedrive takes on create but refuses on update: v2 PATCH of persons and organizations
 * answers `ERR_SCHEMA_VALIDATION_FAILED` for `add_time` (api-facts §3.1, §3.2). An update sends
 * the plan's body without them; the diff report still compares them.
 */
const CREATE_ONLY_FIELDS: Partial<Record<PipedriveObject, readonly string[]>> = {
	person: ['add_time'],
	organization: ['add_time'],
};

export function updateBody(
	object: PipedriveObject,
	body: Record<string, unknown>,
): Record<string, unknown> {
	const createOnly = CREATE_ONLY_FIELDS[object] ?? [];
	return Object.fromEntries(Object.entries(body).filter(([key]) => !createOnly.includes(key)));
}
