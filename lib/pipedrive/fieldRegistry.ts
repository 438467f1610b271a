import type {
	PipedriveActivityType,
	PipedriveClient,
	PipedriveField,
	PipedrivePipeline,
	PipedriveStage,
} from './client';
import {
	type CustomFieldDefinition,
	type FieldObject,
	type FieldRegistry,
	type RegisteredField,
	SOURCE_KEY_FIELD_NAME,
	SOURCE_KEY_FIELD_OBJECTS,
	type SchemaRequirements,
} from './schemaRequirements';
import { SetupRetry, type SetupRetryOptions } from './setupRetry';

/**
 * The field registry: our field names → the account's 40-character hash keys and option ids,
 * plus the treatment-plan pipeline, its stages and the activity types. Everything is read from
 * the account; no hash is ever written down in code.
 */

export const FIELD_OBJECTS: readonly FieldObject[] = ['person', 'organization', 'deal'];

/** What the account holds that provisioning and the registry care about. */
export interface AccountSchema {
	company: { id: number; domain?: string };
	fields: Record<FieldObject, PipedriveField[]>;
	/** Custom product fields: they count against the company's custom-field cap too. */
	productCustomFields: number;
	/** The spec's pipeline when the account has it. */
	pipeline?: PipedrivePipeline;
	/** Live stages of that pipeline. */
	stages: PipedriveStage[];
	activityTypes: PipedriveActivityType[];
}

/** Thrown when the account and the spec disagree in a way only a person can settle. */
export class SchemaMismatchError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SchemaMismatchError';
	}
}

/** Reads all pages of person, organization and deal fields (product fields for the cap count), the pipeline, its stages and the activity types. */
export async function readAccountSchema(
	client: PipedriveClient,
	pipelineName: string,
	retryOptions: SetupRetryOptions = {},
): Promise<AccountSchema> {
	// Each read is repeated on its own after a transient failure, so one 500 does not stop setup.
	const retry = new SetupRetry(client.clock, retryOptions);
	const me = await retry.read(() => client.me());
	const fields = {} as Record<FieldObject, PipedriveField[]>;
	for (const object of FIELD_OBJECTS)
		fields[object] = await retry.read(() => client.listFields(object));
	const productCustomFields = (await retry.read(() => client.listFields('product'))).filter(
		(f) => f.is_custom_field,
	).length;
	const pipeline = (await retry.read(() => client.pipelines())).find((p) =>
		sameName(p.name, pipelineName),
	);
	const stages = pipeline ? await retry.read(() => client.stages(pipeline.id)) : [];
	const activityTypes = await retry.read(() => client.activityTypes());
	return {
		company: { id: me.companyId, domain: me.companyDomain },
		fields,
		productCustomFields,
		pipeline,
		stages,
		activityTypes,
	};
}

