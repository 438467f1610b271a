import { NodeOperationError } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import type { PracticeWorkPolicy } from '../../../lib/ledger/practiceWork';
import { rollback } from '../../../lib/ledger/rollback';
import {
	createdCustomFields,
	type CreatedCustomField,
	type ProvisionAction,
} from '../../../lib/pipedrive/provision';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { withLedger } from './ledgerContext';
import { executeOnce } from '../../shared/pipedriveContext';
import { jsonParameter, runIdProperty } from './parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'rollbackScope',
		type: 'options',
		options: [
			{
				name: 'Whole Migration',
				value: 'migration',
				description: 'Every sample, full and delta run journaled for this Pipedrive account',
			},
			{ name: 'One Run', value: 'run', description: 'Only the records one run created or updated' },
		],
		default: 'migration',
	},
	{
		...runIdProperty,
		displayName: 'Run ID to Roll Back',
		required: true,
		displayOptions: { show: { rollbackScope: ['run'] } },
		description: 'The runId of the Commit summary to take back',
	},
	{
		displayName: 'Rollback Run ID',
		name: 'rollbackRunId',
		type: 'string',
		default: '',
		description: 'To resume an interrupted rollback, its run ID; empty starts a new rollback run',
	},
	{
		displayName: "Practice's Work in Pipedrive",
		name: 'practiceWork',
		type: 'options',
		options: [
			{
				name: 'Stop and List It',
				value: 'stop',
				description:
					'Delete nothing when migrated records were changed in Pipedrive or records the practice created hang on them; the result lists them',
			},
			{
				name: 'Keep It',
				value: 'keep',
				description:
					"Take back everything else; the practice's records, the migrated records they hang on and the fields it changed stay, listed in verification.differences",
			},
			{
				name: 'Include It',
				value: 'include',
				description:
					"Delete the practice's records on migrated records too, and restore updated records completely",
			},
		],
		default: 'stop',
		description:
			'What the rollback does with work the practice did in Pipedrive after the migration wrote its records',
	},
	{
		displayName: 'Remove Custom Fields Created by the Migration',
		name: 'removeCustomFields',
		type: 'boolean',
		default: false,
		description:
			'Whether to delete the custom fields Provision Schema created, once every record is gone and verified. Fields it found and reused are never deleted. Only for the whole migration: with one run they are kept.',
	},
	{
		displayName: 'Provisioning Result',
		name: 'provisioningResult',
		type: 'json',
		default: '',
		required: true,
		placeholder: "{{ $('Provision Schema').first().json }}",
		displayOptions: { show: { removeCustomFields: [true] } },
		description:
			"The output of the Provision Schema run that created the fields (its actions with action 'created' are removed); a later run that found them lists them as unchanged",
	},
];

export const description = updateDisplayOptions({ show: { operation: ['rollback'] } }, properties);

/** Deletes what the scope created, restores what it updated, then verifies; one result item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Rollback', async () => {
		const scope = this.getNodeParameter('rollbackScope', 0) as 'migration' | 'run';
		const scopeRunId =
			scope === 'run' ? (this.getNodeParameter('runId', 0) as string).trim() : undefined;
		const runId = (this.getNodeParameter('rollbackRunId', 0, '') as string).trim() || undefined;
		const removeCustomFields = this.getNodeParameter('removeCustomFields', 0, false) as boolean;
		const fields = removeCustomFields ? provisionedFields(this) : undefined;
		return withLedger(this, async ({ client, store }) => {
			const result = await rollback({
				store,
				client,
				scopeRunId,
				runId,
				removeCustomFields: fields,
				practiceWork: this.getNodeParameter('practiceWork', 0, 'stop') as PracticeWorkPolicy,
			});
			return [{ json: result as unknown as JsonObject }];
		});
	});
}

/** The custom fields the Provisioning Result says were created (its `created` field actions). */
function provisionedFields(context: IExecuteFunctions): CreatedCustomField[] {
	const value = jsonParameter<unknown>(context, 'provisioningResult', 'Provisioning Result');
	const json = (Array.isArray(value) && value.length === 1 ? value[0] : value) as {
		actions?: unknown;
	} | null;
	const actions = json && typeof json === 'object' ? json.actions : undefined;
	const valid =
		Array.isArray(actions) &&
		actions.every(
			(action: Partial<ProvisionAction> | null) =>
				!!action &&
				typeof action.object === 'string' &&
				typeof action.name === 'string' &&
				typeof action.action === 'string' &&
				typeof action.key === 'string',
		);
	if (!valid) {
		throw new NodeOperationError(context.getNode(), 'Provisioning Result has no actions list', {
			description:
				"Map the output item of the Provision Schema run that created the fields, e.g. {{ $('Provision Schema').first().json }}, or paste it as JSON",
		});
	}
	return createdCustomFields(actions as ProvisionAction[]);
}
