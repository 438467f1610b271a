import type { PipedriveClient, PipedriveField } from './client';
import {
	type AccountSchema,
	awaitsOptions,
	buildFieldRegistry,
	compatibleFieldType,
	findCustomField,
	FIELD_OBJECTS,
	incompatibleTypeMessage,
	missingOptions,
	readAccountSchema,
	requiredFields,
	sameName,
	SchemaMismatchError,
} from './fieldRegistry';
import { customFieldCap, type PipedrivePlan } from './plans';
import type {
	CustomFieldDefinition,
	FieldObject,
	FieldRegistry,
	SchemaRequirements,
} from './schemaRequirements';
import { SetupRetry, type SetupRetryOptions } from './setupRetry';

/**
 * Prepares Pipedrive for a mapping spec, idempotently: everything is found by name first, only
 * what is missing is created, and the plan's custom-field cap is checked before anything is.
 */

export interface ProvisionAction {
	object: FieldObject | 'pipeline' | 'stage' | 'activityType';
	name: string;
	/** `awaits-options`: an enum/set the spec lists no options for yet; created once it does. */
	action: 'created' | 'unchanged' | 'options-added' | 'awaits-options';
	/** Hash key (fields), id (pipeline, stage) or key_string (activity types). */
	key: string;
	/** For `options-added` and for created enum/set fields: the option labels added. */
	options?: string[];
}

/** A custom field one provisioning run created: what a whole-migration rollback may remove. */
export interface CreatedCustomField {
	object: FieldObject;
	name: string;
	/** The account's hash key (`field_code`). */
	key: string;
}

/**
 * The custom fields a provisioning run created, from its `actions`. Fields it found and reused
 * (`unchanged`, `options-added`) held the practice's own data before and are never listed.
 */
export function createdCustomFields(actions: readonly ProvisionAction[]): CreatedCustomField[] {
	return actions.flatMap((action) =>
		action.action === 'created' &&
		(FIELD_OBJECTS as readonly string[]).includes(action.object) &&
		action.key !== ''
			? [{ object: action.object as FieldObject, name: action.name, key: action.key }]
			: [],
	);
}

/** What provisioning would do, computed without writing: the preflight uses it as a dry run. */
export interface ProvisionPlan {
	createFields: CustomFieldDefinition[];
	/** Missing enum/set fields without options in the spec: not created now, counted against the cap. */
	awaitingOptions: CustomFieldDefinition[];
	addOptions: Array<{ definition: CustomFieldDefinition; fieldCode: string; labels: string[] }>;
	createPipeline: boolean;
	createStages: string[];
	createActivityTypes: Array<{ name: string; iconKey: string }>;
	/** Custom fields the account already has (person, organization, deal and product: the cap is company-wide). */
	existingCustomFields: number;
}

export class CustomFieldCapError extends Error {
	constructor(
		readonly needed: number,
		readonly existing: number,
		readonly cap: number,
		plan: PipedrivePlan,
	) {
		super(
			`The mapping spec needs ${needed} new custom field(s); the account already has ${existing} and the ${plan} plan allows ${cap}, so ${existing + needed - cap} do not fit. Nothing was created. Exclude fields in the mapping spec, delete unused custom fields in Pipedrive, or move to a larger plan, then run again`,
		);
		this.name = 'CustomFieldCapError';
	}
}

export function planProvisioning(
	schema: AccountSchema,
	requirements: SchemaRequirements,
): ProvisionPlan {
	const plan: ProvisionPlan = {
		createFields: [],
		awaitingOptions: [],
		addOptions: [],
		createPipeline: !schema.pipeline,
		createStages: [],
		createActivityTypes: [],
		existingCustomFields: FIELD_OBJECTS.reduce(
			(sum, object) => sum + schema.fields[object].filter((f) => f.is_custom_field).length,
			schema.productCustomFields,
		),
	};
	for (const definition of requiredFields(requirements)) {
		const existing = findCustomField(
			schema.fields[definition.object],
			definition.object,
			definition.name,
		);
		if (!existing) {
			if (awaitsOptions(definition)) plan.awaitingOptions.push(definition);
			else plan.createFields.push(definition);
			continue;
		}
		if (!compatibleFieldType(definition.fieldType, existing.field_type)) {
			throw new SchemaMismatchError(incompatibleTypeMessage(definition, existing));
		}
		const labels = missingOptions(existing, definition.options);
		if (labels.length > 0)
			plan.addOptions.push({ definition, fieldCode: existing.field_code, labels });
	}
	plan.createStages = requirements.pipeline.stages.filter(
		(name) => !schema.stages.some((s) => sameName(s.name, name)),
	);
	plan.createActivityTypes = requirements.activityTypes.filter(
		({ name }) => !schema.activityTypes.some((t) => sameName(t.name, name)),
	);
	return plan;
}

/** Custom fields the spec still needs in the account: created now, or once their options are known. */
export function newCustomFields(plan: ProvisionPlan): number {
	return plan.createFields.length + plan.awaitingOptions.length;
}

/** Throws CustomFieldCapError when the fields the spec needs do not fit the plan's cap. */
export function checkCustomFieldCap(plan: ProvisionPlan, pipedrivePlan: PipedrivePlan): void {
	const cap = customFieldCap(pipedrivePlan);
	if (plan.existingCustomFields + newCustomFields(plan) > cap) {
		throw new CustomFieldCapError(
			newCustomFields(plan),
			plan.existingCustomFields,
			cap,
			pipedrivePlan,
		);
	}
}

