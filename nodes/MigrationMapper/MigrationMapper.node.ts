import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as confirmMapping from './actions/confirmMapping.operation';
import * as proposeMapping from './actions/proposeMapping.operation';
import { actionSubtitle } from '../shared/subtitle';
import { router } from './actions/router';
import * as selectSample from './actions/selectSample.operation';
import * as transform from './actions/transform.operation';
import * as validateSpec from './actions/validateSpec.operation';

/** The operations, sorted by name; the canvas subtitle shows the chosen one's action. */
const OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Confirm Mapping',
		value: 'confirmMapping',
		description: 'Record the hash of a reviewed spec so Transform and Commit accept it',
		action: 'Confirm the mapping spec',
	},
	{
		name: 'Propose Mapping',
		value: 'proposeMapping',
		description: 'Propose a mapping spec for an export, with a confidence and reason per column',
		action: 'Propose a mapping for an export',
	},
	{
		name: 'Select Sample',
		value: 'selectSample',
		description: 'Pick a stratified, repeatable slice of patients for the sample migration',
		action: 'Select a sample of patients',
	},
	{
		name: 'Transform',
		value: 'transform',
		description: 'Turn patient bundles and reference records into plans of Pipedrive requests',
		action: 'Transform records into plans',
	},
	{
		name: 'Validate Spec',
		value: 'validateSpec',
		description: 'Check a mapping spec and list its problems',
		action: 'Validate a mapping spec',
	},
];

/** Step 3 of the migration: propose, confirm and apply the map. The work is in lib/mapping. */
// Deliberately not usable as an AI tool: Confirm Mapping stands for a person's decision that an
// agent must not take on a practice's behalf (it would defeat the confirm gate), Transform and
// Select Sample take and return patient data, and Propose reads whole exports from disk.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class MigrationMapper implements INodeType {
	// The rule asks for the raw `operation: resource` subtitle; ours is the action in words (built below).
	// eslint-disable-next-line n8n-nodes-base/node-class-description-missing-subtitle
	description: INodeTypeDescription = {
		displayName: 'Migration Mapper',
		name: 'migrationMapper',
		icon: { light: 'file:migrationMapper.svg', dark: 'file:migrationMapper.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(OPERATIONS),
		description:
			'Proposes and confirms what lands where in Pipedrive, and turns dental patient bundles into migration plans',
		defaults: { name: 'Migration Mapper' },
		// The optional Model (any n8n chat model sub-node) helps Propose Mapping with columns the
		// synonyms cannot place; it receives headers and value shapes only, never a value.
		inputs: [
			{ displayName: '', type: NodeConnectionTypes.Main },
			{
				displayName: 'Model',
				type: NodeConnectionTypes.AiLanguageModel,
				required: false,
				maxConnections: 1,
			},
		],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: OPERATIONS,
				default: 'proposeMapping',
			},
			...proposeMapping.description,
			...confirmMapping.description,
			...validateSpec.description,
			...transform.description,
			...selectSample.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
