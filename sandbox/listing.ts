import type { Rec } from './account';
import { isDateTime } from './bodyRules';
import { validationFailed } from './apiError';

/**
 * v2 list mechanics shared by every collection: `limit` (≤ 500), an opaque cursor
 * (base64url JSON of the position in the sorted result, like the spec's example cursor),
 * `ids`, `updated_since` / `updated_until`, `sort_by` / `sort_direction`.
 */
export interface Page<T> {
	items: T[];
	nextCursor: string | null;
}

export function parseLimit(query: URLSearchParams, max = 500): number {
	const raw = query.get('limit');
	if (raw === null) return 100;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > max)
		throw validationFailed([`limit: Expected an integer from 1 to ${max}`]);
	return n;
}

export function paginate<T>(items: T[], query: URLSearchParams, max = 500): Page<T> {
	const limit = parseLimit(query, max);
	const start = decodeCursor(query.get('cursor'));
	const slice = items.slice(start, start + limit);
	const end = start + slice.length;
	return { items: slice, nextCursor: end < items.length ? encodeCursor(end) : null };
}

function encodeCursor(position: number): string {
	return Buffer.from(JSON.stringify({ position })).toString('base64url');
}

function decodeCursor(cursor: string | null): number {
	if (cursor === null || cursor === '') return 0;
	try {
		const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
			position?: unknown;
		};
		if (Number.isInteger(parsed.position) && (parsed.position as number) >= 0)
			return parsed.position as number;
	} catch {
		// fall through to the validation error
	}
	throw validationFailed(['cursor: Invalid cursor']);
}

export function integerParam(query: URLSearchParams, name: string): number | undefined {
	const raw = query.get(name);
	if (raw === null) return undefined;
	const n = Number(raw);
	if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n))
		throw validationFailed([`${name}: Expected 'integer'`]);
	return n;
}

export function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
	const raw = query.get(name);
	if (raw === null) return undefined;
	if (raw === 'true' || raw === '1') return true;
	if (raw === 'false' || raw === '0') return false;
	throw validationFailed([`${name}: Expected 'boolean'`]);
}

export function enumParam<T extends string>(
	query: URLSearchParams,
	name: string,
	allowed: readonly T[],
): T | undefined {
	const raw = query.get(name);
	if (raw === null) return undefined;
	if (!(allowed as readonly string[]).includes(raw))
		throw validationFailed([`${name}: Expected one of ${allowed.join(', ')}`]);
	return raw as T;
}

/** `ids=1,2,3` (at most 100, as the spec says). */
export function idsParam(query: URLSearchParams): Set<number> | undefined {
	const raw = query.get('ids');
	if (raw === null) return undefined;
	const parts = raw.split(',').map((s) => s.trim());
	if (parts.length > 100 || !parts.every((p) => /^\d+$/.test(p))) {
		throw validationFailed(['ids: Expected a comma-separated list of at most 100 integer ids']);
	}
	return new Set(parts.map(Number));
}

/** `updated_since` (inclusive) and `updated_until` (exclusive), RFC 3339. */
export function updatedWindow(query: URLSearchParams): (rec: Rec) => boolean {
	const bound = (name: string): number | undefined => {
		const raw = query.get(name);
		if (raw === null) return undefined;
		if (!isDateTime(raw))
			throw validationFailed([
				`${name}: Expected an RFC 3339 date-time like '2024-01-01T00:00:00Z'`,
			]);
		return Date.parse(raw);
	};
	const since = bound('updated_since');
	const until = bound('updated_until');
	return (rec) => {
		const t = Date.parse(String(rec.update_time));
		return (since === undefined || t >= since) && (until === undefined || t < until);
	};
}

/** Sorts by `sort_by` (default id) then id, in `sort_direction` (default asc). */
export function sortRecords(
	records: Rec[],
	query: URLSearchParams,
	sortable: readonly string[],
): Rec[] {
	const by = enumParam(query, 'sort_by', sortable) ?? 'id';
	const direction = enumParam(query, 'sort_direction', ['asc', 'desc'] as const) ?? 'asc';
	const sign = direction === 'asc' ? 1 : -1;
	const key = (r: Rec): string | number => {
		const v = r[by];
		if (by === 'id' || typeof v === 'number') return Number(v);
		return v === null || v === undefined ? '' : String(v);
	};
	return [...records].sort((a, b) => {
		const ka = key(a);
		const kb = key(b);
		if (ka < kb) return -sign;
		if (ka > kb) return sign;
		return (Number(a.id) - Number(b.id)) * sign;
	});
}

export function listEnvelope<T>(page: Page<T>): {
	success: true;
	data: T[];
	additional_data: { next_cursor: string | null };
} {
	return { success: true, data: page.items, additional_data: { next_cursor: page.nextCursor } };
}
