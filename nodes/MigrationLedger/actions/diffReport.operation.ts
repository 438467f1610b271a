import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PatientBundle } from '../../../lib/model/bundle';
import { ReferenceEntity } from '../../../lib/model/reference';
import { MappingSpec } from '../../../lib/mapping/spec';
import type { FieldRegistry } from '../../../lib/pipedrive/schemaRequirements';
import { diffReportCsv } from '../../../lib/ledger/report/diffCsv';
import { diffReportHtml } from '../../../lib/ledger/report/html';
import { sourceProfiles } from '../../../lib/sources';
import { isSpoolPageItem, type SpoolPageItem } from '../../../lib/pages/pages';
import { readSpoolPage } from '../../../lib/sources/common';
import { clientRecordReader } from '../../../lib/verify/readRecords';
import { verifyFromSource, verifyFromSourceInParts } from '../../../lib/verify/verify';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce } from '../../shared/pipedriveContext';
import { reportFile } from '../../shared/reportFile';
import { withLedger } from './ledgerContext';
import { jsonParameter, runIdProperty } from './parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Source Records',
		name: 'sourceRecords',
		type: 'json',
		default: '={{ $input.all().map(item => item.json) }}',
		description:
			"The reader's records to verify: the patient bundles (e.g. Select Sample's output) and the reference entities (practices, providers, insurers) from the reader's first output",
	},
	{
		displayName: 'Mapping Spec',
		name: 'spec',
		type: 'json',
		default: '',
		description: 'The confirmed mapping spec: the verifier derives every expected value from it',
	},
	{
		displayName: 'Field Registry',
		name: 'registry',
		type: 'json',
		default: '',
		description: 'The field registry from the Pipedrive Provisioner',
	},
	{
		displayName: 'Export Folder',
		name: 'exportDir',
		type: 'string',
		default: '',
		description:
			"The export folder, so the report shows each field's raw text as the export holds it (file, line, column); empty leaves it out",
	},
	{
		...runIdProperty,
		description:
			'The run to check for records no rule asks for (typically the runId of the Commit summary); empty checks every migrated record of these source records',
	},
	{
		displayName: 'Read-Back Token Budget',
		name: 'maxReadBackTokens',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Stop reading records back after this many API tokens (0 = no limit); the rest is reported as not checked',
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['diffReport'] } },
	properties,
);

/**
 * One item per field of every record the source says must exist (source cell, expected under
 * the spec's rule, stored, verdict), then a summary item with the HTML page and the CSV. These
 * hold patient values: they are the practice's review of the migration.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Diff report', async () => {
		const { bundles, references, pages } = sourceRecords(this);
		const spec = MappingSpec.parse(jsonParameter(this, 'spec', 'Mapping Spec'));
		const registry = jsonParameter<FieldRegistry>(this, 'registry', 'Field Registry');
		const runId = String(this.getNodeParameter('runId', 0, '') ?? '').trim();
		const exportDir = String(this.getNodeParameter('exportDir', 0, '') ?? '').trim();
		const budget = this.getNodeParameter('maxReadBackTokens', 0, 0) as number;
		return withLedger(this, async ({ client, store }) => {
			const [users, me] = [await client.users(), await client.me()];
			const input = {
				references,
				spec,
				registry,
				users,
				apiUserId: me.userId,
				store,
				read: clientRecordReader(client),
				...(runId ? { runId } : {}),
				...(budget > 0 ? { maxReadBackTokens: budget } : {}),
				...(exportDir
					? { export: { dir: exportDir, profile: sourceProfiles[spec.source]() } }
					: {}),
			};
			const report =
				pages.length > 0
					? await verifyFromSourceInParts(input, pageParts(pages))
					: await verifyFromSource({ ...input, bundles });
			const name = runId || 'migration';
			const items: INodeExecutionData[] = report.fields.map((field) => ({
				json: field as unknown as JsonObject,
			}));
			items.push({
				json: {
					runId: report.runId,
					totals: report.totals,
					records: report.records,
					owners: report.owners,
					readBack: report.readBack,
					summary: report.summary,
				} as unknown as JsonObject,
				binary: {
					html: await reportFile(this, diffReportHtml(report), `diff-${name}.html`, 'text/html'),
					csv: await reportFile(this, diffReportCsv(report), `diff-${name}.csv`, 'text/csv'),
				},
			});
			return items;
		});
	});
}

/** Patients verified at once from a streamed read's pages: memory holds one part of the export. */
const PATIENTS_PER_PART = 1000;

/** The spool's pages, read a part (whole pages up to PATIENTS_PER_PART patients) at a time. */
function* pageParts(pages: readonly SpoolPageItem[]): Generator<PatientBundle[]> {
	let part: PatientBundle[] = [];
	for (const page of pages) {
		if (page.bundles > 0) part.push(...readSpoolPage(page.dir, page.page));
		if (part.length >= PATIENTS_PER_PART) {
			yield part;
			part = [];
		}
	}
	if (part.length > 0 || pages.length > 0) yield part;
}

/**
 * The reader's items: patient bundles to verify, and the reference entities they hang on; the
 * page items of a streamed read (verified part by part, their bundles read from the spool).
 */
function sourceRecords(context: IExecuteFunctions): {
	bundles: PatientBundle[];
	references: ReferenceEntity[];
	pages: SpoolPageItem[];
} {
	const value = jsonParameter<unknown>(context, 'sourceRecords', 'Source Records');
	const all = (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
	const pages = all.filter((item) => isSpoolPageItem(item)) as unknown as SpoolPageItem[];
	const items = all.filter((item) => !isSpoolPageItem(item));
	const bundles: PatientBundle[] = [];
	const references: ReferenceEntity[] = [];
	items.forEach((item, index) => {
		const parsed =
			item?.kind === 'patientBundle'
				? PatientBundle.safeParse(item)
				: ReferenceEntity.safeParse(item);
		if (!parsed.success)
			throw new NodeOperationError(
				context.getNode(),
				`Source Records entry ${index} is not a reader record ("${parsed.error.issues[0].path.join('.')}": ${parsed.error.issues[0].message})`,
				{
					description:
						"Map the reader's first output (e.g. $('Records').all(0)) and the sampled bundles into Source Records, not its validation report",
				},
			);
		if (item.kind === 'patientBundle') bundles.push(parsed.data as PatientBundle);
		else references.push(parsed.data as ReferenceEntity);
	});
	if (bundles.length === 0 && references.length === 0 && pages.length === 0)
		throw new NodeOperationError(context.getNode(), 'Source Records holds no reader records', {
			description: "Map the reader's first output into Source Records",
		});
	return { bundles, references, pages };
}
