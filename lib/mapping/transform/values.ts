import { createHmac } from 'node:crypto';
import type { Address, Money } from '../../model';
import type { RegisteredField } from '../../pipedrive/schemaRequirements';
import type { ValueTransform } from '../spec';

/**
 * A canonical value on its way to Pipedrive, tagged with what it is, so one converter per field
 * type turns it into exactly what API v2 accepts (numbers for enum ids, `{value, currency}` for
 * monetary, `YYYY-MM-DD` for dates) instead of each rule guessing.
 */
export type Value =
	| { type: 'text'; value: string }
	| { type: 'date'; value: string }
	| { type: 'dateTime'; value: string }
	| { type: 'number'; value: number }
	| { type: 'money'; value: Money }
	| { type: 'flag'; value: boolean }
	/** Option labels of an enum (one) or set (several) field, already through the value maps. */
	| { type: 'options'; labels: string[] }
	| { type: 'list'; values: string[] }
	| { type: 'phones'; values: { value: string; label: string }[] }
	| { type: 'address'; value: Address }
	/** Another migrated record: written through `refs`, resolved by the Ledger. */
	| { type: 'ref'; key: string };

export const text = (value: string | undefined): Value | undefined =>
	value === undefined || value.trim() === '' ? undefined : { type: 'text', value };
export const date = (value: string | undefined): Value | undefined =>
	value === undefined ? undefined : { type: 'date', value };
export const money = (value: Money | undefined): Value | undefined =>
	value === undefined ? undefined : { type: 'money', value };
export const num = (value: number | undefined): Value | undefined =>
	value === undefined ? undefined : { type: 'number', value };
export const ref = (key: string | undefined): Value | undefined =>
	key === undefined ? undefined : { type: 'ref', key };
export const options = (labels: string[]): Value | undefined =>
	labels.length === 0 ? undefined : { type: 'options', labels };
export const list = (values: string[]): Value | undefined =>
	values.length === 0 ? undefined : { type: 'list', values };

export type Converted = { ok: true; value: unknown } | { ok: false; problem: string };

const ok = (value: unknown): Converted => ({ ok: true, value });
const fail = (problem: string): Converted => ({ ok: false, problem });

export interface ConvertOptions {
	currency: string;
	yesNo: { yes: string; no: string };
}

/** A value as one line of text, for text-like fields. */
export function asText(value: Value, options: ConvertOptions): string | undefined {
	switch (value.type) {
		case 'text':
		case 'date':
		case 'dateTime':
			return value.value;
		case 'number':
			return String(value.value);
		case 'money':
			return `${value.value.amount} ${value.value.currency}`;
		case 'flag':
			return value.value ? options.yesNo.yes : options.yesNo.no;
		case 'options':
			return value.labels.join(', ');
		case 'list':
			return value.values.join(', ');
		case 'phones':
			return value.values.map((phone) => phone.value).join(', ');
		case 'address':
			return formatAddress(value.value);
		case 'ref':
			return undefined;
	}
}

export function formatAddress(address: Address): string {
	const street = [address.street, address.houseNumber].filter(Boolean).join(' ');
	const streetLine = address.box ? `${street} box ${address.box}` : street;
	const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
	return [streetLine, address.line2, cityLine, address.region, address.country]
		.filter((part) => part !== undefined && part !== '')
		.join(', ');
}

/** Pipedrive's address object (v2 custom address fields, organization `address`). */
export function addressObject(address: Address): Record<string, string> {
	const parts: Record<string, string | undefined> = {
		value: formatAddress(address),
		route: address.street,
		street_number: address.houseNumber,
		subpremise: address.box,
		locality: address.city,
		admin_area_level_1: address.region,
		postal_code: address.postalCode,
		country: address.country,
	};
	return Object.fromEntries(
		Object.entries(parts).filter((entry): entry is [string, string] => entry[1] !== undefined),
	);
}

/** An exact decimal string as the JSON number v2 requires (`"1234.50"` → 1234.5). */
export function amountNumber(amount: string): number {
	return Number(amount);
}

function numeric(value: Value): number | undefined {
	if (value.type === 'number') return value.value;
	if (value.type === 'money') return amountNumber(value.value.amount);
	if (value.type === 'text' && /^-?\d+(\.\d+)?$/.test(value.value.trim()))
		return Number(value.value);
	return undefined;
}

const VARCHAR_MAX = 255;
const TEXT_MAX = 65_000;

/** Convert a value to what Pipedrive v2 accepts in `custom_fields` for the registered field. */
export function toCustomFieldValue(
	value: Value,
	field: RegisteredField,
	options: ConvertOptions,
): Converted {
	switch (field.fieldType) {
		case 'varchar':
		case 'varchar_auto':
		case 'phone':
		case 'text': {
			const line = asText(value, options);
			if (line === undefined) return fail('a record reference cannot be written to a text field');
			const max = field.fieldType === 'text' ? TEXT_MAX : VARCHAR_MAX;
			if (line.length > max)
				return fail(
					`the value is longer than the ${max} characters a ${field.fieldType} field holds`,
				);
			return ok(line);
		}
		case 'double': {
			const number = numeric(value);
			return number === undefined ? fail('the value is not a number') : ok(number);
		}
		case 'monetary': {
			if (value.type === 'money')
				return ok({
					value: amountNumber(value.value.amount),
					currency: value.value.currency,
				});
			const number = numeric(value);
			return number === undefined
				? fail('the value is not an amount')
				: ok({ value: number, currency: options.currency });
		}
		case 'date': {
			if (value.type === 'date') return ok(value.value);
			if (value.type === 'dateTime') return ok(value.value.slice(0, 10));
			return fail('the value is not a date');
		}
		case 'enum':
		case 'set': {
			const labels =
				value.type === 'options'
					? value.labels
					: value.type === 'flag'
						? [value.value ? options.yesNo.yes : options.yesNo.no]
						: value.type === 'text'
							? [value.value]
							: undefined;
			if (labels === undefined) return fail('the value is not an option label');
			if (field.fieldType === 'enum' && labels.length !== 1)
				return fail('a single-option field takes exactly one option');
			const ids: number[] = [];
			for (const label of labels) {
				const id = field.options?.[label];
				if (id === undefined)
					return fail(
						'a value is not one of the field options: add it to the value map or the field',
					);
				ids.push(id);
			}
			return ok(field.fieldType === 'enum' ? ids[0] : ids);
		}
		case 'address':
			if (value.type === 'address') return ok(addressObject(value.value));
			if (value.type === 'text') return ok({ value: value.value });
			return fail('the value is not an address');
		default:
			return fail(`field type ${field.fieldType} is not supported for this value`);
	}
}

export function applyTransform(value: Value, transform: ValueTransform | undefined): Value {
	if (transform === undefined || value.type !== 'text') return value;
	const apply = {
		trim: (s: string) => s.trim(),
		uppercase: (s: string) => s.toUpperCase(),
		lowercase: (s: string) => s.toLowerCase(),
		'digits-only': (s: string) => s.replace(/\D+/g, ''),
	}[transform];
	return { type: 'text', value: apply(value.value) };
}

/** Keyed hash for pseudonymised fields: the same input and key always give the same token. */
export function pseudonymise(
	value: Value,
	key: string,
	options: ConvertOptions,
): Value | undefined {
	const line = asText(value, options);
	if (line === undefined) return undefined;
	return {
		type: 'text',
		value: createHmac('sha256', key).update(line).digest('hex'),
	};
}
