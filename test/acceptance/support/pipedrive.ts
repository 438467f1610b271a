import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SandboxSnapshot } from '../../../sandbox';
import { FALLBACK_OWNER_EMAIL, type SandboxUser } from './migration';

/**
 * Reading the sandbox snapshot the way a team would read its Pipedrive account: custom fields
 * by their NAME (hash keys are random per account), enum and set values by their option label,
 * users by email.
 */

type Rec = Record<string, unknown>;
type FieldEntity = 'person' | 'organization' | 'deal';

interface FieldDefinition {
	field_code: string;
	field_name: string;
	is_custom_field: boolean;
	options: Array<{ id: number; label: string }> | null;
}

export class Account {
	constructor(readonly snapshot: SandboxSnapshot) {}

	field(entity: FieldEntity, name: string): FieldDefinition {
		const matches = (this.snapshot.fields[entity] as unknown as FieldDefinition[]).filter(
			(field) => field.is_custom_field && field.field_name === name,
		);
		if (matches.length !== 1) {
			throw new Error(
				`Expected one ${entity} custom field named "${name}", found ${matches.length}`,
			);
		}
		return matches[0];
	}

	/** A custom field's value on a record; enum and set values as their option labels. */
	value(entity: FieldEntity, record: Rec, name: string): unknown {
		const field = this.field(entity, name);
		const raw = (record.custom_fields as Rec)[field.field_code];
		if (raw === null || raw === undefined || !field.options) return raw ?? null;
		const label = (id: unknown) => field.options!.find((option) => option.id === Number(id))?.label;
		return Array.isArray(raw) ? raw.map(label) : label(raw);
	}

	/** Records by their "Migration source key" (the migration's identity field), its last segment. */
	bySourceId(entity: FieldEntity, collection: Rec[], pattern: (id: string) => boolean): Rec[] {
		return collection.filter((record) => {
			const key = this.value(entity, record, 'Migration source key');
			return typeof key === 'string' && pattern(key);
		});
	}

	userId(email: string): number {
		const user = this.snapshot.users.find(
			(u) => String(u.email).toLowerCase() === email.toLowerCase(),
		);
		if (!user) throw new Error(`No sandbox user ${email}`);
		return Number(user.id);
	}

	get fallbackUserId(): number {
		return this.userId(FALLBACK_OWNER_EMAIL);
	}

	activityTypeKey(name: string): string {
		const type = this.snapshot.activityTypes.find((t) => t.name === name);
		if (!type) throw new Error(`No activity type "${name}"`);
		return String(type.key_string);
	}
}

/** The Pipedrive user a provider's records belong to: matched by email, else the fallback user. */
export function ownerResolver(
	account: Account,
	users: SandboxUser[],
	providerEmail: (providerId: string) => string | undefined,
): (providerId: string | undefined) => number {
	const emails = new Set(users.map((user) => user.email.toLowerCase()));
	return (providerId) => {
		const email = providerId ? providerEmail(providerId)?.toLowerCase() : undefined;
		return email && emails.has(email) ? account.userId(email) : account.fallbackUserId;
	};
}

/**
 * Pairs each expected item with one actual record it describes (each record used once), so a
 * missing, extra or doubled record shows up as a leftover on either side.
 */
export function pairUp<E, A>(
	expected: E[],
	actual: A[],
	matches: (e: E, a: A) => boolean,
	/** Among equal matches (two identical documents), the one this prefers; any other if none. */
	prefer: (e: E, a: A) => boolean = () => false,
): { pairs: Array<[E, A]>; missing: E[]; extra: A[] } {
	const pool = [...actual];
	const pairs: Array<[E, A]> = [];
	const missing: E[] = [];
	for (const item of expected) {
		const preferred = pool.findIndex((record) => matches(item, record) && prefer(item, record));
		const at = preferred >= 0 ? preferred : pool.findIndex((record) => matches(item, record));
		if (at < 0) missing.push(item);
		else pairs.push([item, pool.splice(at, 1)[0]]);
	}
	return { pairs, missing, extra: pool };
}

