import { createHash } from 'node:crypto';

import type { Plan, PlanOperation } from '../../../lib/plan/plan';
import {
	SOURCE_KEY_FIELD_NAME,
	type FieldRegistry,
} from '../../../lib/pipedrive/schemaRequirements';
import type { ReadResult } from '../../../lib/sources';
import type { SandboxSnapshot } from '../../../sandbox';

/**
 * Zero duplicates and zero lost, checked against the export: every source record the reader
 * produced (patients, appointments, treatment plans, notes, documents, practices) has a plan
 * operation (or a finding that says why not), and every distinct plan operation exactly one live
 * record in the sandbox. A record is
 * recognised in the sandbox by what Pipedrive itself stores: the source-key field of persons,
 * organizations, deals and leads; the person (by that key), date, time and subject of an
 * activity; the person and content of a note; the parent and name of a file. Nothing here reads
 * the journal, which is what the drills put under stress.
 */
export interface LandedCheck {
	/** Identities present more than once in the sandbox (more than planned). */
	duplicates: string[];
	/** Identities planned and absent, or source records without a plan operation. */
	lost: string[];
	/** Live records that no plan operation accounts for. */
	unexpected: string[];
	/** Live migrated records counted. */
	records: number;
}

type Row = Record<string, unknown>;
const digest = (text: unknown) =>
	createHash('sha256')
		.update(String(text ?? '').replace(/<script[\s\S]*?<\/script>/gi, ''))
		.digest('hex')
		.slice(0, 16);
const activityIdentity = (person: unknown, row: Row) =>
	`activity:${String(person)}|${String(row.due_date)}|${String(row.due_time ?? '')}|${String(row.subject)}`;
const noteIdentity = (person: unknown, content: unknown) =>
	`note:${String(person)}|${digest(content)}`;
const fileIdentity = (parent: string, name: unknown) => `file:${parent}|${String(name)}`;

function planned(plans: readonly Plan[]): Map<string, number> {
	const operations = plans.flatMap((plan) => plan.operations);
	const activities = new Map<string, string>();
	const identity = (op: PlanOperation): string => {
		switch (op.object) {
			case 'activity':
				return activityIdentity(op.refs['participants.0.person_id'], op.body);
			case 'note':
				return noteIdentity(op.refs.person_id, op.body.content);
			case 'file':
				return fileIdentity(
					op.refs.person_id !== undefined
						? `person:${op.refs.person_id}`
						: (activities.get(op.refs.activity_id) ?? `activity-key:${op.refs.activity_id}`),
					op.file?.fileName,
				);
			default:
				return `${op.object}:${op.key}`;
		}
	};
	for (const op of operations.filter((o) => o.object === 'activity'))
		activities.set(op.key, identity(op));
	// A shared organization (an employer) is in the plan of every patient it employs: one record.
	const distinct = new Map(operations.map((op) => [`${op.object}:${op.key}`, op]));
	return tally([...distinct.values()].map(identity));
}

function landed(snapshot: SandboxSnapshot, registry: FieldRegistry): Map<string, number> {
	const keyOf = (row: Row, object: 'person' | 'organization' | 'deal') => {
		const hash = registry.fields[object][SOURCE_KEY_FIELD_NAME].key;
		const custom = (row.custom_fields ?? {}) as Row;
		return String(custom[hash] ?? row[hash]);
	};
	// The practice's own records (no source key) are not the migration's to count.
	const migrated = (row: Row, object: 'person' | 'organization' | 'deal') =>
		keyOf(row, object) !== 'undefined' && keyOf(row, object) !== 'null';
	const persons = snapshot.persons.filter((p) => migrated(p, 'person'));
	const organizations = snapshot.organizations.filter((o) => migrated(o, 'organization'));
	const personKey = new Map(persons.map((p) => [p.id, keyOf(p, 'person')]));
	const activity = new Map(
		snapshot.activities.map((a) => [
			a.id,
			activityIdentity(personKey.get(a.person_id as number), a),
		]),
	);
	return tally([
		...persons.map((p) => `person:${keyOf(p, 'person')}`),
		...organizations.map((o) => `organization:${keyOf(o, 'organization')}`),
		...snapshot.deals.map((d) => `deal:${keyOf(d, 'deal')}`),
		...snapshot.leads.map((l) => `lead:${keyOf(l, 'deal')}`),
		...activity.values(),
		...snapshot.notes.map((n) => noteIdentity(personKey.get(n.person_id as number), n.content)),
		...snapshot.files.map((f) =>
			fileIdentity(
				f.activity_id
					? (activity.get(f.activity_id as number) ?? `activity-id:${String(f.activity_id)}`)
					: `person:${personKey.get(f.person_id as number)}`,
				f.file_name,
			),
		),
	]);
}

function tally(keys: readonly string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
	return counts;
}

/** Source keys of the export's records that each must become one Pipedrive record. */
export function exportRecordKeys(read: ReadResult): string[] {
	return [
		...read.references.filter((e) => e.kind === 'practice').map((e) => e.sourceKey),
		...read.bundles.flatMap((b) => [
			b.patient.sourceKey,
			...b.appointments.map((a) => a.sourceKey),
			...b.treatmentPlans.map((p) => p.sourceKey),
			...b.notes.map((n) => n.sourceKey),
			...b.documents.map((d) => d.sourceKey),
		]),
	];
}

export function landedAgainstExport(
	snapshot: SandboxSnapshot,
	read: ReadResult,
	plans: readonly Plan[],
	registry: FieldRegistry,
): LandedCheck {
	const planKeys = new Set(plans.flatMap((plan) => plan.operations.map((op) => op.key)));
	// A record the Mapper does not write says why in a finding (a plan without a fee, a document
	// over the upload limit): reported to the practice, not lost.
	const explained = new Set(plans.flatMap((plan) => plan.findings.map((finding) => finding.key)));
	const expected = planned(plans);
	const found = landed(snapshot, registry);
	const lost = exportRecordKeys(read)
		.filter((key) => !planKeys.has(key) && !explained.has(key))
		.map((key) => `source ${key}: no plan operation and no finding`);
	const duplicates: string[] = [];
	for (const [key, n] of expected) {
		const got = found.get(key) ?? 0;
		if (got < n) lost.push(`${key} (${got} of ${n})`);
		if (got > n) duplicates.push(`${key} (${got} for ${n})`);
	}
	return {
		duplicates,
		lost,
		unexpected: [...found.keys()].filter((key) => !expected.has(key)),
		records: [...found.values()].reduce((sum, n) => sum + n, 0),
	};
}
