import { getAtPath } from './bodyPath';
import { canonicalJson } from './payloadHash';

/**
 * The before-image of an update: for each field the new body sets (custom fields one by one),
 * the record's current value, kept only where it differs. That is exactly what rollback needs to
 * restore and no more. Also used to verify a restore: an empty result means the record holds
 * the image again.
 */
export function changedFields(
	record: Record<string, unknown>,
	body: Record<string, unknown>,
): Record<string, unknown> {
	const before: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		if (key === 'custom_fields' && value && typeof value === 'object') {
			const custom: Record<string, unknown> = {};
			for (const [hash, next] of Object.entries(value as Record<string, unknown>)) {
				const now = getAtPath(record, `custom_fields.${hash}`) ?? record[hash] ?? null;
				if (canonicalJson(now) !== canonicalJson(next)) custom[hash] = now;
			}
			if (Object.keys(custom).length > 0) before.custom_fields = custom;
			continue;
		}
		const now = record[key] ?? null;
		if (canonicalJson(now) !== canonicalJson(value)) before[key] = now;
	}
	return before;
}