/** "No orphans": every reference a record holds points at a record that exists. */
export function danglingReferences(snapshot: SandboxSnapshot): string[] {
	const ids = (collection: Rec[]) => new Set(collection.map((r) => String(r.id)));
	const persons = ids(snapshot.persons);
	const organizations = ids(snapshot.organizations);
	const deals = ids(snapshot.deals);
	const activities = ids(snapshot.activities);
	const leads = ids(snapshot.leads);
	const problems: string[] = [];
	const check = (what: string, record: Rec, field: string, targets: Set<string>) => {
		const value = record[field];
		if (value !== null && value !== undefined && !targets.has(String(value)))
			problems.push(`${what} ${String(record.id)}.${field} → ${String(value)}`);
	};
	const children: Array<[string, Rec[]]> = [
		['person', snapshot.persons],
		['deal', snapshot.deals],
		['activity', snapshot.activities],
		['note', snapshot.notes],
		['file', snapshot.files],
		['lead', snapshot.leads],
	];
	for (const [what, collection] of children)
		for (const record of collection) {
			check(what, record, 'person_id', persons);
			check(what, record, 'org_id', organizations);
			check(what, record, 'organization_id', organizations);
			check(what, record, 'deal_id', deals);
			check(what, record, 'activity_id', activities);
			check(what, record, 'lead_id', leads);
		}
	// A child must hang on something: a note, file or activity with no parent at all is an orphan.
	for (const [what, collection] of children.filter(([w]) => w !== 'person' && w !== 'deal'))
		for (const record of collection)
			if (
				!['person_id', 'org_id', 'deal_id', 'activity_id', 'lead_id'].some(
					(field) => record[field] !== null && record[field] !== undefined,
				)
			)
				problems.push(`${what} ${String(record.id)} has no parent`);
	for (const deal of snapshot.deals)
		if (deal.person_id === null || deal.person_id === undefined)
			problems.push(`deal ${String(deal.id)} has no person`);
	return problems;
}

/** The export's documents, by their size column, split at the account's upload limit. */
export interface DocumentColumns {
	fileName: string;
	path: string;
	size: string;
}

/**
 * Pairs each document within the upload limit with the file that holds its exact bytes; the
 * documents over the limit come back apart (they must not be uploaded).
 */
export function pairDocuments<R extends Record<string, string>>(
	exportDir: string,
	rows: R[],
	columns: DocumentColumns,
	files: Rec[],
	limitBytes: number,
	prefer?: (row: R, file: Rec) => boolean,
) {
	const sha = (row: R) =>
		createHash('sha256')
			.update(readFileSync(join(exportDir, row[columns.path])))
			.digest('hex');
	const uploadable = rows.filter((row) => Number(row[columns.size]) <= limitBytes);
	const tooLarge = rows.filter((row) => Number(row[columns.size]) > limitBytes);
	const paired = pairUp(
		uploadable,
		files,
		(row, file) => file.file_name === row[columns.fileName] && file.sha256 === sha(row),
		prefer,
	);
	return { ...paired, tooLarge };
}

/** Pipedrive person id per source patient id (from "Migration source key"), and back. */
export function personIndex(account: Account): {
	personOf: Map<string, number>;
	patientOf: Map<number, string>;
} {
	const personOf = new Map<string, number>();
	const patientOf = new Map<number, string>();
	for (const person of account.snapshot.persons) {
		const key = String(account.value('person', person, 'Migration source key'));
		const patientId = key.slice(key.lastIndexOf(':') + 1);
		personOf.set(patientId, Number(person.id));
		patientOf.set(Number(person.id), patientId);
	}
	return { personOf, patientOf };
}

/** Records whose add_time is before the migration started: an invented original time. */
export function addedBefore(records: Rec[], startedAt: Date): unknown[] {
	return records
		.filter((record) => Date.parse(String(record.add_time)) < startedAt.getTime())
		.map((record) => record.id);
}

/** Brief: a document over the limit is not uploaded; its name and location sit on the person. */
export function notUploadedProblems<R extends Record<string, string>>(
	account: Account,
	tooLarge: R[],
	columns: DocumentColumns,
	personOfRow: (row: R) => Rec,
): string[] {
	return tooLarge.flatMap((row) => {
		const name = row[columns.fileName];
		const uploaded = account.snapshot.files.some((file) => file.file_name === name);
		const recorded = String(account.value('person', personOfRow(row), 'Documents not uploaded'));
		return [
			...(uploaded ? [`${name} was uploaded`] : []),
			...[name, row[columns.path]]
				.filter((part) => !recorded.includes(part))
				.map((part) => `"Documents not uploaded" lacks ${part}`),
		];
	});
}
