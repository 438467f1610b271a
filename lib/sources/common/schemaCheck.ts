import type { ZodType } from 'zod';

/**
 * Whether a built record certainly passes its canonical schema, decided without zod.
 *
 * A paged read builds every row of the export (the report covers it all) but keeps the records of
 * its page's patients only; a record nothing keeps needs to pass its schema, not zod's parsed copy
 * of it. Parsing each one with zod was an eighth of the read. This check is compiled once per
 * schema from the schema's own definition and is sound, not complete: it says yes only for the
 * constructs the canonical model uses (objects, strings with a minimum length or a pattern, safe
 * integers with a bound, booleans, enums, literals, arrays, string records, optional and default)
 * and only when zod would find nothing wrong. Anything else — another construct or check, an
 * unusual value — is a no, and the caller parses the record with zod as before, so every issue a
 * row gets still comes from zod with its own words (driver.ts, validated).
 */
export function passesSchema(schema: ZodType, value: unknown): boolean {
	return compiledOnce(compiled, schema, compile)(value);
}

/** What `build` makes of a schema, made once per schema and kept while the schema lives. */
function compiledOnce<T>(
	cache: WeakMap<ZodType, T>,
	schema: ZodType,
	build: (schema: ZodType) => T,
): T {
	let built = cache.get(schema);
	if (built === undefined) {
		built = build(schema);
		cache.set(schema, built);
	}
	return built;
}

type Check = (value: unknown) => boolean;

const compiled = new WeakMap<ZodType, Check>();

const never: Check = () => false;

/** The parts of zod's internal definitions this reads (zod 4: `schema._zod.def`). */
interface Definition {
	type?: string;
	checks?: { _zod?: { def?: CheckDefinition } }[];
	shape?: Record<string, unknown>;
	catchall?: unknown;
	innerType?: unknown;
	element?: unknown;
	keyType?: unknown;
	valueType?: unknown;
}

interface CheckDefinition {
	check?: string;
	format?: string;
	minimum?: number;
	pattern?: RegExp;
	value?: unknown;
	inclusive?: boolean;
}

interface Internals {
	def?: Definition;
	values?: unknown;
}

function internals(schema: unknown): Internals | undefined {
	return (schema as { _zod?: Internals } | undefined)?._zod;
}

function compile(schema: unknown): Check {
	const zod = internals(schema);
	const def = zod?.def;
	if (!def) return never;
	const checks = (def.checks ?? []).map((check) => check._zod?.def);
	switch (def.type) {
		case 'string':
			return stringCheck(checks);
		case 'number':
			return numberCheck(checks);
		case 'boolean':
			return checks.length === 0 ? (value) => typeof value === 'boolean' : never;
		case 'enum':
		case 'literal': {
			const values = zod?.values;
			if (!(values instanceof Set) || checks.length > 0) return never;
			return (value) => values.has(value);
		}
		case 'optional':
		case 'default': {
			// zod leaves an absent optional value absent and puts the default in for an absent defaulted one.
			const inner = compile(def.innerType);
			return checks.length === 0 ? (value) => value === undefined || inner(value) : never;
		}
		case 'array': {
			const element = compile(def.element);
			if (checks.length > 0) return never;
			return (value) => Array.isArray(value) && value.every(element);
		}
		case 'record':
			return recordCheck(def, checks.length);
		case 'object':
			return objectCheck(def, checks.length);
		default:
			return never;
	}
}

function stringCheck(checks: (CheckDefinition | undefined)[]): Check {
	const parts: Check[] = [];
	for (const check of checks) {
		if (check?.check === 'min_length' && typeof check.minimum === 'number') {
			const minimum = check.minimum;
			parts.push((value) => (value as string).length >= minimum);
		} else if (
			check?.check === 'string_format' &&
			check.format === 'regex' &&
			check.pattern instanceof RegExp
		) {
			const pattern = check.pattern;
			parts.push((value) => {
				pattern.lastIndex = 0;
				return pattern.test(value as string);
			});
		} else {
			return never;
		}
	}
	return allOf((value) => typeof value === 'string', parts);
}

/** `first` and then every one of `parts`; the common shapes without a loop (this runs per field). */
function allOf(first: Check, parts: Check[]): Check {
	if (parts.length === 0) return first;
	if (parts.length === 1) {
		const [only] = parts;
		return (value) => first(value) && only(value);
	}
	return (value) => first(value) && parts.every((part) => part(value));
}

function numberCheck(checks: (CheckDefinition | undefined)[]): Check {
	const parts: Check[] = [];
	for (const check of checks) {
		if (check?.check === 'number_format' && check.format === 'safeint') {
			parts.push((value) => Number.isSafeInteger(value));
		} else if (check?.check === 'greater_than' && typeof check.value === 'number') {
			const bound = check.value;
			parts.push(
				check.inclusive === true
					? (value) => (value as number) >= bound
					: (value) => (value as number) > bound,
			);
		} else {
			return never;
		}
	}
	// zod refuses NaN and the infinities.
	return allOf((value) => Number.isFinite(value), parts);
}

