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
import { RESOURCES } from './actions/node.type';
import { OPERATIONS } from './actions/operations';
import { router } from './actions/router';
import { credentialTest } from './methods';

/**
 * Steps 4 and 5 of the migration: commit plans into Pipedrive with an audit journal, prove what
 * landed (diff report, reconcile), take it back (rollback) and pick up changes (watermarks).
 * The work is in lib/ledger.
 */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- not a tool, see the description
export class MigrationLedger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Migration Ledger',
		name: 'migrationLedger',
		icon: { light: 'file:migrationLedger.svg', dark: 'file:migrationLedger.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: actionSubtitle(operationOptions(OPERATIONS)),
		description:
			'Commits migration plans into Pipedrive with an audit journal, diff report, reconciliation, rollback and delta watermarks',
		defaults: { name: 'Migration Ledger' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// usableAsTool is left out on purpose (n8n-workflow 2.41 types accept only `true`): the node
		// writes and deletes records in bulk and returns binary reports, which do not cross the tool
		// boundary, and an agent should never be able to roll back a migration.
		// The journal's credential stays an object literal in this array: n8n's community lint rule
		// (credential-test-required) looks for its testedBy here. eslint.config.mjs says why one
		// older rule is off for this file (it crashes on the spread).
		credentials: [
			...pipedriveCredentials,
			{
				name: 'migrationJournalPostgres',
				required: true,
				testedBy: 'migrationJournalPostgresConnection',
				displayOptions: { show: { journal: ['postgres'] } },
			},
		],
		properties: [
			pipedriveAuthentication,
			{
				displayName: 'Journal',
				name: 'journal',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Embedded File',
						value: 'embedded',
						description: 'A journal file in a local folder; for a single n8n instance',
					},
					{
						name: 'PostgreSQL',
						value: 'postgres',
						description: 'Shared by every worker; for n8n queue mode',
					},
				],
				default: 'embedded',
			},
			{
				displayName: 'Journal Folder',
				name: 'journalDir',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. /home/node/.n8n/migration-journal',
				description:
					'Folder of the journal file; created owner-only (0700) when missing. Keep it backed up.',
				displayOptions: { show: { journal: ['embedded'] } },
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Migration Run',
						value: 'run',
						description: 'Write plans into Pipedrive or take them back out',
					},
					{
						name: 'Report',
						value: 'report',
						description: 'What landed, how it compares and where the migration stands',
					},
					{ name: 'Watermark', value: 'watermark', description: 'How far the delta pickup got' },
				],
				default: 'run',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['run'] } },
				options: operationOptions(OPERATIONS, RESOURCES.run),
				default: 'commit',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['report'] } },
				options: operationOptions(OPERATIONS, RESOURCES.report),
				default: 'diffReport',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['watermark'] } },
				options: operationOptions(OPERATIONS, RESOURCES.watermark),
				default: 'getWatermark',
			},
			...operationParameters(OPERATIONS),
		],
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
