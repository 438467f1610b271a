import { validationFailed } from './apiError';

/**
 * A small declarative checker for request bodies: v2 is strict (no string→number coercion, no
 * unknown properties, RFC 3339 times, `YYYY-MM-DD` dates), so each body shape is listed once
 * per endpoint and checked here. Problems name the property path and the expected type, never
 * the value that was sent.
 */
export type Rule =
	| 'string'
	| 'integer'
	| 'number'
	| 'boolean'
	| 'date'
	| 'datetime'
	| 'clock'
	| 'uuid'
	| 'object'
	| { enum: readonly (string | number)[] }
	| { array: Rule }
	| { shape: Shape; required?: readonly string[] }
	| { nullable: Rule }
	| { anyOf: readonly Rule[] };

export type Shape = Record<string, Rule>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isDate(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const m = DATE.exec(value);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return (
		d.getUTCFullYear() === Number(m[1]) &&
		d.getUTCMonth() === Number(m[2]) - 1 &&
		d.getUTCDate() === Number(m[3])
	);
}

export function isDateTime(value: unknown): value is string {
	return (
		typeof value === 'string' &&
		DATETIME.test(value) &&
		!Number.isNaN(Date.parse(value)) &&
		isDate(value.slice(0, 10))
	);
}

export function isClock(value: unknown): value is string {
	return typeof value === 'string' && CLOCK.test(value);
}

export function isUuid(value: unknown): value is string {
	return typeof value === 'string' && UUID.test(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(rule: Rule): string {
	if (typeof rule === 'string') {
		return {
			string: "Expected 'string'",
			integer: "Expected 'integer'",
			number: "Expected 'number'",
			boolean: "Expected 'boolean'",
			date: "Expected a date 'YYYY-MM-DD'",
			datetime: "Expected an RFC 3339 date-time like '2024-01-01T00:00:00Z'",
			clock: "Expected a time 'HH:MM' or 'HH:MM:SS'",
			uuid: 'Expected a UUID',
			object: "Expected 'object'",
		}[rule];
	}
	if ('enum' in rule) return `Expected one of ${rule.enum.join(', ')}`;
	if ('array' in rule) return "Expected 'array'";
	if ('shape' in rule) return "Expected 'object'";
	if ('nullable' in rule) return describe(rule.nullable);
	return rule.anyOf.map(describe).join(' or ');
}

/** Appends a problem per violation of `rule` at `path`. */
export function checkValue(value: unknown, rule: Rule, path: string, problems: string[]): void {
	if (typeof rule === 'object' && 'nullable' in rule) {
		if (value !== null) checkValue(value, rule.nullable, path, problems);
		return;
	}
	if (typeof rule === 'object' && 'anyOf' in rule) {
		const ok = rule.anyOf.some((r) => {
			const inner: string[] = [];
			checkValue(value, r, path, inner);
			return inner.length === 0;
		});
		if (!ok) problems.push(`${path}: ${describe(rule)}`);
		return;
	}
	const ok = (() => {
		if (typeof rule === 'string') {
			switch (rule) {
				case 'string':
					return typeof value === 'string';
				case 'integer':
					return Number.isInteger(value);
				case 'number':
					return typeof value === 'number' && Number.isFinite(value);
				case 'boolean':
					return typeof value === 'boolean';
				case 'date':
					return isDate(value);
				case 'datetime':
					return isDateTime(value);
				case 'clock':
					return isClock(value);
				case 'uuid':
					return isUuid(value);
				case 'object':
					return isPlainObject(value);
			}
		}
		if ('enum' in rule) return rule.enum.includes(value as string | number);
		if ('array' in rule) return Array.isArray(value);
		return isPlainObject(value);
	})();
	if (!ok) {
		problems.push(`${path}: ${describe(rule)}`);
		return;
	}
	if (typeof rule === 'object' && 'array' in rule) {
		(value as unknown[]).forEach((item, i) =>
			checkValue(item, rule.array, `${path}[${i}]`, problems),
		);
	}
	if (typeof rule === 'object' && 'shape' in rule) {
		checkShape(value as Record<string, unknown>, rule.shape, rule.required ?? [], path, problems);
	}
}

export function checkShape(
	body: Record<string, unknown>,
	shape: Shape,
	required: readonly string[],
	path: string,
	problems: string[],
): void {
	const prefix = path ? `${path}.` : '';
	for (const key of Object.keys(body)) {
		if (!(key in shape)) {
			problems.push(`Parameter '${prefix}${key}' is not allowed for this request`);
			continue;
		}
		if (body[key] === undefined) continue;
		checkValue(body[key], shape[key], `${prefix}${key}`, problems);
	}
	for (const key of required) {
		if (body[key] === undefined) problems.push(`${prefix}${key}: Required`);
	}
}

/** Checks a whole v2 JSON body and throws `ERR_SCHEMA_VALIDATION_FAILED` listing every problem. */
export function requireShape(
	body: unknown,
	shape: Shape,
	required: readonly string[] = [],
): Record<string, unknown> {
	if (!isPlainObject(body)) throw validationFailed(["body: Expected 'object'"]);
	const problems: string[] = [];
	checkShape(body, shape, required, '', problems);
	if (problems.length > 0) throw validationFailed(problems);
	return body;
}

/** The spec's address object (organization address, person postal_address, activity location). */
export const ADDRESS_PARTS = [
	'value',
	'country',
	'admin_area_level_1',
	'admin_area_level_2',
	'locality',
	'sublocality',
	'route',
	'street_number',
	'subpremise',
	'postal_code',
] as const;

export const addressRule: Rule = {
	nullable: {
		shape: Object.fromEntries(ADDRESS_PARTS.map((p) => [p, { nullable: 'string' } as Rule])),
	},
};

/** Missing address parts become null, as Pipedrive does on POST and PATCH (api-facts §3.2). */
export function normaliseAddress(value: unknown): Record<string, string | null> | null {
	if (!isPlainObject(value)) return null;
	return Object.fromEntries(
		ADDRESS_PARTS.map((p) => [p, (value[p] as string | undefined) ?? null]),
	);
}
