import {
	isSourceKeyObject,
	OBJECTS,
	type ParentLinkedObject,
	type PipedriveObject,
	type SourceKeyObject,
} from '../pipedrive/objects';
import type { PlanOperation } from '../plan/plan';
import {
	SOURCE_KEY_FIELD_NAME,
	type FieldObject,
	type FieldRegistry,
} from '../pipedrive/schemaRequirements';
import { changedFieldsOf, fieldPrints, type FieldPrints } from './fieldPrints';
import type { LedgerClient } from './ledgerClient';
import { RecordRefusedError } from './writeErrors';

/**
 * Finds the record an earlier attempt may have written when its outcome is unknown (a crash
 * between the write and the journal, or a connection dropped after Pipedrive applied a POST).
 * Persons, organizations, deals and leads carry their source key in a custom field; activities,
 * notes and files are found under their parent by their content: the body's, or that of a body
 * an earlier writer sent (`sentBefore`, its field prints from the open intent: the export may have
 * rescheduled the appointment since). `taken` excludes records the journal already maps to
 * another source key.
 */
export async function findWritten(
	client: LedgerClient,
	registry: FieldRegistry,
	operation: PlanOperation,
	body: Record<string, unknown>,
	taken: (object: PipedriveObject, id: string) => Promise<boolean>,
	sentBefore: readonly FieldPrints[] = [],
): Promise<string | null> {
	const candidates = await candidatesFor(client, registry, operation, body, sentBefore);
	for (const id of candidates) {
		if (!(await taken(operation.object, id))) return id;
	}
	return null;
}

async function candidatesFor(
	client: LedgerClient,
	registry: FieldRegistry,
	operation: PlanOperation,
	body: Record<string, unknown>,
	sentBefore: readonly FieldPrints[],
): Promise<string[]> {
	const object = operation.object;
	if (isSourceKeyObject(object)) {
		const fieldKey = sourceKeyFieldKey(registry, object);
		const ids = await client.findBySourceKey(object, fieldKey, operation.key);
		return ids.map(String);
	}
	const filter = parentFilter(body, OBJECTS[object].findBy.parentLinks);
	return listMatching(
		client,
		object,
		filter,
		(record) =>
			sameContent(object, operation, body, record) ||
			sentBefore.some((prints) => sentEarlier(operation.key, record, prints)),
	);
}

/** The fields that tell one activity or note from another under the same parent. */
const IDENTITY_FIELDS: Record<ParentLinkedObject, readonly string[]> = {
	activity: ['subject', 'due_date', 'due_time'],
	note: ['content', 'add_time'],
	// A file's identity is its name and size, which are not body fields: matched by content only.
	file: [],
};

/**
 * The prints of the identity fields of a body about to be created, for its intent; null for
 * objects found by their source key or not by body fields (nothing to keep).
 */
export function sentIdentity(
	operation: PlanOperation,
	body: Record<string, unknown>,
): FieldPrints | null {
	const object = operation.object;
	if (isSourceKeyObject(object)) return null;
	const prints = fieldPrints(operation.key, body, operation.fields);
	const identity = Object.fromEntries(
		IDENTITY_FIELDS[object].flatMap((field) =>
			prints[field] === undefined ? [] : [[field, prints[field]]],
		),
	);
	return Object.keys(identity).length > 0 ? identity : null;
}

/** Whether the record holds what an earlier body sent, in every identity field that body had. */
function sentEarlier(sourceKey: string, record: Record<string, unknown>, prints: FieldPrints) {
	return changedFieldsOf(sourceKey, record, prints).length === 0;
}

/** Whether a record listed under its parent is the one this operation wrote. */
function sameContent(
	object: ParentLinkedObject,
	operation: PlanOperation,
	body: Record<string, unknown>,
	record: Record<string, unknown>,
): boolean {
	switch (object) {
		case 'activity':
			return sameActivity(record, body);
		case 'note':
			return sameNote(record, body);
		case 'file':
			return (
				String(record.file_name ?? record.name) === operation.file?.fileName &&
				Number(record.file_size) === operation.file?.sizeBytes
			);
	}
}

/** The hash key of the source-key custom field; leads use the deal fields. */
export function sourceKeyFieldKey(registry: FieldRegistry, object: SourceKeyObject): string {
	const fieldObject: FieldObject = OBJECTS[object].findBy.fields;
	const field = registry.fields[fieldObject]?.[SOURCE_KEY_FIELD_NAME];
	if (!field) {
		throw new Error(
			`The field registry has no '${SOURCE_KEY_FIELD_NAME}' field for ${fieldObject}s, so written records cannot be found again. Run the Pipedrive Provisioner (step 2) and pass its registry.`,
		);
	}
	return field.key;
}

/** The first parent link present in the body, as a list filter (activities: the primary participant). */
function parentFilter(
	body: Record<string, unknown>,
	keys: readonly string[],
): Record<string, string | number> {
	for (const key of keys) {
		const value = key === 'person_id' ? (body.person_id ?? primaryParticipant(body)) : body[key];
		if (typeof value === 'number' || typeof value === 'string') return { [key]: value };
	}
	throw new RecordRefusedError(
		'no-parent-link',
		'this record has no parent link (person, deal, lead or organization), so an interrupted write cannot be found again; the Mapper must link every activity, note and file',
	);
}

function primaryParticipant(body: Record<string, unknown>): unknown {
	const participants = Array.isArray(body.participants)
		? (body.participants as Array<Record<string, unknown>>)
		: [];
	return (participants.find((p) => p.primary === true) ?? participants[0])?.person_id;
}

async function listMatching(
	client: LedgerClient,
	object: ParentLinkedObject,
	filter: Record<string, string | number>,
	matches: (record: Record<string, unknown>) => boolean,
): Promise<string[]> {
	const ids: string[] = [];
	for await (const record of client.list(object, filter)) {
		if (matches(record)) ids.push(String(record.id));
	}
	return ids;
}

function sameActivity(record: Record<string, unknown>, body: Record<string, unknown>): boolean {
	return (
		(record.subject ?? null) === (body.subject ?? null) &&
		(record.due_date ?? null) === (body.due_date ?? null) &&
		minutes(record.due_time) === minutes(body.due_time)
	);
}

/** `HH:MM` and `HH:MM:SS` name the same minute (Pipedrive echoes either). */
function minutes(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value.slice(0, 5) : null;
}

function sameNote(record: Record<string, unknown>, body: Record<string, unknown>): boolean {
	const sameContent =
		record.content === body.content || plainText(record.content) === plainText(body.content);
	return (
		sameContent &&
		(body.add_time === undefined || timestamp(record.add_time) === timestamp(body.add_time))
	);
}

/** Note content is sanitised by Pipedrive: compare what a reader sees. */
export function plainText(value: unknown): string {
	return String(value ?? '')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&nbsp;/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();
}

/** `2026-01-02 03:04:05` and `2026-01-02T03:04:05Z` are one instant: compare the digits. */
function timestamp(value: unknown): string {
	return String(value ?? '')
		.replace(/\D/g, '')
		.slice(0, 14);
}
