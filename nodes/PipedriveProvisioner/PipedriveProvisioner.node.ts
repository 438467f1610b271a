import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationOptions, operationParameters } from '../shared/operations';
import { pipedriveAuthentication, pipedriveCredentials } from '../shared/pipedriveAuthentication';
import { actionSubtitle } from '../shared/subtitle';
import { OPERATIONS } from './actions/operations';
import { router } from './actions/router';
import { loadOptions } from './methods';

/** The action list, sorted by name; the canvas subtitle shows the chosen one's action. */
const OPTIONS = operationOptions(OPERATIONS);

/** Step 2 of the migration: prepare Pipedrive before any record lands. The work is in lib/pipedrive. */
export class PipedriveProvisioner implements INodeType {
	// The rule asks for the raw `operation: resource` subtitle; ours is the action in words (built above).
	// eslint-disable-next-line n8n-nodes-base/node-class-description-missing-subtitle
	description: INodeTypeDescription = {
		displayName: 'Pipedrive Provisioner',
		name: 'pipedriveProvisioner',
		icon: { light: 'file:pipedriveProvisioner.svg', dark: 'file:pipedriveProvisioner.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(OPTIONS),
		description:
			'Prepares Pipedrive for a dental migration: custom fields, pipeline, users by email, preflight budget and the field registry',
		defaults: { name: 'Pipedrive Provisioner' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// An agent may use it as a tool: Get Field Registry and Preflight only read, and Provision
		// Schema is idempotent and checks the plan's cap before creating anything.
		usableAsTool: true,
		credentials: pipedriveCredentials,
		properties: [
			pipedriveAuthentication,
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: OPTIONS,
				default: 'provisionSchema',
			},
			...operationParameters(OPERATIONS),
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
