import { badRequest } from './apiError';
import { isDate } from './bodyRules';
import type { Rec } from './account';

/**
 * API v1 conventions used by notes, files and leads: bodies may be JSON or form-encoded (so ids
 * arrive as numbers or numeric strings), times are `YYYY-MM-DD HH:MM:SS` UTC, lists use offset
 * paging (`start`, `limit` ≤ 500) with `additional_data.pagination`.
 */
export function v1Integer(
	value: unknown,
	property: string,
	problems: string[],
): number | null | undefined {
	if (value === undefined) return undefined;
	if (value === null || value === '') return null;
	if (Number.isInteger(value)) return value as number;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	problems.push(`"${property}" must be a number`);
	return undefined;
}

/** v1 flags: `true/false`, `1/0` or `"1"/"0"`. */
export function v1Flag(value: unknown, property: string, problems: string[]): boolean | undefined {
	if (value === undefined) return undefined;
	if (value === true || value === 1 || value === '1' || value === 'true') return true;
	if (value === false || value === 0 || value === '0' || value === 'false') return false;
	problems.push(`"${property}" must be 0 or 1`);
	return undefined;
}

const V1_TIME = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

export function isV1Time(value: unknown): value is string {
	return typeof value === 'string' && V1_TIME.test(value) && isDate(value.slice(0, 10));
}

export function v1Problems(problems: string[], error: string): void {
	if (problems.length > 0) throw badRequest(error, problems.join('; '));
}

/** Offset paging; `max` is the endpoint's `limit` maximum (500, files 100 as their spec says). */
export function v1Page(
	records: Rec[],
	query: URLSearchParams,
	max = 500,
): { data: Rec[]; additional_data: Rec } {
	const problems: string[] = [];
	const start = v1Integer(query.get('start') ?? undefined, 'start', problems) ?? 0;
	const limit = v1Integer(query.get('limit') ?? undefined, 'limit', problems) ?? 100;
	if (limit < 1 || limit > max) problems.push(`"limit" must be from 1 to ${max}`);
	v1Problems(problems, 'Invalid paging parameters');
	const data = records.slice(start, start + limit);
	const more = start + data.length < records.length;
	return {
		data,
		additional_data: {
			pagination: {
				start,
				limit,
				more_items_in_collection: more,
				...(more ? { next_start: start + data.length } : {}),
			},
		},
	};
}

/** v1 `sort=field ASC, other DESC`. */
export function v1Sort(records: Rec[], sort: string | null, allowed: readonly string[]): Rec[] {
	if (!sort) return records;
	const keys = sort.split(',').map((part) => {
		const [field, dir = 'ASC'] = part.trim().split(/\s+/);
		if (!allowed.includes(field) || !['ASC', 'DESC'].includes(dir.toUpperCase())) {
			throw badRequest('Invalid sort', `Sort by ${allowed.join(', ')} with ASC or DESC`);
		}
		return { field, sign: dir.toUpperCase() === 'ASC' ? 1 : -1 };
	});
	return [...records].sort((a, b) => {
		for (const { field, sign } of keys) {
			const x = a[field] as string | number;
			const y = b[field] as string | number;
			if (x < y) return -sign;
			if (x > y) return sign;
		}
		return 0;
	});
}
