import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { ValidationReport } from '../../../lib/model';
import { proposeFromExport } from '../../../lib/mapping/propose/fromExport';
import { readProfiles } from '../../../lib/mapping/propose/profiles';
import { REVIEW_BELOW, type RuleSeeds } from '../../../lib/mapping/propose';
import { proposalTableHtml } from '../../../lib/mapping/propose/table';
import { specHash } from '../../../lib/mapping/spec';
import { folderSource } from '../../../lib/sources/common/exportSource';
import { executeForAllItems } from '../../shared/executeItems';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { chatModelAdvisor, isChatModel } from './chatModelAdvisor';
import { profilesDirProperty, readSourceSystem, runDate, sourceSystemProperty } from './parameters';

const properties: INodeProperties[] = [
	sourceSystemProperty,
	{
		displayName: 'Export Folder',
		name: 'exportDir',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. /data/exports/practice-42',
		description: 'The export folder on the n8n host, the same one the reader read',
	},
	{
		displayName: 'Recency Reference Date',
		name: 'today',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-11-01',
		description:
			'Date (YYYY-MM-DD) the lead recency rule counts back from; recorded in the spec so every run of it gives the same plans. Empty: the run date.',
	},
	{
		displayName: 'Sample Rows',
		name: 'sampleRows',
		type: 'number',
		typeOptions: { minValue: 5 },
		default: 50,
		description: 'How many rows per file the value sniffing looks at',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				...profilesDirProperty,
				description:
					'Folder of saved mapping profiles (JSON, from Save Mapping Profile). A file whose layout (name and headers) a profile has takes its confirmed column choices first.',
			},
			{
				displayName: 'Ask the Model Below Confidence',
				name: 'modelBelowConfidence',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: REVIEW_BELOW,
				description:
					'With a Model connected: unmapped columns and proposals below this confidence go to the model (headers and value shapes only, never a value)',
			},
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: '',
				placeholder: 'e.g. EUR',
				description:
					"Seeds the proposed spec's rules.currency (ISO 4217, e.g. EUR), the currency Transform and Verify give amounts that carry none; the reader's Currency option should be the same. Not added: the default spec's.",
			},
			{
				displayName: 'Fallback Owner Email',
				name: 'fallbackOwnerEmail',
				type: 'string',
				default: '',
				placeholder: 'e.g. office@practice.example',
				description:
					"Seeds the proposed spec's rules.fallbackOwnerEmail, the rule Match Users and Verify read: the Pipedrive user who owns records of providers without an active user of their own; empty: the connected user. Not added: the default spec's.",
			},
			{
				displayName: 'Lead Recency (Months)',
				name: 'leadRecencyMonths',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 12,
				description:
					"Seeds the proposed spec's rules.leadRecencyMonths, the lead rule Select Sample and Transform read. Not added: the default spec's.",
			},
			{
				displayName: 'Model Timeout (Seconds)',
				name: 'modelTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description:
					'Per export file; without a reply in time the proposals stand as the synonyms made them',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['proposeMapping'] } },
	properties,
);

/**
 * Propose a spec for the export: every column with its proposed target, confidence and reason,
 * the reader fields an unfamiliar export names differently, and a table for the human who
 * confirms it. Takes the reader's validation report from the input when there is one.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeForAllItems(this, async () => {
		const source = readSourceSystem(this, 0);
		const folder = this.getNodeParameter('exportDir', 0) as string;
		const today = (this.getNodeParameter('today', 0) as string).trim() || runDate();
		const report = this.getInputData()
			.map((item) => ValidationReport.safeParse(item.json))
			.find((parsed) => parsed.success)?.data;
		const options = this.getNodeParameter('options', 0, {}) as RuleSeeds & {
			profilesDir?: string;
			modelBelowConfidence?: number;
			modelTimeoutSeconds?: number;
		};
		const currency = options.currency?.trim().toUpperCase() || undefined;
		if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
			throw new NodeOperationError(
				this.getNode(),
				`The Currency option "${currency}" is not an ISO 4217 code: give three letters, e.g. EUR or USD`,
			);
		const profilesDir = options.profilesDir?.trim();
		// Optional Model input: undefined when no chat model sub-node is connected.
		const model: unknown = await this.getInputConnectionData(
			NodeConnectionTypes.AiLanguageModel,
			0,
		);
		const proposal = await proposeFromExport(source, folderSource(folder), {
			today,
			report,
			sampleRows: this.getNodeParameter('sampleRows', 0) as number,
			rules: {
				leadRecencyMonths: options.leadRecencyMonths,
				fallbackOwnerEmail: options.fallbackOwnerEmail?.trim(),
				currency,
			},
			...(profilesDir ? { profiles: readProfiles(profilesDir) } : {}),
			...(isChatModel(model)
				? {
						advice: {
							advisor: chatModelAdvisor(model),
							below: options.modelBelowConfidence ?? REVIEW_BELOW,
							timeoutMs: (options.modelTimeoutSeconds ?? 60) * 1000,
						},
					}
				: {}),
		});
		return {
			spec: proposal.spec,
			specHash: specHash(proposal.spec),
			table: proposal.table,
			tableHtml: proposalTableHtml(proposal.columns, proposal.fields),
			needsReview:
				proposal.columns.filter((c) => c.needsReview).length +
				proposal.fields.filter((f) => f.needsReview).length,
			columns: proposal.columns,
			fields: proposal.fields,
			...(proposal.profiles ? { profiles: proposal.profiles } : {}),
			...(proposal.advice ? { advice: proposal.advice } : {}),
		} as unknown as JsonObject;
	});
}
