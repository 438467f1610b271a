import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as advanceWatermark from './actions/advanceWatermark.operation';
import * as auditLog from './actions/auditLog.operation';
import * as commit from './actions/commit.operation';
import * as diffReport from './actions/diffReport.operation';
import * as getWatermark from './actions/getWatermark.operation';
import * as reconcile from './actions/reconcile.operation';
import * as rollback from './actions/rollback.operation';
import * as status from './actions/status.operation';
import { router } from './actions/router';
import { actionSubtitle } from '../shared/subtitle';
import { credentialTest } from './methods';

/** Each resource's operations, sorted by name; the canvas subtitle shows the chosen one's action. */
const RUN_OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Commit',
		value: 'commit',
		description: 'Write plans into Pipedrive, journaled and resumable',
		action: 'Commit plans',
	},
	{
		name: 'Rollback',
		value: 'rollback',
		description: 'Delete what the migration created and restore what it updated',
		action: 'Roll back the migration',
	},
];

const REPORT_OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Audit Log',
		value: 'auditLog',
		description: 'Every insert, update and skip as CSV and JSON',
		action: 'Export the audit log',
	},
	{
		name: 'Diff Report',
		value: 'diffReport',
		description: 'Compare every mapped field of a run with what Pipedrive stores',
		action: 'Build a diff report',
	},
	{
		name: 'Reconcile',
		value: 'reconcile',
		description: 'Count per object against the export and verify a share by reading back',
		action: 'Reconcile the migration',
	},
	{
		name: 'Status',
		value: 'status',
		description:
			'Where the migration stands: done and left per object, runs, tokens per day, finishing day, failures',
		action: 'Report the migration status',
	},
];

const WATERMARK_OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Advance Watermark',
		value: 'advanceWatermark',
		description: 'Move a delta watermark after a successful commit',
		action: 'Advance a watermark',
	},
	{
		name: 'Get Watermark',
		value: 'getWatermark',
		description: 'Read the delta watermark of a source entity',
		action: 'Get a watermark',
	},
];

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
		subtitle: actionSubtitle([...RUN_OPERATIONS, ...REPORT_OPERATIONS, ...WATERMARK_OPERATIONS]),
		description:
			'Commits migration plans into Pipedrive with an audit journal, diff report, reconciliation, rollback and delta watermarks',
		defaults: { name: 'Migration Ledger' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// usableAsTool is left out on purpose (n8n-workflow 2.41 types accept only `true`): the node
		// writes and deletes records in bulk and returns binary reports, which do not cross the tool
		// boundary, and an agent should never be able to roll back a migration.
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
			{
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed -- a database credential, not an API; the name is the package's credential contract
				name: 'migrationJournalPostgres',
				required: true,
				testedBy: 'migrationJournalPostgresConnection',
				displayOptions: { show: { journal: ['postgres'] } },
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
				options: RUN_OPERATIONS,
				default: 'commit',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['report'] } },
				options: REPORT_OPERATIONS,
				default: 'diffReport',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['watermark'] } },
				options: WATERMARK_OPERATIONS,
				default: 'getWatermark',
			},
			...commit.description,
			...diffReport.description,
			...reconcile.description,
			...rollback.description,
			...getWatermark.description,
			...advanceWatermark.description,
			...auditLog.description,
			...status.description,
		],
	};

	methods = { credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
