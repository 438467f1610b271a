import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { auditLog, auditLogCsv } from '../../../lib/ledger/auditLog';
import { commitPlans, type ConflictPolicy } from '../../../lib/ledger/commit';
import { progressReporter } from '../../shared/progress';
import type { FieldRegistry } from '../../../lib/pipedrive/schemaRequirements';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { reportFile } from '../../shared/reportFile';
import { planItems, withLedger } from './ledgerContext';
import { isPlanPageItem } from '../../../lib/pages/pages';
import { executeOnce } from '../../shared/pipedriveContext';
import { jsonParameter, runIdProperty } from './parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Field Registry',
		name: 'registry',
		type: 'json',
		default: '',
		required: true,
		description: 'The field registry from the Pipedrive Provisioner, as given to the Mapper',
	},
	{
		displayName: 'Confirmed Spec Hash',
		name: 'confirmedSpecHash',
		type: 'string',
		default: '',
		required: true,
		description: 'The specHash from Confirm Mapping; plans made with any other spec are refused',
	},
	{
		displayName: 'Run Kind',
		name: 'runKind',
		type: 'options',
		options: [
			{ name: 'Sample', value: 'sample', description: 'Step 4: a slice into a test account' },
			{ name: 'Full', value: 'full', description: 'Step 5: every bundle' },
			{ name: 'Delta', value: 'delta', description: 'Records changed since the watermark' },
		],
		default: 'full',
	},
	{
		displayName: 'Conflict Policy',
		name: 'conflictPolicy',
		type: 'options',
		options: [
			{
				name: 'Keep Pipedrive',
				value: 'keep-pipedrive',
				description:
					"A field the practice changed in Pipedrive since the migration wrote it keeps the practice's value; the other fields update; the conflict is reported",
			},
			{
				name: 'Source Wins',
				value: 'source-wins',
				description:
					"The export's value overwrites the practice's change; the old value is journaled for rollback; the conflict is reported",
			},
			{
				name: 'Stop',
				value: 'stop',
				description:
					'Nothing of a conflicting record is written; it is reported as held back for a person to decide',
			},
		],
		default: 'keep-pipedrive',
		description:
			'What an update does with fields changed in Pipedrive since the migration wrote them (delta pickup and re-runs)',
	},
	{
		...runIdProperty,
		description:
			'Journal into this run: an interrupted run resumes, and every page of a page loop joins one run (e.g. {{ $execution.id }}). Empty starts a new run.',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['commit'] } }, properties);

/**
 * Commits the input plans: one item per bundle (its counts, failed and held-back records), then
 * a summary item with the run totals and this run's audit log as CSV and JSON files. A run that
 * Pipedrive's account refused as a whole (token, base URL, no server) fails the node instead.
 * Given pages of plans (a streamed migration), only the summary, with the bundles that did not
 * fully land and no audit files: per page they would repeat the whole run so far (Audit Log
 * gives them once, after the loop).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Commit', async () => {
		const plans = planItems(this);
		const registry = jsonParameter<FieldRegistry>(this, 'registry', 'Field Registry');
		return withLedger(this, async ({ client, store }) => {
			// Tokens of this commit: the limiter is shared by every node on the credential.
			const tokensBefore = client.stats()?.tokensSpent;
			const tokens = () =>
				tokensBefore === undefined ? undefined : (client.stats()?.tokensSpent ?? 0) - tokensBefore;
			const result = await commitPlans(
				plans.map(({ plan }) => plan),
				{
					store,
					client,
					registry,
					confirmedSpecHash: this.getNodeParameter('confirmedSpecHash', 0) as string,
					kind: this.getNodeParameter('runKind', 0) as 'sample' | 'full' | 'delta',
					runId: (this.getNodeParameter('runId', 0, '') as string).trim() || undefined,
					conflictPolicy: this.getNodeParameter(
						'conflictPolicy',
						0,
						'keep-pipedrive',
					) as ConflictPolicy,
					onProgress: progressReporter(this, 'Commit', tokens),
				},
			);
			// A refused token, a wrong base URL or a server gone: every later node would meet the
			// same, so the workflow stops here with the run's one message (the journal keeps the rest).
			if (result.run.stopReason === 'account-refused')
				throw new NodeOperationError(this.getNode(), result.message ?? 'Pipedrive refused the run');
			const summary = {
				runId: result.run.id,
				kind: result.run.kind,
				status: result.status,
				resetAt: result.resetAt,
				message: result.message,
				totals: result.totals,
				conflicts: {
					...result.conflicts,
					records: result.bundles.flatMap((bundle) => bundle.conflicts),
				},
			};
			const input = this.getInputData();
			if (input.some((item) => isPlanPageItem(item.json))) {
				const unsettled = result.bundles.filter(
					(b) => b.failed.length + b.heldBack.length + b.unsettled.length + b.pending > 0,
				);
				return [
					{
						json: {
							...summary,
							pages: input.flatMap((item) => (isPlanPageItem(item.json) ? [item.json.page] : [])),
							bundles: result.bundles.length,
							tokens: tokens() ?? null,
							failures: unsettled.map(({ bundleKey, pending, failed, heldBack, unsettled }) => ({
								bundleKey,
								pending,
								failed,
								heldBack,
								unsettled,
							})),
						} as unknown as JsonObject,
						pairedItem: input.map((_, item) => ({ item })),
					},
				];
			}
			const rows = await auditLog(store, [result.run.id]);
			const items: INodeExecutionData[] = result.bundles.map((bundle) => ({
				json: { runId: result.run.id, ...bundle } as unknown as JsonObject,
				pairedItem: plans
					.filter(({ plan }) => plan.bundleKey === bundle.bundleKey)
					.map(({ itemIndex }) => ({ item: itemIndex })),
			}));
			items.push({
				json: summary as unknown as JsonObject,
				binary: {
					auditCsv: await reportFile(
						this,
						auditLogCsv(rows),
						`audit-${result.run.id}.csv`,
						'text/csv',
					),
					auditJson: await reportFile(
						this,
						JSON.stringify(rows, null, 2),
						`audit-${result.run.id}.json`,
						'application/json',
					),
				},
			});
			return items;
		});
	});
}
