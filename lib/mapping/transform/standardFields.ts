import type { PipedriveObject } from '../../plan/plan';
import { addressObject, asText } from './values';
import type { Value } from './values';

export type StandardWrite =
	| { ok: true; value: unknown; fieldType: string; ref?: undefined }
	| { ok: true; ref: string; value?: undefined; fieldType?: undefined }
	| { ok: false; problem: string };

const yesNo = { yes: 'Yes', no: 'No' };

/** RFC 3339 in UTC without fractions, the shape v2 `add_time` takes. */
export function rfc3339Utc(instant: string): string {
	return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The standard Pipedrive fields a spec may target (see STANDARD_FIELDS in spec.ts) and the exact
 * v2 shape of each: emails and phones as `{value, primary, label}` lists, addresses as objects.
 */
export function writeStandardField(
	object: PipedriveObject,
	field: string,
	value: Value,
): StandardWrite {
	const id = `${object}.${field}`;
	switch (id) {
		case 'person.name':
		case 'person.job_title':
		case 'organization.name':
		case 'organization.website': {
			const line = asText(value, { currency: '', yesNo });
			return line === undefined
				? { ok: false, problem: `${id} takes text` }
				: { ok: true, value: line, fieldType: 'text' };
		}
		case 'person.emails': {
			const values =
				value.type === 'list' ? value.values : value.type === 'text' ? [value.value] : [];
			if (values.length === 0) return { ok: false, problem: `${id} takes email addresses` };
			return {
				ok: true,
				value: values.map((email, index) => ({
					value: email,
					primary: index === 0,
					label: 'home',
				})),
				fieldType: 'contacts',
			};
		}
		case 'person.phones': {
			const values =
				value.type === 'phones'
					? value.values
					: value.type === 'text'
						? [{ value: value.value, label: 'other' }]
						: [];
			if (values.length === 0) return { ok: false, problem: `${id} takes phone numbers` };
			return {
				ok: true,
				value: values.map((phone, index) => ({
					value: phone.value,
					primary: index === 0,
					label: phone.label,
				})),
				fieldType: 'contacts',
			};
		}
		case 'person.add_time':
			return value.type === 'dateTime'
				? { ok: true, value: rfc3339Utc(value.value), fieldType: 'date-time' }
				: { ok: false, problem: `${id} takes a date-time` };
		case 'person.birthday':
			return value.type === 'date'
				? { ok: true, value: value.value, fieldType: 'date' }
				: { ok: false, problem: `${id} takes a date` };
		case 'person.postal_address':
		case 'organization.address':
			if (value.type === 'address')
				return {
					ok: true,
					value: addressObject(value.value),
					fieldType: 'address',
				};
			if (value.type === 'text')
				return {
					ok: true,
					value: { value: value.value },
					fieldType: 'address',
				};
			return { ok: false, problem: `${id} takes an address` };
		case 'activity.location':
			return value.type === 'text'
				? { ok: true, value: { value: value.value }, fieldType: 'address' }
				: { ok: false, problem: `${id} takes text` };
		case 'deal.org_id':
			return value.type === 'ref'
				? { ok: true, ref: value.key }
				: { ok: false, problem: `${id} takes an organization reference` };
		default:
			return {
				ok: false,
				problem: `${id} is not a standard field the migration writes`,
			};
	}
}
