import { createHash } from 'node:crypto';
import { z } from 'zod';
import { IsoDate, ProviderRole, SourceSystem, TreatmentPlanStatus } from '../model';
import { FieldObject, SchemaRequirements } from '../pipedrive/schemaRequirements';
import { canonicalJson } from './canonicalJson';

/**
 * The mapping spec: what lands where in Pipedrive. A JSON document the user reviews and confirms;
 * its content hash (`specHash`) is what Confirm, Transform and the Ledger's Commit compare.
 */

/** Standard (non-custom) Pipedrive fields a spec may target, per object. */
export const STANDARD_FIELDS = {
	person: ['name', 'emails', 'phones', 'add_time', 'birthday', 'postal_address', 'job_title'],
	organization: ['name', 'address', 'website'],
	deal: ['org_id'],
	activity: ['location'],
} as const;

/** Small value transforms applied before the value is written. */
export const ValueTransform = z.enum(['trim', 'uppercase', 'lowercase', 'digits-only']);
export type ValueTransform = z.infer<typeof ValueTransform>;

export const StandardTarget = z
	.object({
		object: z.enum(['person', 'organization', 'deal', 'activity']),
		standard: z.string().min(1),
		transform: ValueTransform.optional(),
	})
	.strict();

export const CustomTarget = z
	.object({
		object: FieldObject,
		/** A custom field name declared in `schema.customFields` for the same object. */
		custom: z.string().min(1),
		transform: ValueTransform.optional(),
		/** Data minimisation: write a keyed hash (HMAC-SHA256, hex) instead of the value. */
		pseudonymise: z.literal('hmac-sha256').optional(),
	})
	.strict();

export const ExcludedTarget = z
	.object({ exclude: z.literal(true), reason: z.string().min(1) })
	.strict();

export const FieldTarget = z.union([StandardTarget, CustomTarget, ExcludedTarget]);
export type FieldTarget = z.infer<typeof FieldTarget>;
export type CustomTarget = z.infer<typeof CustomTarget>;
export type StandardTarget = z.infer<typeof StandardTarget>;

export const ActivityKind = z
	.object({
		/** An activity type name from `schema.activityTypes`. */
		activityType: z.string().min(1),
		subject: z.string().min(1).max(255),
	})
	.strict();
export type ActivityKind = z.infer<typeof ActivityKind>;

export const DealOutcome = z
	.object({ status: z.enum(['open', 'won', 'lost']), stage: z.string().min(1) })
	.strict();

export const ValueMaps = z
	.object({
		/**
		 * Appointment type → activity. Looked up by the normalised type, then by the source's own
		 * word (lower case), so DentAdmin's Dutch and French types sit in the same map.
		 */
		appointmentTypes: z.record(z.string(), ActivityKind),
		/** Used when an appointment's type is missing or not in the map (reported). */
		appointmentTypeFallback: ActivityKind,
		/** Lab cases become activities of this kind. */
		labCase: ActivityKind,
		planStatuses: z.record(TreatmentPlanStatus, DealOutcome),
		/** Referral pick-list code (or free text) → option label of the referral enum field. */
		referralSources: z.record(z.string(), z.string().min(1)),
		/** Canonical value → option label, for the enum and set fields the default specs define. */
		patientStatuses: z.record(z.string(), z.string().min(1)),
		planStatusLabels: z.record(TreatmentPlanStatus, z.string().min(1)),
		labCaseStatuses: z.record(z.string(), z.string().min(1)),
		medicalAlerts: z
			.object({
				allergy: z.string().min(1),
				drugInteraction: z.string().min(1),
				premedication: z.string().min(1),
			})
			.strict(),
		paymentStatuses: z
			.object({
				paid: z.string().min(1),
				partial: z.string().min(1),
				unpaid: z.string().min(1),
			})
			.strict(),
		yesNo: z.object({ yes: z.string().min(1), no: z.string().min(1) }).strict(),
		/** Source role label (`DDS`, `Tandarts`, `Dentiste`) → role, for the provider review list. */
		providerRoles: z.record(z.string(), ProviderRole),
	})
	.strict();
