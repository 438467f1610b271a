import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { EntityName } from '../../lib/model';
import {
	readDentAdminApi,
	type ApiEntity,
	type ApiPaging,
	type DentAdminApiOptions,
} from '../../lib/sources/dentadmin/api';
import type { DentAdminReadOptions } from '../../lib/sources/dentadmin/read';
import { executeItems } from '../shared/executeItems';
import { n8nTransport } from '../shared/n8nTransport';
import { dentAdminOptions } from './dentAdminOptions';

interface PagingParameters {
	itemsPath?: string;
	nextCursorPath?: string;
	pageParam?: string;
	pageSizeParam?: string;
	cursorParam?: string;
}

interface SharedOptions {
	currency?: string;
	modifiedSince?: string;
	pageLimit?: number;
	pageOffset?: number;
	timeZone?: string;
}

function apiOptions(context: IExecuteFunctions, itemIndex: number): DentAdminApiOptions {
	const paths = context.getNodeParameter('apiPaths', itemIndex, {}) as Partial<
		Record<ApiEntity, string>
	>;
	const mode = context.getNodeParameter('pagingMode', itemIndex) as ApiPaging['mode'];
	const pageSize = context.getNodeParameter('apiPageSize', itemIndex) as number;
	const parameters = context.getNodeParameter(
		'pagingParameters',
		itemIndex,
		{},
	) as PagingParameters;
	const options = context.getNodeParameter('options', itemIndex, {}) as SharedOptions;
	const paging: ApiPaging =
		mode === 'cursor'
			? {
					mode,
					pageSize,
					itemsPath: parameters.itemsPath,
					nextCursorPath: parameters.nextCursorPath,
					cursorParam: parameters.cursorParam,
					pageSizeParam: parameters.pageSizeParam,
				}
			: {
					mode,
					pageSize,
					itemsPath: parameters.itemsPath,
					pageParam: parameters.pageParam,
					pageSizeParam: parameters.pageSizeParam,
				};
	return { paths, paging, modifiedSince: options.modifiedSince || undefined };
}

/** The shared reader options that apply to API records (column maps and unreadable files do not). */
function readOptions(context: IExecuteFunctions, itemIndex: number): DentAdminReadOptions {
	const entities = context.getNodeParameter('entities', itemIndex, []) as EntityName[];
	const options = context.getNodeParameter('options', itemIndex, {}) as SharedOptions;
	return {
		entities: entities.length > 0 ? entities : undefined,
		page: options.pageLimit
			? { offset: options.pageOffset ?? 0, limit: options.pageLimit }
			: undefined,
		timeZone: options.timeZone || undefined,
		currency: options.currency || undefined,
		...dentAdminOptions(context, itemIndex),
	};
}

/**
 * API input: for each input item, every entity is fetched through the `dentAdminApi` credential
 * (n8n adds the key) and read exactly like a CSV export; outputs as the shared reader's.
 */
export async function executeApiInput(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const reports: INodeExecutionData[] = [];
	const records = await executeItems(context, async (itemIndex) => {
		const transport = await n8nTransport(context, 'dentAdminApi');
		const result = await readDentAdminApi(
			transport,
			apiOptions(context, itemIndex),
			readOptions(context, itemIndex),
		);
		reports.push({
			json: result.report as unknown as IDataObject,
			pairedItem: { item: itemIndex },
		});
		return [...result.references, ...result.bundles].map((record) => ({
			json: record as unknown as IDataObject,
		}));
	});
	return [records, reports];
}
