import type { IExecuteFunctions, ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { OPERATIONS as LEDGER } from '../../nodes/MigrationLedger/actions/operations';
import { OPERATIONS as MAPPER } from '../../nodes/MigrationMapper/actions/operations';
import { OPERATIONS as PROVISIONER } from '../../nodes/PipedriveProvisioner/actions/operations';
import { getActiveUsers } from '../../nodes/PipedriveProvisioner/methods/loadOptions';
import type { OperationsIndex } from '../../nodes/shared/operations';

/**
 * lib/ throws plain Errors (it never imports n8n-workflow); every path of a node into lib must
 * hand n8n a NodeOperationError / NodeApiError naming the node. The lib error here is the
 * credential's plan ("gold" is no Pipedrive plan: parsePlan throws before any request); every
 * other parameter is its default, so some operations stop earlier, on their own input checks.
 */
const NODE: INode = {
	id: 'n1',
	name: 'Ledger In Test',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function context(continueOnFail = false) {
	return {
		getNode: () => NODE,
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string, _index: number, fallback?: unknown) =>
			name === 'journal' ? 'embedded' : name === 'journalDir' ? '/tmp/unused' : fallback,
		getCredentials: async () => ({ baseUrl: 'http://127.0.0.1:9', plan: 'gold', seats: 1 }),
		continueOnFail: () => continueOnFail,
		helpers: {},
	} as unknown as IExecuteFunctions & ILoadOptionsFunctions;
}

const PLAN_ERROR =
	'Unknown Pipedrive plan "gold": set the credential\'s plan to one of lite, growth, premium, ultimate';

async function failure(run: () => Promise<unknown>) {
	try {
		await run();
	} catch (error) {
		return error as Error & { node?: INode };
	}
	throw new Error('it did not fail');
}

describe('lib errors reach n8n as node errors', () => {
	const indexes: Array<[string, OperationsIndex<string>]> = [
		['Ledger', LEDGER],
		['Provisioner', PROVISIONER],
		['Mapper', MAPPER],
	];
	for (const [node, index] of indexes)
		for (const [operation, entry] of Object.entries(index))
			it(`${node} ${operation}`, async () => {
				const error = await failure(() => entry.module.execute.call(context()));
				expect(error instanceof NodeOperationError || error instanceof NodeApiError).toBe(true);
				expect(error.node?.name).toBe('Ledger In Test');
			});

	it('the watermark operations word the lib error and keep it per item under Continue On Fail', async () => {
		for (const operation of ['getWatermark', 'advanceWatermark'] as const) {
			const error = await failure(() => LEDGER[operation].module.execute.call(context()));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(PLAN_ERROR);
			expect(await LEDGER[operation].module.execute.call(context(true))).toEqual([
				{ json: { error: PLAN_ERROR }, pairedItem: [{ item: 0 }] },
			]);
		}
	});

	it('the Provisioner’s user list (load options) too', async () => {
		const error = await failure(() => getActiveUsers.call(context()));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect([error.node?.name, error.message]).toEqual(['Ledger In Test', PLAN_ERROR]);
	});
});
