import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { createTransformer } from '../../../lib/mapping/transform';
import type { TransformInput, Transformer } from '../../../lib/mapping/transform';
import type { MappingSpec } from '../../../lib/mapping/spec';
import { PatientBundle, ReferenceEntity } from '../../../lib/model';
import {
	isSpoolPageItem,
	readReferences,
	writePlanPage,
	type PlanPageItem,
	type SpoolPageItem,
} from '../../../lib/pages/pages';
import type { Plan } from '../../../lib/plan/plan';
import { readSpoolPage } from '../../../lib/sources/common';
import type { FieldRegistry, OwnerMap } from '../../../lib/pipedrive/schemaRequirements';
import { executeItems } from '../../shared/executeItems';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { readJsonParameter, specProperty } from './parameters';

const properties: INodeProperties[] = [
	specProperty,
	{
		displayName: 'Confirmed Spec Hash',
		name: 'confirmedSpecHash',
		type: 'string',
		default: '',
		required: true,
		description:
			'The specHash from Confirm Mapping (or pasted by the person who confirmed). A spec with another hash is refused.',
	},
	{
		displayName: 'Field Registry',
		name: 'registry',
		type: 'json',
		default: '',
		required: true,
		description:
			'The field registry from the Pipedrive Provisioner (Provision Schema or Get Field Registry)',
	},
	{
		displayName: 'Owner Map',
		name: 'owners',
		type: 'json',
		default: '',
		required: true,
		description:
			'Providers matched to Pipedrive users, from the Pipedrive Provisioner (Match Users)',
	},
	{
		displayName: 'Pseudonym Key',
		name: 'pseudonymKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Secret for fields the spec pseudonymises (HMAC-SHA256); keep it the same for every run',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['transform'] } }, properties);

/**
 * One plan per input item: a patient bundle → its plan; a practice or insurer → its organization
 * plan. Providers (matched to users) and referral sources (enum options) give no plan. A page of
 * a streamed read → its plans in a file next to the page, and one item saying where.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// Parameters are read per item, but they are usually the same for every item: the confirm gate
	// and registry check then run once, not once per patient.
	let cached: { key: string; transformer: Transformer } | undefined;
	return executeItems(this, async (itemIndex, item) => {
		const pseudonymKey = this.getNodeParameter('pseudonymKey', itemIndex) as string;
		const input: TransformInput = {
			spec: readJsonParameter(this, 'spec', itemIndex, 'Mapping Spec') as MappingSpec,
			confirmedSpecHash: this.getNodeParameter('confirmedSpecHash', itemIndex) as string,
			registry: readJsonParameter(this, 'registry', itemIndex, 'Field Registry') as FieldRegistry,
			owners: readJsonParameter(this, 'owners', itemIndex, 'Owner Map') as OwnerMap,
			...(pseudonymKey ? { pseudonymKey } : {}),
		};
		const key = JSON.stringify(input);
		if (cached?.key !== key) cached = { key, transformer: createTransformer(input) };
		const transformer = cached.transformer;
		if (isSpoolPageItem(item.json))
			return { json: transformPage(transformer, item.json as unknown as SpoolPageItem) };
		if (item.json.kind === 'patientBundle') {
			const plan = transformer.bundle(PatientBundle.parse(item.json));
			return { json: plan as unknown as JsonObject };
		}
		const entity = ReferenceEntity.safeParse(item.json);
		if (!entity.success)
			throw new Error(
				`Input item ${itemIndex} is neither a patient bundle nor a reference entity: connect the reader's records output`,
			);
		return transformer.referenceEntities([entity.data]).map((plan) => ({
			json: plan as unknown as JsonObject,
		}));
	});
}

/** The plans of one page (its references first, as the reader's items order them) to a file. */
function transformPage(transformer: Transformer, page: SpoolPageItem): JsonObject {
	const plans: Plan[] = [
		...(page.references > 0 ? readReferences(page.dir) : []).flatMap((entity) =>
			transformer.referenceEntities([entity]),
		),
		...(page.bundles > 0 ? readSpoolPage(page.dir, page.page) : []).map((bundle) =>
			transformer.bundle(bundle),
		),
	];
	const result: PlanPageItem = {
		kind: 'planPage',
		dir: page.dir,
		page: page.page,
		file: writePlanPage(page.dir, page.page, plans),
		bundles: page.bundles,
		plans: plans.length,
	};
	return result as unknown as JsonObject;
}