/** A record of strings by string key: a plain object whose own keys are all ordinary strings. */
function recordCheck(def: Definition, checkCount: number): Check {
	const keyDef = internals(def.keyType)?.def;
	if (checkCount > 0 || keyDef?.type !== 'string' || (keyDef.checks ?? []).length > 0) return never;
	const valueCheck = compile(def.valueType);
	return (value) => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
		const prototype = Object.getPrototypeOf(value);
		if (prototype !== Object.prototype && prototype !== null) return false;
		if (Object.getOwnPropertySymbols(value).length > 0) return false;
		for (const key of Object.getOwnPropertyNames(value)) {
			if (key === '__proto__') return false;
			if (!valueCheck((value as Record<string, unknown>)[key])) return false;
		}
		return true;
	};
}

/** An object without a catch-all: every field of the shape passes; other keys are zod's to strip. */
function objectCheck(def: Definition, checkCount: number): Check {
	if (checkCount > 0 || def.catchall !== undefined || !def.shape) return never;
	const fields = Object.entries(def.shape).map(([key, field]) => ({ key, check: compile(field) }));
	if (fields.some((field) => field.key === '__proto__')) return never;
	return (value) => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
		const record = value as Record<string, unknown>;
		for (const field of fields) if (!field.check(record[field.key])) return false;
		return true;
	};
}

/** What parsedCopy gives when it cannot vouch for a record: zod must parse it. */
export const NOT_VOUCHED: unique symbol = Symbol('not vouched');

type Copy = (value: unknown) => unknown;

const copies = new WeakMap<ZodType, Copy>();

/**
 * What `schema.safeParse(value).data` is for a record that passes (see passesSchema), built
 * without zod: zod's copy of it, field for field — objects with the shape's keys in the shape's
 * order (an optional or required key when the record has it, even as undefined; a defaulted key
 * always, with the schema's default when absent), other keys dropped; arrays and string records
 * copied; everything else as it is. NOT_VOUCHED when passesSchema would say no: the caller parses
 * with zod. A kept record (one of the page's patients, its children) needs the copy, not just the
 * yes; checking and copying go together, in one walk of the record.
 */
export function parsedCopy(schema: ZodType, value: unknown): unknown {
	return compiledOnce(copies, schema, compileCopy)(value);
}

const notVouched: Copy = () => NOT_VOUCHED;

function compileCopy(schema: unknown): Copy {
	const def = internals(schema)?.def;
	if (!def) return notVouched;
	const plain = (def.checks ?? []).length === 0;
	switch (def.type) {
		case 'optional': {
			const inner = compileCopy(def.innerType);
			return plain ? (value) => (value === undefined ? undefined : inner(value)) : notVouched;
		}
		case 'default': {
			const inner = compileCopy(def.innerType);
			// zod's getter: a fresh (shallow-cloned) default for every record.
			const holder = def as { defaultValue?: unknown };
			return plain
				? (value) => (value === undefined ? holder.defaultValue : inner(value))
				: notVouched;
		}
		case 'array': {
			const element = compileCopy(def.element);
			if (!plain) return notVouched;
			return (value) => {
				if (!Array.isArray(value)) return NOT_VOUCHED;
				const copy: unknown[] = new Array(value.length);
				for (let index = 0; index < value.length; index += 1) {
					const item = element(value[index]);
					if (item === NOT_VOUCHED) return NOT_VOUCHED;
					copy[index] = item;
				}
				return copy;
			};
		}
		case 'record': {
			const check = compile(schema);
			const valueType = internals(def.valueType)?.def?.type;
			if (!['string', 'number', 'boolean', 'enum', 'literal'].includes(valueType ?? ''))
				return notVouched;
			return (value) => {
				if (!check(value)) return NOT_VOUCHED;
				// Values of those types are zod's own output: copied as they are.
				const copy: Record<string, unknown> = {};
				for (const key of Object.keys(value as object))
					copy[key] = (value as Record<string, unknown>)[key];
				return copy;
			};
		}
		case 'object':
			return plain && def.catchall === undefined ? objectCopy(def) : notVouched;
		default: {
			// Strings, numbers, booleans, enums, literals: zod gives the value itself.
			const check = compile(schema);
			return (value) => (check(value) ? value : NOT_VOUCHED);
		}
	}
}

function objectCopy(def: Definition): Copy {
	const fields = Object.entries(def.shape ?? {}).map(([key, field]) => ({
		key,
		copy: compileCopy(field),
		defaulted: internals(field)?.def?.type === 'default',
	}));
	if (fields.some((field) => field.key === '__proto__')) return notVouched;
	return (value) => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_VOUCHED;
		const record = value as Record<string, unknown>;
		const copy: Record<string, unknown> = {};
		for (const field of fields) {
			const item = field.copy(record[field.key]);
			if (item === NOT_VOUCHED) return NOT_VOUCHED;
			if (field.defaulted || field.key in record) copy[field.key] = item;
		}
		return copy;
	};
}
