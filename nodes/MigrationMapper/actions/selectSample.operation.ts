import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { DEFAULT_SAMPLE_SIZE, selectSample } from '../../../lib/mapping/sample';
import { PatientBundle, ValidationReport } from '../../../lib/model';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnceForAll, readSourceSystem, runDate, sourceSystemProperty } from './parameters';

const properties: INodeProperties[] = [
	sourceSystemProperty,
	{
		displayName: 'Sample Size',
		name: 'sampleSize',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: `Patients in the sample; 0 uses the default (${DEFAULT_SAMPLE_SIZE['dental-exec']} Dental-Exec, ${DEFAULT_SAMPLE_SIZE.dentadmin} DentAdmin)`,
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'string',
		default: 'sample',
		description: 'The same seed on the same export picks the same patients',
	},
	{
		displayName: 'Lead Recency (Months)',
		name: 'leadRecencyMonths',
		type: 'number',
		default: 12,
		description: 'The lead rule, so the sample holds persons with and without a lead',
	},
	{
		displayName: 'Recency Reference Date',
		name: 'today',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-11-01',
		description: "The spec's rules.today; empty: the run date",
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['selectSample'] } },
	properties,
);

/**
 * Passes on the chosen bundles (each with `sampleReasons`) and every reference entity, so the
 * next steps migrate the sample with its practices and insurers. Input: the reader's records
 * (and, optionally, its report, for possible duplicates).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnceForAll(this, async () => {
		const source = readSourceSystem(this, 0);
		const input = this.getInputData();
		const bundles = input
			.filter((item) => item.json.kind === 'patientBundle')
			.map((item) => PatientBundle.parse(item.json));
		const report = input
			.map((item) => ValidationReport.safeParse(item.json))
			.find((p) => p.success)?.data;
		const size = this.getNodeParameter('sampleSize', 0) as number;
		const selection = selectSample(bundles, source, {
			size: size > 0 ? size : undefined,
			seed: this.getNodeParameter('seed', 0) as string,
			report,
			leadRule: {
				today: (this.getNodeParameter('today', 0) as string).trim() || runDate(),
				leadRecencyMonths: this.getNodeParameter('leadRecencyMonths', 0) as number,
			},
		});
		const reasons = new Map(selection.picks.map((p) => [p.bundleKey, p.reasons]));
		const output: INodeExecutionData[] = [];
		input.forEach((item, index) => {
			const isBundle = item.json.kind === 'patientBundle';
			const picked = isBundle ? reasons.get(item.json.bundleKey as string) : undefined;
			if (picked)
				output.push({ json: { ...item.json, sampleReasons: picked }, pairedItem: { item: index } });
			// Reference entities (kind practice, provider, insurer, referralSource) all go on.
			else if (!isBundle && typeof item.json.kind === 'string')
				output.push({ json: { ...item.json }, pairedItem: { item: index } });
		});
		return output;
	});
}
