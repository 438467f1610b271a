/**
 * A plan is what the Mapper hands the Ledger: pure data, deterministic (same bundle + spec +
 * registry → the same bytes), so it can be hashed, diffed and replayed.
 */

import type { PipedriveObject } from '../pipedrive/objects';

/** Pipedrive objects the migration writes, in dependency order: from the per-object table. */
export { PIPEDRIVE_OBJECTS, type PipedriveObject } from '../pipedrive/objects';

/** One mapped field of an operation, for the field-level diff report. */
export interface MappedField {
	/** Canonical field name, e.g. `patient.birthDate` or `appointment.start`. */
	canonical: string;
	/** Where it sits in `body`, dot separated: `name`, `emails`, `custom_fields.<hash>`, `due_date`. */
	path: string;
	/** Human label for reports (the custom field name or Pipedrive's field name). */
	label: string;
	/** Field type for normalised comparison: a Pipedrive field_type or `text`, `date`, `boolean`, `list`. */
	fieldType: string;
}

export interface PlanOperation {
	object: PipedriveObject;
	/** Source key of the record this operation writes (also its identity in the journal). */
	key: string;
	/** Source key of the bundle (patient) or reference entity this operation belongs to. */
	bundleKey: string;
	/**
	 * Exactly the Pipedrive request body: v2 shape for person, organization, deal, activity;
	 * v1 shape for lead and note; for file, the multipart text fields. References to other
	 * records are left out here and listed in `refs`.
	 */
	body: Record<string, unknown>;
	/** Body path → source key of the referenced record, resolved to a Pipedrive id at commit time. */
	refs: Record<string, string>;
	/** For `file`: the document to upload. */
	file?: { path: string; fileName: string; mimeType: string; sizeBytes: number };
	fields: MappedField[];
	/**
	 * Fields the spec maps on this record that the source left empty: not sent, but journaled as
	 * written empty (fieldPrints.ts), so a value the practice types in later is seen as its work.
	 */
	emptyFields?: MappedField[];
}

export interface PlanFinding {
	severity: 'error' | 'warning' | 'info';
	key: string;
	code: string;
	/** Never contains patient values. */
	message: string;
}

export interface Plan {
	source: string;
	bundleKey: string;
	specHash: string;
	operations: PlanOperation[];
	findings: PlanFinding[];
}
