import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { selectSample, type SampleOptions } from '../../../lib/mapping/sample';
import { SOURCES } from '../../../lib/registry/sources';
import { MappingSpec } from '../../../lib/mapping/spec';
import { PatientBundle, ValidationReport } from '../../../lib/model';
import { executeForAllItems } from '../../shared/executeItems';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import {
	readJsonParameter,
	readSourceSystem,
	runDate,
	sourceSystemProperty,
	specProperty,
} from './parameters';

/** Lead Recency and Recency Reference Date apply only when the rule is not taken from the spec. */
const fromParameters = { show: { leadRuleSource: ['parameters'] } };

const properties: INodeProperties[] = [
	sourceSystemProperty,
	{
		displayName: 'Sample Size',
		name: 'sampleSize',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: `Patients in the sample; 0 uses the default (${Object.values(SOURCES)
			.map((source) => `${source.sampleSize} ${source.displayName}`)
			.join(', ')})`,
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'string',
		default: 'sample',
		description: 'The same seed on the same export picks the same patients',
	},
	{
		displayName: 'Lead Rule From',
		name: 'leadRuleSource',
		type: 'options',
		options: [
			{
				name: 'Parameters',
				value: 'parameters',
				description: 'Lead Recency and Recency Reference Date below',
			},
			{
				name: 'Mapping Spec',
				value: 'spec',
				description:
					"The spec's rules.leadRecencyMonths and rules.today: the rule Transform applies",
			},
		],
		default: 'parameters',
		description:
			'Where the lead rule comes from, so the sample holds persons with and without a lead',
	},
	{ ...specProperty, displayOptions: { show: { leadRuleSource: ['spec'] } } },
	{
		displayName: 'Lead Recency (Months)',
		name: 'leadRecencyMonths',
		type: 'number',
		default: 12,
		description: 'The lead rule, so the sample holds persons with and without a lead',
		displayOptions: fromParameters,
	},
	{
		displayName: 'Recency Reference Date',
		name: 'today',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-11-01',
		description: "The spec's rules.today; empty: the run date",
		displayOptions: fromParameters,
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
	return executeForAllItems(this, async () => {
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
			leadRule: readLeadRule(this),
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

/**
 * The lead rule the sample covers. From the spec, it is exactly the rule Transform applies (its
 * `today` is fixed in the spec); the parameters serve standalone use.
 */
function readLeadRule(context: IExecuteFunctions): NonNullable<SampleOptions['leadRule']> {
	if (context.getNodeParameter('leadRuleSource', 0, 'parameters') === 'spec') {
		const parsed = MappingSpec.safeParse(readJsonParameter(context, 'spec', 0, 'Mapping Spec'));
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new NodeOperationError(
				context.getNode(),
				`Mapping Spec is not a valid mapping spec ("${issue.path.join('.')}": ${issue.message}): point it at the confirmed spec, e.g. {{ $('Spec to migrate').first().json.spec }}`,
			);
		}
		const { today, leadRecencyMonths } = parsed.data.rules;
		return { today, leadRecencyMonths };
	}
	return {
		today: (context.getNodeParameter('today', 0) as string).trim() || runDate(),
		leadRecencyMonths: context.getNodeParameter('leadRecencyMonths', 0) as number,
	};
}
