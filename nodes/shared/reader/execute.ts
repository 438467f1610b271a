import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { join } from 'node:path';

import type { EntityName } from '../../../lib/model';
import {
	ExportReadError,
	folderSource,
	memorySource,
	removeSpool,
	type ExportSource,
	type ReadOptions,
	type ReadResult,
} from '../../../lib/sources/common';
import { validationReportHtml } from '../../../lib/report/validationHtml';
import { writeReferences, type SpoolPageItem } from '../../../lib/pages/pages';
import { executeItems, toNodeError } from '../executeItems';
import { reportFile } from '../reportFile';
import { binaryExportFiles } from './binaryFiles';

/**
 * The source's reader: the generic driver with its profile, plus anything source-specific.
 * `itemIndex` is the input item whose parameters apply (0 for binary input, read as one export).
 */
export type ExportReader = (
	source: ExportSource,
	options: ReadOptions,
	itemIndex: number,
) => Promise<ReadResult>;

interface ReaderOptions {
	columnMap?: string | IDataObject;
	currency?: string;
	exportDate?: string;
	failOnUnreadableFile?: boolean;
	modifiedSince?: string;
	output?: 'records' | 'pages';
	pageLimit?: number;
	pageOffset?: number;
	pageSize?: number;
	timeZone?: string;
	workDir?: string;
}

/** Where a streamed read's pages go when Work Folder is empty (next to the default journal folder). */
export const DEFAULT_WORK_DIR = '.migration-work';
/** Patients per page of a streamed read when Page Size is empty. */
export const DEFAULT_PAGE_SIZE = 50;

/** The options that apply to files only: a column map and what an unreadable file does. */
type FileOnlyOptions = 'columnMap' | 'failOnUnreadableFile';

/**
 * The shared reader parameters of one item that apply to records from any input, files or an API
 * (the DentAdmin API input uses these: its records have no file headers to map and no file to fail).
 */
export function recordOptions(
	context: IExecuteFunctions,
	itemIndex: number,
): Omit<ReadOptions, FileOnlyOptions> {
	const entities = context.getNodeParameter('entities', itemIndex, []) as EntityName[];
	const options = context.getNodeParameter('options', itemIndex, {}) as ReaderOptions;
	return {
		entities: entities.length > 0 ? entities : undefined,
		page: options.pageLimit
			? { offset: options.pageOffset ?? 0, limit: options.pageLimit }
			: undefined,
		modifiedSince: options.modifiedSince || undefined,
		timeZone: options.timeZone || undefined,
		currency: options.currency || undefined,
		exportDate: options.exportDate?.slice(0, 10) || undefined,
	};
}

/** The shared reader parameters of one item as driver options for an export of files. */
export function readOptions(context: IExecuteFunctions, itemIndex: number): ReadOptions {
	const shared = recordOptions(context, itemIndex);
	const options = context.getNodeParameter('options', itemIndex, {}) as ReaderOptions;
	let columnMap: ReadOptions['columnMap'];
	if (options.columnMap !== undefined && options.columnMap !== '') {
		try {
			columnMap = (
				typeof options.columnMap === 'string' ? JSON.parse(options.columnMap) : options.columnMap
			) as ReadOptions['columnMap'];
		} catch {
			throw new NodeOperationError(context.getNode(), 'The column map is not valid JSON', {
				itemIndex,
				description: 'Write it like { "patients.csv": { "Cell": "MobilePhone" } }.',
			});
		}
	}
	return {
		...shared,
		columnMap,
		failOnUnreadableFile: options.failOnUnreadableFile ?? true,
		...(options.output === 'pages'
			? {
					spool: {
						dir: join(options.workDir?.trim() || DEFAULT_WORK_DIR, 'pages'),
						pageSize: options.pageSize || DEFAULT_PAGE_SIZE,
					},
				}
			: {}),
	};
}

/**
 * A streamed read starts from an empty spool folder: the pages, plans and references an earlier
 * run left there hold patient values and may belong to another export.
 */
function readFresh(options: ReadOptions, read: () => Promise<ReadResult>): Promise<ReadResult> {
	if (options.spool) removeSpool(options.spool.dir);
	return read();
}