/** Names match when equal after trimming, ignoring case: what a person in Pipedrive's UI would call the same. */
export function sameName(a: string, b: string): boolean {
	return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The spec's custom fields plus the source-key field on every object that carries one. */
export function requiredFields(requirements: SchemaRequirements): CustomFieldDefinition[] {
	const wanted: CustomFieldDefinition[] = [];
	const seen = new Set<string>();
	const add = (definition: CustomFieldDefinition) => {
		const id = `${definition.object}\u0000${definition.name.trim().toLowerCase()}`;
		if (seen.has(id)) {
			throw new SchemaMismatchError(
				`The mapping spec lists the ${definition.object} field "${definition.name}" twice: keep one definition (merge their options) and run again`,
			);
		}
		seen.add(id);
		wanted.push(definition);
	};
	requirements.customFields.forEach(add);
	for (const object of SOURCE_KEY_FIELD_OBJECTS) {
		if (!seen.has(`${object}\u0000${SOURCE_KEY_FIELD_NAME.toLowerCase()}`)) {
			add({ object, name: SOURCE_KEY_FIELD_NAME, fieldType: 'varchar' });
		}
	}
	return wanted;
}

/** The account's custom field with this name; an error when two custom fields share it. */
export function findCustomField(
	fields: PipedriveField[],
	object: FieldObject,
	name: string,
): PipedriveField | undefined {
	const found = fields.filter((f) => f.is_custom_field && sameName(f.field_name, name));
	if (found.length > 1) {
		throw new SchemaMismatchError(
			`The Pipedrive account has ${found.length} ${object} custom fields named "${name}": rename or delete the extra ones in Pipedrive (Settings → Data fields) so the migration knows which one to use`,
		);
	}
	return found[0];
}

/**
 * Whether an existing field can hold what the spec means to write. Text fields may hold a shorter
 * text; anything else must be the same type.
 */
export function compatibleFieldType(wanted: string, existing: string): boolean {
	if (wanted === existing) return true;
	const textual = ['varchar', 'varchar_auto', 'text'];
	return (wanted === 'varchar' || wanted === 'varchar_auto') && textual.includes(existing);
}

export function incompatibleTypeMessage(
	definition: CustomFieldDefinition,
	existing: PipedriveField,
): string {
	return `The ${definition.object} custom field "${definition.name}" already exists in Pipedrive as type "${existing.field_type}", but the mapping spec needs "${definition.fieldType}": rename the existing field in Pipedrive, or change the field's name or type in the mapping spec, then run again`;
}

/**
 * An enum or set field whose options the spec does not list yet (e.g. the referral pick-list,
 * which the Mapper's proposal fills from the export). Pipedrive cannot create an enum without
 * options, so provisioning leaves it for the run with the confirmed spec.
 */
export function awaitsOptions(definition: CustomFieldDefinition): boolean {
	return (
		(definition.fieldType === 'enum' || definition.fieldType === 'set') &&
		!definition.options?.length
	);
}

/** Option labels of a field, matched the same way as field names. */
export function optionIds(field: PipedriveField): Record<string, number> {
	const ids: Record<string, number> = {};
	for (const option of field.options ?? []) ids[option.label] = Number(option.id);
	return ids;
}

export function missingOptions(field: PipedriveField, wanted: string[] = []): string[] {
	const existing = (field.options ?? []).map((o) => o.label);
	return wanted.filter((label) => !existing.some((e) => sameName(e, label)));
}

/**
 * Builds the registry for `requirements` from what the account holds. Throws naming everything
 * that is missing (provisioning creates it) or in conflict.
 */
export function buildFieldRegistry(
	schema: AccountSchema,
	requirements: SchemaRequirements,
): FieldRegistry {
	const missing: string[] = [];
	const fields: FieldRegistry['fields'] = { person: {}, organization: {}, deal: {} };
	for (const definition of requiredFields(requirements)) {
		const field = findCustomField(
			schema.fields[definition.object],
			definition.object,
			definition.name,
		);
		if (!field) {
			// An option list the spec does not know yet is not missing: it cannot be created yet.
			if (!awaitsOptions(definition))
				missing.push(`${definition.object} field "${definition.name}"`);
			continue;
		}
		if (!compatibleFieldType(definition.fieldType, field.field_type)) {
			throw new SchemaMismatchError(incompatibleTypeMessage(definition, field));
		}
		const absent = missingOptions(field, definition.options);
		if (absent.length > 0)
			missing.push(`${absent.length} option(s) of ${definition.object} field "${definition.name}"`);
		const registered: RegisteredField = { key: field.field_code, fieldType: field.field_type };
		if (field.field_type === 'enum' || field.field_type === 'set')
			registered.options = optionIds(field);
		fields[definition.object][definition.name] = registered;
	}
	const stages: Record<string, number> = {};
	if (!schema.pipeline) missing.push(`pipeline "${requirements.pipeline.name}"`);
	for (const name of requirements.pipeline.stages) {
		const stage = schema.stages.find((s) => sameName(s.name, name));
		if (stage) stages[name] = stage.id;
		else if (schema.pipeline) missing.push(`stage "${name}"`);
	}
	const activityTypes: Record<string, string> = {};
	for (const { name } of requirements.activityTypes) {
		const type = schema.activityTypes.find((t) => sameName(t.name, name));
		if (type) activityTypes[name] = type.key_string;
		else missing.push(`activity type "${name}"`);
	}
	if (missing.length > 0 || !schema.pipeline) {
		throw new SchemaMismatchError(
			`The Pipedrive account is missing what the mapping spec needs: ${missing.join(', ')}. Run the Provision Schema operation first`,
		);
	}
	return {
		company: schema.company,
		fields,
		pipeline: { id: schema.pipeline.id, name: schema.pipeline.name, stages },
		activityTypes,
	};
}

/** Reads the account and returns the registry for `requirements`. */
export async function readFieldRegistry(
	client: PipedriveClient,
	requirements: SchemaRequirements,
	retryOptions: SetupRetryOptions = {},
): Promise<FieldRegistry> {
	return buildFieldRegistry(
		await readAccountSchema(client, requirements.pipeline.name, retryOptions),
		requirements,
	);
}
