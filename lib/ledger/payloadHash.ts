import { createHash } from 'node:crypto';

import type { PlanOperation } from '../plan/plan';

/**
 * The identity of what an operation writes: sha256 of the canonical JSON of its body and its
 * refs (as source keys, so the hash does not change when a parent gets a new Pipedrive id).
 * Equal hash on a re-run → nothing to write.
 */
export function payloadHash(operation: Pick<PlanOperation, 'body' | 'refs'>): string {
	return createHash('sha256')
		.update(canonicalJson({ body: operation.body, refs: operation.refs }))
		.digest('hex');
}

/** JSON with object keys sorted at every level; `undefined` members are left out as JSON does. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
		const record = value as Record<string, unknown>;
		return Object.fromEntries(
			Object.keys(record)
				.sort()
				.map((key) => [key, sortKeys(record[key])]),
		);
	}
	return value;
}