export type ValueMaps = z.infer<typeof ValueMaps>;

export const Rules = z
	.object({
		/** A patient with an outstanding plan and no appointment within this many months gets a lead. */
		leadRecencyMonths: z.number().int().positive(),
		/** Reference date for the recency rule: fixed in the spec so a plan never depends on the clock. */
		today: IsoDate,
		/**
		 * Owner of what no active Pipedrive user of its own owns: this user's email, or '' for the
		 * connected user. Match Users, Transform (through the owner map), Verify and Preflight read it here.
		 */
		fallbackOwnerEmail: z.union([z.literal(''), z.string().min(3)]),
		currency: z.string().regex(/^[A-Z]{3}$/),
		/** Pipedrive visibility: 1 owner (& followers), 3 group / company, 5 group + sub-groups, 7 company. */
		visibleTo: z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(7)]),
		fileSizeLimitBytes: z.number().int().positive(),
		/** Above the limit a document is not uploaded: its name and location go to a person field. */
		overFileSizeLimit: z.literal('link-field'),
		claimHistory: z
			.object({
				format: z.literal('line-per-claim'),
				/** Newest first; older claims beyond this count are summarised in one closing line. */
				maxLines: z.number().int().positive(),
			})
			.strict(),
		/** A lab prescription longer than this goes into its own note instead of the activity. */
		longPrescriptionChars: z.number().int().positive(),
	})
	.strict();
export type Rules = z.infer<typeof Rules>;

export const Privacy = z
	.object({
		/** Notes whose category is in `clinicalNoteCategories` migrate only when this is `migrate`. */
		clinicalNotes: z.enum(['migrate', 'exclude']),
		clinicalNoteCategories: z.array(z.string().min(1)),
		medicalAlerts: z.enum(['migrate', 'exclude']),
	})
	.strict();

export const UnknownColumnEntity = z.enum(['patient', 'treatmentPlan', 'practice', 'insurer']);
export type UnknownColumnEntity = z.infer<typeof UnknownColumnEntity>;

/** An export column the source profile does not know (kept in `extra`), and where it goes. */
export const UnknownColumn = z
	.object({
		entity: UnknownColumnEntity,
		/** The original header, as the reader kept it in `extra`. */
		header: z.string().min(1),
		target: z.union([CustomTarget, ExcludedTarget]),
	})
	.strict();
export type UnknownColumn = z.infer<typeof UnknownColumn>;

export const MappingSpec = z
	.object({
		specVersion: z.literal(1),
		source: SourceSystem,
		fields: z.record(z.string(), FieldTarget),
		schema: SchemaRequirements,
		valueMaps: ValueMaps,
		rules: Rules,
		privacy: Privacy,
		unknownColumns: z.array(UnknownColumn),
		/**
		 * For the reader: export header → profile field, per file (`{ 'patients.csv': { SURNM:
		 * 'LastName' } }`), so an export with other headers reads as the reference layout.
		 * Propose fills it for columns it recognised; the reader takes it as its `columnMap` option.
		 */
		columnMap: z.record(z.string(), z.record(z.string(), z.string())),
	})
	.strict();
export type MappingSpec = z.infer<typeof MappingSpec>;

/**
 * sha256 of the spec's canonical JSON (parsed, defaults applied, keys sorted). The one definition
 * of a spec's identity: Confirm records it, Transform and the Ledger's Commit compare it.
 */
export function specHash(spec: MappingSpec): string {
	return createHash('sha256')
		.update(canonicalJson(MappingSpec.parse(spec)))
		.digest('hex');
}

export function isCustomTarget(target: FieldTarget): target is CustomTarget {
	return 'custom' in target;
}

export function isStandardTarget(target: FieldTarget): target is StandardTarget {
	return 'standard' in target;
}
