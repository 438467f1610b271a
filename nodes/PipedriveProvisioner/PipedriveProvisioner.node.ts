import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as getFieldRegistry from './actions/getFieldRegistry.operation';
import * as matchUsers from './actions/matchUsers.operation';
import * as preflight from './actions/preflight.operation';
import * as provisionSchema from './actions/provisionSchema.operation';
import { actionSubtitle } from '../shared/subtitle';
import { router } from './actions/router';
import { loadOptions } from './methods';

/** The operations, sorted by name; the canvas subtitle shows the chosen one's action. */
const OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Get Field Registry',
		value: 'getFieldRegistry',
		description: "Output the account's hash keys and IDs for the mapping spec's fields",
		action: 'Get the field registry',
	},
	{
		name: 'Match Users',
		value: 'matchUsers',
		description: 'Match providers to Pipedrive users by email',
		action: 'Match providers to users',
	},
	{
		name: 'Preflight',
		value: 'preflight',
		description: 'Estimate the writes, tokens and days the migration needs',
		action: 'Estimate the migration budget',
	},
	{
		name: 'Provision Schema',
		value: 'provisionSchema',
		description: 'Create missing custom fields, options, the pipeline, stages and activity types',
		action: 'Provision the schema',
	},
];

/** Step 2 of the migration: prepare Pipedrive before any record lands. The work is in lib/pipedrive. */
export class PipedriveProvisioner implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pipedrive Provisioner',
		name: 'pipedriveProvisioner',
		icon: { light: 'file:pipedriveProvisioner.svg', dark: 'file:pipedriveProvisioner.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(OPERATIONS),
		description:
			'Prepares Pipedrive for a dental migration: custom fields, pipeline, users by email, preflight budget and the field registry',
		defaults: { name: 'Pipedrive Provisioner' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// An agent may use it as a tool: Get Field Registry and Preflight only read, and Provision
		// Schema is idempotent and checks the plan's cap before creating anything.
		usableAsTool: true,
		credentials: [
			{
				name: 'pipedriveMigrationApi',
				required: true,
				displayOptions: { show: { authentication: ['apiToken'] } },
			},
			{
				name: 'pipedriveMigrationOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oauth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'API Token', value: 'apiToken' },
					{ name: 'OAuth2', value: 'oauth2' },
				],
				default: 'apiToken',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: OPERATIONS,
				default: 'provisionSchema',
			},
			...provisionSchema.description,
			...matchUsers.description,
			...preflight.description,
			...getFieldRegistry.description,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
