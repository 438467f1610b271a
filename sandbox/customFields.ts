import {
	type AccountState,
	type FieldDef,
	type FieldEntity,
	liveCustomFields,
	type Rec,
} from './account';
import { isClock, isDate, isPlainObject, ADDRESS_PARTS } from './bodyRules';

/**
 * v2 custom-field values: always inside `custom_fields`, typed per field_type (api-facts §4.2).
 * Problems name the field code and the expected type, never the value.
 */
const TEXT_TYPES = new Set(['varchar', 'varchar_auto', 'text', 'phone']);
const ID_TYPES = new Set(['user', 'org', 'people']);

export function isHashKey(key: string): boolean {
	return /^[0-9a-f]{40}$/.test(key);
}

function checkOne(state: AccountState, field: FieldDef, value: unknown): string | undefined {
	if (value === null) return undefined;
	const optionIds = new Set((field.options ?? []).map((o) => o.id));
	switch (field.field_type) {
		case 'varchar':
		case 'varchar_auto':
		case 'phone':
			if (typeof value !== 'string') return "Expected 'string'";
			return value.length > 255 ? 'Text is longer than 255 characters' : undefined;
		case 'text':
			if (typeof value !== 'string') return "Expected 'string'";
			return value.length > 65_535 ? 'Text is longer than 65535 characters' : undefined;
		case 'double':
			return typeof value === 'number' && Number.isFinite(value) ? undefined : "Expected 'number'";
		case 'monetary':
			if (
				!isPlainObject(value) ||
				typeof value.value !== 'number' ||
				typeof value.currency !== 'string'
			) {
				return "Expected '{ value: number, currency: string }' for monetary custom field";
			}
			return Object.keys(value).every((k) => k === 'value' || k === 'currency')
				? undefined
				: 'Only value and currency are allowed for monetary custom field';
		case 'enum':
			if (typeof value !== 'number')
				return "Expected 'number' as value for single option custom field";
			return optionIds.has(value) ? undefined : 'Option id is not an option of this custom field';
		case 'set':
			if (!Array.isArray(value))
				return "Expected 'array' of option ids for multiple options custom field";
			if (value.length === 0)
				return 'Expected a non-empty array; use null to clear a multiple options custom field';
			if (!value.every((v) => typeof v === 'number'))
				return "Expected 'number' option ids for multiple options custom field";
			return value.every((v) => optionIds.has(v as number))
				? undefined
				: 'Option id is not an option of this custom field';
		case 'user':
			if (!Number.isInteger(value)) return "Expected 'integer' user id";
			return state.users.some((u) => u.id === value) ? undefined : 'User does not exist';
		case 'org':
		case 'people':
			return Number.isInteger(value) ? undefined : "Expected 'integer' id";
		case 'date':
			return isDate(value) ? undefined : "Expected a date 'YYYY-MM-DD'";
		case 'daterange':
			return isPlainObject(value) &&
				isDate(value.value) &&
				isDate(value.until) &&
				onlyKeys(value, ['value', 'until'])
				? undefined
				: "Expected '{ value: YYYY-MM-DD, until: YYYY-MM-DD }' for date range custom field";
		case 'time':
			return isPlainObject(value) &&
				isClock(value.value) &&
				timezoneOk(value) &&
				onlyKeys(value, ['value', 'timezone_name', 'timezone_id'])
				? undefined
				: "Expected '{ value: HH:MM:SS, timezone_name?: string }' for time custom field";
		case 'timerange':
			return isPlainObject(value) &&
				isClock(value.value) &&
				isClock(value.until) &&
				timezoneOk(value) &&
				onlyKeys(value, ['value', 'until', 'timezone_name', 'timezone_id'])
				? undefined
				: "Expected '{ value: HH:MM:SS, until: HH:MM:SS, timezone_name?: string }' for time range custom field";
		case 'address':
			if (!isPlainObject(value) || typeof value.value !== 'string') {
				return "Expected '{ value: string, …address parts }' for address custom field";
			}
			return Object.entries(value).every(
				([k, v]) =>
					([...ADDRESS_PARTS, 'formatted_address'] as string[]).includes(k) &&
					(v === null || typeof v === 'string'),
			)
				? undefined
				: 'Unknown or non-string address part for address custom field';
		default:
			return TEXT_TYPES.has(field.field_type) || ID_TYPES.has(field.field_type)
				? undefined
				: 'Field cannot be written';
	}
}

function onlyKeys(value: Record<string, unknown>, keys: string[]): boolean {
	return Object.keys(value).every((k) => keys.includes(k));
}

function timezoneOk(value: Record<string, unknown>): boolean {
	return value.timezone_name === undefined || typeof value.timezone_name === 'string';
}

/** Validates a `custom_fields` object for `entity`; appends problems. */
export function checkCustomFields(
	state: AccountState,
	entity: FieldEntity,
	value: unknown,
	problems: string[],
): void {
	if (!isPlainObject(value)) {
		problems.push("custom_fields: Expected 'object'");
		return;
	}
	const fields = new Map(liveCustomFields(state, entity).map((f) => [f.field_code, f]));
	for (const [code, v] of Object.entries(value)) {
		const field = fields.get(code);
		if (!field) {
			problems.push(`custom_fields.${code}: Unknown custom field for this entity`);
			continue;
		}
		const problem = checkOne(state, field, v);
		if (problem) problems.push(`custom_fields.${code}: ${problem}`);
	}
}

/** Stored values merged with an update; nulls clear. Address parts not given become null. */
export function mergeCustomFields(
	state: AccountState,
	entity: FieldEntity,
	stored: Rec,
	update: Record<string, unknown>,
): Rec {
	const fields = new Map(liveCustomFields(state, entity).map((f) => [f.field_code, f]));
	const next: Rec = { ...stored };
	for (const [code, v] of Object.entries(update)) {
		if (v === null) {
			delete next[code];
		} else if (fields.get(code)?.field_type === 'address' && isPlainObject(v)) {
			next[code] = Object.fromEntries(
				[...ADDRESS_PARTS, 'formatted_address'].map((p) => [
					p,
					(v[p] as string | undefined) ?? null,
				]),
			);
		} else {
			next[code] = v;
		}
	}
	return next;
}

/**
 * Response view: every live custom field of the entity appears, `null` when unset. The spec
 * examples show `"custom_fields": {}` for an account without custom fields, which this matches;
 * the migration's diff report can rely on a key being present for every field it provisioned.
 */
export function renderCustomFields(
	state: AccountState,
	entity: FieldEntity,
	stored: Rec | undefined,
): Rec {
	const out: Rec = {};
	for (const f of liveCustomFields(state, entity))
		out[f.field_code] = stored?.[f.field_code] ?? null;
	return out;
}

/** Custom fields count across all field entities, for the plan cap. */
export function customFieldCount(state: AccountState): number {
	return (['person', 'organization', 'deal', 'product'] as const).reduce(
		(n, e) => n + liveCustomFields(state, e).length,
		0,
	);
}
