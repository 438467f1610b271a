import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** An operation file (`actions/<name>.operation.ts`): its parameters and what it runs. */
export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

/** One entry of a node's operations index: how the action list shows it, and its file. */
export interface OperationEntry {
	name: string;
	description: string;
	action: string;
	module: OperationModule;
}

/**
 * A node's operations index (`actions/operations.ts`), keyed by operation value: the one list the
 * node class (action list, subtitle, parameters), the router and its "Choose one of …" text read.
 */
export type OperationsIndex<Operation extends string> = Record<Operation, OperationEntry>;

/** The action-list options of the given operations (all by default), sorted by name as n8n asks. */
export function operationOptions<Operation extends string>(
	index: OperationsIndex<Operation>,
	only: readonly Operation[] = Object.keys(index) as Operation[],
): INodePropertyOptions[] {
	return only
		.map((value) => {
			const { name, description, action } = index[value];
			return { name, value, description, action };
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every operation's parameters, in the index's order. */
export function operationParameters<Operation extends string>(
	index: OperationsIndex<Operation>,
): INodeProperties[] {
	return Object.values<OperationEntry>(index).flatMap((entry) => entry.module.description);
}

/**
 * The node's `execute`: runs the chosen operation; an unknown one is refused with the names of
 * those that exist, in `order` (the index's order by default).
 */
export function operationsRouter<Operation extends string>(
	index: OperationsIndex<Operation>,
	order: readonly Operation[] = Object.keys(index) as Operation[],
) {
	return async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const entry = Object.hasOwn(index, operation) ? index[operation as Operation] : undefined;
		if (!entry) {
			const names = order.map((value) => index[value].name);
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" is not supported`,
				{
					description: `Choose one of ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`,
				},
			);
		}
		return [await entry.module.execute.call(this)];
	};
}