/** An export that cannot be read is a configuration problem the user fixes: say what and how. */
function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): unknown {
	if (!(error instanceof ExportReadError)) return error;
	return new NodeOperationError(context.getNode(), error.message, {
		itemIndex,
		description: error.file ? `The file is ${error.file}.` : undefined,
	});
}

/** The validation report as JSON, with the same as a page for the practice (binary `html`). */
async function reportItem(
	context: IExecuteFunctions,
	result: ReadResult,
	pairedItem: INodeExecutionData['pairedItem'],
): Promise<INodeExecutionData> {
	return {
		json: result.report as unknown as IDataObject,
		binary: {
			html: await reportFile(
				context,
				validationReportHtml(result.report),
				'validation-report.html',
				'text/html',
			),
		},
		pairedItem,
	};
}

/**
 * The records as items; a streamed read gives the reference entities and one small item per page
 * of bundles instead (the references also go to the spool folder, planned with page 0).
 */
function records(result: ReadResult): INodeExecutionData[] {
	const json = (value: unknown) => ({ json: value as IDataObject });
	if (!result.spool) return [...result.references, ...result.bundles].map(json);
	const { dir, bundles } = result.spool;
	writeReferences(dir, result.references);
	// Page 0 is always there, for the references (an export without accepted patients has only
	// it); a later page that a modified-since read left empty is not handed on.
	const pages: SpoolPageItem[] = (bundles.length > 0 ? bundles : [0]).flatMap((count, page) =>
		page > 0 && count === 0
			? []
			: [
					{
						kind: 'page',
						dir,
						page,
						bundles: count,
						references: page === 0 ? result.references.length : 0,
					},
				],
	);
	return [...result.references, ...pages].map(json);
}

/**
 * One read per input item: output 0 holds its records, output 1 its validation report, both
 * paired with the item (the folder input here, the DentAdmin API input).
 */
export async function readEachItem(
	context: IExecuteFunctions,
	read: (itemIndex: number) => Promise<ReadResult>,
): Promise<INodeExecutionData[][]> {
	const reports: INodeExecutionData[] = [];
	const main = await executeItems(context, async (itemIndex) => {
		const result = await read(itemIndex);
		reports.push(await reportItem(context, result, { item: itemIndex }));
		return records(result);
	});
	return [main, reports];
}

/**
 * Runs a reader node: output 0 holds one item per reference entity and per patient bundle, output 1
 * the validation report. A folder is read per input item; binary files of all input items form one
 * export, so its outputs are paired with every input item.
 */
export async function executeReader(
	context: IExecuteFunctions,
	read: ExportReader,
): Promise<INodeExecutionData[][]> {
	const mode = context.getNodeParameter('inputMode', 0) as 'folder' | 'binary';
	if (mode === 'folder') {
		return await readEachItem(context, async (itemIndex) => {
			const folder = (context.getNodeParameter('folderPath', itemIndex) as string).trim();
			if (folder === '') {
				throw new NodeOperationError(context.getNode(), 'No export folder is set', {
					itemIndex,
					description: 'Set Export Folder to the folder holding the export files.',
				});
			}
			try {
				const options = readOptions(context, itemIndex);
				return await readFresh(options, () => read(folderSource(folder), options, itemIndex));
			} catch (error) {
				throw asNodeError(context, error, itemIndex);
			}
		});
	}
	// Binary input aggregates: one export from every input item's files.
	const pairedItem = context.getInputData().map((_, item) => ({ item }));
	try {
		const properties = context.getNodeParameter('binaryProperties', 0, '') as string;
		const source = memorySource('binary input', binaryExportFiles(context, properties));
		const options = readOptions(context, 0);
		const result = await readFresh(options, () => read(source, options, 0));
		return [
			records(result).map((item) => ({ ...item, pairedItem })),
			[await reportItem(context, result, pairedItem)],
		];
	} catch (error) {
		const nodeError = toNodeError(context.getNode(), asNodeError(context, error, 0), 0);
		if (!context.continueOnFail()) throw nodeError;
		return [[{ json: { error: nodeError.message }, pairedItem }], []];
	}
}
