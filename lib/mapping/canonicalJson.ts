/**
 * JSON with object keys sorted at every level, so equal content gives equal bytes whatever order
 * the keys were built in. Used for spec hashes and for plans (byte-identical across runs).
 * `undefined` members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown, indent?: string): string {
	return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value !== null && typeof value === 'object') {
		const sorted: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort()) {
			const member = (value as Record<string, unknown>)[key];
			if (member !== undefined) sorted[key] = sortKeys(member);
		}
		return sorted;
	}
	return value;
}
