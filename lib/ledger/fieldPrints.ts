import { createHash } from 'node:crypto';

import type { MappedField } from '../plan/plan';
import { getAtPath } from './bodyPath';
import { normalise } from './normalise';

/**
 * Field prints: what the migration wrote into each field of a record, kept in the journal without
 * the value itself. A print is a short sha256 of the field's normalised value (normalise.ts, the
 * diff report's rule, so Pipedrive's reshaping — email labels, phone punctuation, sanitised note
 * HTML, option ids — gives the same print), salted with the record's source key and the field, so
 * equal values of two patients never share a print. A later run compares the print with the
 * record as Pipedrive holds it now: a different print means someone changed the field in
 * Pipedrive since the migration wrote it.
 *
 * Fields are the body's top-level members, custom fields one by one (`custom_fields.<hash>`; v1
 * leads carry them at the top level), the same granularity as before-images (beforeImage.ts).
 */
export type FieldPrints = Record<string, string>;

export function fieldPrints(
	sourceKey: string,
	body: Record<string, unknown>,
	fields: readonly MappedField[],
): FieldPrints {
	const prints: FieldPrints = {};
	for (const field of fieldsOf(body)) {
		prints[field] = printOf(sourceKey, field, getAtPath(body, field), typeOf(field, fields));
	}
	return prints;
}

/**
 * Prints of the mapped fields the source left empty (PlanOperation.emptyFields): the migration
 * wrote them as empty, so a value the practice types in later differs from the print, and delta
 * and rollback see it as the practice's work like any other change.
 */
export function emptyPrints(sourceKey: string, fields: readonly MappedField[] = []): FieldPrints {
	return Object.fromEntries(
		fields.map((field) => [field.path, printOf(sourceKey, field.path, undefined, field.fieldType)]),
	);
}

/**
 * The fields of `body` (an update about to be sent) that Pipedrive changed since the migration
 * wrote them, and where the update would put something else: the conflicts. A field without a
 * print (not written before, or a journal older than prints) is never a conflict, and neither is
 * a field the practice already set to the value the update brings.
 */
export function changedSinceWritten(
	sourceKey: string,
	record: Record<string, unknown>,
	written: FieldPrints | null,
	body: Record<string, unknown>,
): string[] {
	if (!written) return [];
	return fieldsOf(body).filter((field) => {
		const before = written[field];
		if (before === undefined) return false;
		const type = typeOfPrint(before);
		const now = printOf(sourceKey, field, storedValue(record, field), type);
		return now !== before && now !== printOf(sourceKey, field, getAtPath(body, field), type);
	});
}

/**
 * The fields whose value in Pipedrive is no longer what the migration last wrote (rollback's
 * question: did the practice change this record?). Only fields with a print are checked.
 */
export function changedFieldsOf(
	sourceKey: string,
	record: Record<string, unknown>,
	written: FieldPrints | null,
): string[] {
	if (!written) return [];
	return Object.entries(written)
		.filter(
			([field, print]) =>
				printOf(sourceKey, field, storedValue(record, field), typeOfPrint(print)) !== print,
		)
		.map(([field]) => field);
}

/** `body` without the given fields (custom fields one by one); the input is not changed. */
export function withoutFields(
	body: Record<string, unknown>,
	drop: readonly string[],
): Record<string, unknown> {
	const kept: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		if (key === 'custom_fields' && isObject(value)) {
			const custom = Object.fromEntries(
				Object.entries(value).filter(([hash]) => !drop.includes(`custom_fields.${hash}`)),
			);
			if (Object.keys(custom).length > 0) kept.custom_fields = custom;
		} else if (!drop.includes(key)) kept[key] = value;
	}
	return kept;
}

function fieldsOf(body: Record<string, unknown>): string[] {
	return Object.entries(body).flatMap(([key, value]) =>
		key === 'custom_fields' && isObject(value)
			? Object.keys(value).map((hash) => `custom_fields.${hash}`)
			: [key],
	);
}

/** v2 objects answer custom fields inside `custom_fields`, v1 leads at the top level. */
function storedValue(record: Record<string, unknown>, field: string): unknown {
	const value = getAtPath(record, field);
	if (value !== undefined || !field.startsWith('custom_fields.')) return value;
	return record[field.slice('custom_fields.'.length)];
}

/** `<type>:<hash>`: the type it was made with leads, so a check without the plan normalises alike. */
function printOf(sourceKey: string, field: string, value: unknown, type: string): string {
	const normalised = normalise(value, type, field);
	const hash = createHash('sha256')
		.update(`${sourceKey}\u0000${field}\u0000${normalised ?? '\u0000empty'}`)
		.digest('hex')
		.slice(0, 16);
	return `${type}:${hash}`;
}

function typeOfPrint(print: string): string {
	return print.slice(0, print.lastIndexOf(':'));
}

/** Its mapped field's type (also for a mapped sub-path such as `address.value`), else `text`. */
function typeOf(field: string, fields: readonly MappedField[]): string {
	const mapped =
		fields.find((candidate) => candidate.path === field) ??
		fields.find((candidate) => candidate.path.startsWith(`${field}.`));
	return mapped?.fieldType ?? 'text';
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
