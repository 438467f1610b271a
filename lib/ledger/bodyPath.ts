import { apiId } from './ledgerClient';

/**
 * Dot paths into a Pipedrive request body, as the plan uses them: `name`, `custom_fields.<hash>`,
 * `participants.0.person_id`. Numeric segments index arrays.
 */
export function getAtPath(body: unknown, path: string): unknown {
	let current: unknown = body;
	for (const segment of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

/** Sets a value, creating objects (or arrays, for numeric segments) on the way. Mutates `body`. */
export function setAtPath(body: Record<string, unknown>, path: string, value: unknown): void {
	const segments = path.split('.');
	let current: Record<string, unknown> = body;
	segments.slice(0, -1).forEach((segment, index) => {
		const next = current[segment];
		if (next === null || typeof next !== 'object') {
			current[segment] = /^\d+$/.test(segments[index + 1]) ? [] : {};
		}
		current = current[segment] as Record<string, unknown>;
	});
	current[segments[segments.length - 1]] = value;
}

/**
 * The request body of an operation with its refs (source keys) replaced by Pipedrive ids, as
 * sent at commit time and as the diff report expects to read back. Refs without an id stay out.
 */
export function resolvedBody(
	operation: { body: Record<string, unknown>; refs: Record<string, string> },
	pipedriveIdOf: (sourceKey: string) => string | undefined,
): Record<string, unknown> {
	const body = structuredClone(operation.body);
	for (const [path, ref] of Object.entries(operation.refs)) {
		const id = pipedriveIdOf(ref);
		if (id !== undefined) setAtPath(body, path, apiId(id));
	}
	return body;
}