export async function provisionSchema(
	client: PipedriveClient,
	requirements: SchemaRequirements,
	options: { plan: PipedrivePlan; retry?: SetupRetryOptions },
): Promise<{ registry: FieldRegistry; actions: ProvisionAction[] }> {
	const schema = await readAccountSchema(client, requirements.pipeline.name, options.retry);
	const plan = planProvisioning(schema, requirements);
	checkCustomFieldCap(plan, options.plan);
	const actions: ProvisionAction[] = [];
	// Every create goes through `once`: a create whose answer was lost is looked up by name first.
	const once = new SetupRetry(client.clock, options.retry);
	const writes = provisioningWrites(client, once);

	// Fields in the spec's order, so the actions read like the spec.
	for (const definition of requiredFields(requirements)) {
		const fields = schema.fields[definition.object];
		if (plan.createFields.some((d) => sameField(d, definition))) {
			const created = await writes.createField(definition);
			fields.push({ ...created, is_custom_field: true });
			actions.push({
				object: definition.object,
				name: definition.name,
				action: 'created',
				key: created.field_code,
				...(definition.options ? { options: definition.options } : {}),
			});
			continue;
		}
		if (plan.awaitingOptions.some((d) => sameField(d, definition))) {
			actions.push({
				object: definition.object,
				name: definition.name,
				action: 'awaits-options',
				key: '',
			});
			continue;
		}
		const field = findCustomField(fields, definition.object, definition.name);
		const key = field?.field_code ?? '';
		const optionsToAdd = plan.addOptions.find((a) => sameField(a.definition, definition));
		if (field && optionsToAdd) {
			field.options = await writes.addOptions(definition, field, optionsToAdd.labels);
			actions.push({
				object: definition.object,
				name: definition.name,
				action: 'options-added',
				key,
				options: optionsToAdd.labels,
			});
		} else {
			actions.push({ object: definition.object, name: definition.name, action: 'unchanged', key });
		}
	}

	if (!schema.pipeline) {
		const pipeline = await writes.createPipeline(requirements.pipeline.name);
		schema.pipeline = pipeline;
		// Some accounts give a new pipeline default stages: read what is there before adding ours.
		schema.stages = await once.read(() => client.stages(pipeline.id));
		plan.createStages = requirements.pipeline.stages.filter(
			(name) => !schema.stages.some((s) => sameName(s.name, name)),
		);
		actions.push({
			object: 'pipeline',
			name: requirements.pipeline.name,
			action: 'created',
			key: String(schema.pipeline.id),
		});
	} else {
		actions.push({
			object: 'pipeline',
			name: requirements.pipeline.name,
			action: 'unchanged',
			key: String(schema.pipeline.id),
		});
	}
	for (const name of requirements.pipeline.stages) {
		if (plan.createStages.includes(name)) {
			const stage = await writes.createStage(schema.pipeline.id, name);
			schema.stages.push(stage);
			actions.push({ object: 'stage', name, action: 'created', key: String(stage.id) });
		} else {
			const stage = schema.stages.find((s) => sameName(s.name, name));
			actions.push({ object: 'stage', name, action: 'unchanged', key: String(stage?.id ?? '') });
		}
	}

	for (const { name } of requirements.activityTypes) {
		const wanted = plan.createActivityTypes.find((t) => t.name === name);
		if (wanted) {
			const type = await writes.createActivityType(wanted.name, wanted.iconKey);
			schema.activityTypes.push(type);
			actions.push({ object: 'activityType', name, action: 'created', key: type.key_string });
		} else {
			const type = schema.activityTypes.find((t) => sameName(t.name, name));
			actions.push({
				object: 'activityType',
				name,
				action: 'unchanged',
				key: type?.key_string ?? '',
			});
		}
	}

	return { registry: buildFieldRegistry(schema, requirements), actions };
}

function sameField(a: CustomFieldDefinition, b: CustomFieldDefinition): boolean {
	return a.object === b.object && sameName(a.name, b.name);
}

/**
 * Provisioning's writes, each made at most once: after a transient failure the object is looked
 * up by name (the field, pipeline, stage or activity type the spec names) before trying again.
 */
function provisioningWrites(client: PipedriveClient, once: SetupRetry) {
	const fieldNamed = async (definition: CustomFieldDefinition) =>
		findCustomField(await client.listFields(definition.object), definition.object, definition.name);
	return {
		createField: (definition: CustomFieldDefinition) =>
			once.create(
				() =>
					client.createField(definition.object, {
						name: definition.name,
						fieldType: definition.fieldType,
						options: definition.options,
					}),
				() => fieldNamed(definition),
			),
		/** Adds the labels the field lacks; returns the field's options afterwards. */
		async addOptions(
			definition: CustomFieldDefinition,
			field: PipedriveField,
			labels: string[],
		): Promise<PipedriveField['options']> {
			let current = field;
			let wanted = labels;
			const options = await once.create(
				async () => {
					const added = await client.addFieldOptions(definition.object, current.field_code, wanted);
					return [...(current.options ?? []), ...added];
				},
				async () => {
					// Options an earlier attempt added are not added twice: only what is still missing is sent.
					current = (await fieldNamed(definition)) ?? current;
					wanted = missingOptions(current, labels);
					return wanted.length === 0 ? current.options : undefined;
				},
			);
			return options;
		},
		createPipeline: (name: string) =>
			once.create(
				() => client.createPipeline(name),
				async () => (await client.pipelines()).find((p) => sameName(p.name, name)),
			),
		createStage: (pipelineId: number, name: string) =>
			once.create(
				() => client.createStage(pipelineId, name),
				async () => (await client.stages(pipelineId)).find((s) => sameName(s.name, name)),
			),
		createActivityType: (name: string, iconKey: string) =>
			once.create(
				() => client.createActivityType(name, iconKey),
				async () => (await client.activityTypes()).find((t) => sameName(t.name, name)),
			),
	};
}
