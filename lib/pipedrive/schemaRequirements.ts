import { z } from 'zod';

/**
 * What a mapping spec needs to exist in Pipedrive before any record lands. The Mapper's spec
 * embeds it (`spec.schema`); the Provisioner creates it idempotently and returns a FieldRegistry.
 */
export const CustomFieldType = z.enum([
	'varchar',
	'varchar_auto',
	'text',
	'double',
	'monetary',
	'date',
	'daterange',
	'time',
	'timerange',
	'enum',
	'set',
	'phone',
	'address',
	'user',
	'org',
	'people',
]);
export type CustomFieldType = z.infer<typeof CustomFieldType>;

/** Objects with their own custom fields. Leads share the deal fields. */
export const FieldObject = z.enum(['person', 'organization', 'deal']);
export type FieldObject = z.infer<typeof FieldObject>;

export const CustomFieldDefinition = z.object({
	object: FieldObject,
	/** Display name in Pipedrive; also our name for the field in the registry. */
	name: z.string().min(1).max(255),
	fieldType: CustomFieldType,
	/** Option labels for enum and set fields. */
	options: z.array(z.string().min(1).max(255)).optional(),
});
export type CustomFieldDefinition = z.infer<typeof CustomFieldDefinition>;

export const SchemaRequirements = z.object({
	customFields: z.array(CustomFieldDefinition),
	/** The treatment-plan pipeline and its stages, in order. */
	pipeline: z.object({ name: z.string().min(1), stages: z.array(z.string().min(1)).min(1) }),
	/** Activity types the spec's value maps use (matched by name, created when missing). */
	activityTypes: z.array(
		z.object({ name: z.string().min(1), iconKey: z.string().default('task') }),
	),
});
export type SchemaRequirements = z.infer<typeof SchemaRequirements>;

/**
 * The custom field that carries each record's source key on persons, organizations and deals
 * (and leads, through deal fields), so the journal can be rebuilt from Pipedrive and an
 * interrupted write can be found again. Searchable type on purpose.
 */
export const SOURCE_KEY_FIELD_NAME = 'Migration source key';
export const SOURCE_KEY_FIELD_OBJECTS: readonly FieldObject[] = ['person', 'organization', 'deal'];

/** The account's hash keys and ids for everything in SchemaRequirements. Never hard-code one. */
export interface RegisteredField {
	/** The 40-character hash (`field_code`). */
	key: string;
	fieldType: string;
	/** Option label → option id, for enum and set fields. */
	options?: Record<string, number>;
}

export interface FieldRegistry {
	company: { id: number; domain?: string };
	/** Our field name (CustomFieldDefinition.name, or SOURCE_KEY_FIELD_NAME) → registered field. */
	fields: Record<FieldObject, Record<string, RegisteredField>>;
	pipeline: { id: number; name: string; stages: Record<string, number> };
	/** Activity type name → `key_string`. */
	activityTypes: Record<string, string>;
}

/** Providers matched to Pipedrive users; the Mapper uses it to set owners. */
export interface OwnerMap {
	/** Provider source key → Pipedrive user id. */
	owners: Record<string, number>;
	fallbackUserId: number;
}
