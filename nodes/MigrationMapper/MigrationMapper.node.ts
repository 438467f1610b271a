import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationOptions, operationParameters } from '../shared/operations';
import { actionSubtitle } from '../shared/subtitle';
import { OPERATIONS } from './actions/operations';
import { router } from './actions/router';

/** The action list, sorted by name; the canvas subtitle shows the chosen one's action. */
const OPTIONS = operationOptions(OPERATIONS);

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
		subtitle: actionSubtitle(OPTIONS),
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
				options: OPTIONS,
				default: 'proposeMapping',
			},
			...operationParameters(OPERATIONS),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
