import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	readDentAdminApi,
	type ApiEntity,
	type ApiPaging,
	type DentAdminApiOptions,
} from '../../lib/sources/dentadmin/api';
import { n8nTransport } from '../shared/n8nTransport';
import { readEachItem, recordOptions } from '../shared/reader/execute';
import { dentAdminOptions } from './dentAdminOptions';

interface PagingParameters {
	itemsPath?: string;
	nextCursorPath?: string;
	pageParam?: string;
	pageSizeParam?: string;
	cursorParam?: string;
}

interface SharedOptions {
	modifiedSince?: string;
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

/**
 * API input: for each input item, every entity is fetched through the `dentAdminApi` credential
 * (n8n adds the key) and read exactly like a CSV export; outputs as the shared reader's. Column
 * maps and unreadable files apply to CSV files only, so the API read takes the record options.
 */
export async function executeApiInput(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await readEachItem(context, async (itemIndex) => {
		const transport = await n8nTransport(context, 'dentAdminApi');
		return await readDentAdminApi(transport, apiOptions(context, itemIndex), {
			...recordOptions(context, itemIndex),
			...dentAdminOptions(context, itemIndex),
		});
	});
}
