import { plainText } from './findWritten';
import { canonicalJson } from './payloadHash';

/**
 * Per field type, the form in which a planned value and the value Pipedrive stores are compared
 * by the diff report: Pipedrive reshapes values on the way in (emails gain labels, notes are
 * sanitised HTML, times gain seconds, enum options come back as ids or `{id,label}`), and none of
 * that is a mismatch. Returns null for "empty" (null, undefined, '', [] and {} alike).
 */
export function normalise(value: unknown, fieldType: string, path: string): string | null {
	if (isEmpty(value)) return null;
	const leaf = path.split('.').pop() ?? path;
	const email = (v: string) => v.toLowerCase();
	const phone = (v: string) => v.replace(/[^\d+]/g, '');
	if (fieldType === 'contacts') return list(value, leaf === 'phones' ? phone : email, true);
	if (leaf === 'emails' || leaf === 'email') return list(value, email);
	if (leaf === 'phones' || leaf === 'phone' || fieldType === 'phone') return list(value, phone);
	switch (fieldType) {
		case 'monetary':
			return money(value);
		case 'double':
		case 'int':
			return String(Number(value));
		case 'date':
			return String(scalar(value)).slice(0, 10);
		case 'datetime':
			return instant(scalar(value));
		case 'time':
			return String(scalar(value)).slice(0, 5);
		case 'enum':
		case 'user':
		case 'org':
		case 'people':
			return String(scalar(value));
		case 'set':
			return (Array.isArray(value) ? value : String(value).split(','))
				.map((v) => String(scalar(v)))
				.sort()
				.join(',');
		case 'boolean':
			return String(value === true || value === 1 || value === '1' || value === 'true');
		case 'html':
			return plainText(value);
		case 'address':
			return String(scalar(value)).trim();
		case 'list':
			return list(value, (v) => v);
		default:
			return typeof value === 'object' ? canonicalJson(value) : String(value).trim();
	}
}

/** An object whose members are all empty (`{ value: null, currency: null }`) is empty too. */
function isEmpty(value: unknown): boolean {
	if (value === null || value === undefined || value === '') return true;
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object') return Object.values(value as object).every(isEmpty);
	return false;
}

/** `{ value }`, `{ id, label }` and plain values alike. */
function scalar(value: unknown): unknown {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const record = value as Record<string, unknown>;
		return record.value ?? record.id ?? JSON.stringify(record);
	}
	return value;
}

/**
 * Blank items (`[{ value: '' }]`, as a cleared email comes back) count as no item.
 *
 * With `markPrimary` (type `contacts`, what the Mapper gives a person's emails and phones) the
 * item marked primary is told apart: a number the front desk made primary is then their change
 * too, not only a changed number, and a delta that rewrites the list meets it as a conflict.
 * Labels stay out either way (Pipedrive relabels). Prints made with the older type `list`
 * (journals from before) compare the numbers only, so those journals see no new conflicts.
 */
function list(value: unknown, clean: (text: string) => string, markPrimary = false): string | null {
	const items = (Array.isArray(value) ? value : [value])
		.map((item) => {
			const text = clean(String(scalar(item) ?? '').trim());
			const primary = markPrimary && (item as { primary?: unknown } | null)?.primary === true;
			return text !== '' && primary ? `*${text}` : text;
		})
		.filter((item) => item !== '');
	return items.length === 0 ? null : items.sort().join(' | ');
}

function money(value: unknown): string {
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		return `${Number(record.value ?? record.amount).toFixed(2)} ${String(record.currency ?? '')}`.trim();
	}
	return Number(value).toFixed(2);
}

/** `2026-01-02 03:04:05` (v1) and `2026-01-02T03:04:05.000Z` (v2) are one instant. */
function instant(value: unknown): string {
	const digits = String(value).replace(/\D/g, '');
	return digits.slice(0, 14).padEnd(14, '0');
}
