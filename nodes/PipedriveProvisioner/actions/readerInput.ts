import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Match Users and Preflight read the reader's items, usually through an expression on the reader node. */
export const readerItemsProperty: INodeProperties = {
	displayName: 'Reader Items',
	name: 'readerItems',
	type: 'json',
	default: '={{ $input.all().map(item => item.json) }}',
	description:
		"The reader's records (its first output): an expression on the reader node that names the output index, .all(0), as the templates set it",
};

/** A JSON parameter as a value: typed JSON text is parsed, an expression's result taken as is. */
export function jsonParameter(node: INode, value: unknown, name: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		throw new NodeOperationError(
			node,
			`${name} is not valid JSON: fix the parameter and run again`,
		);
	}
}

export function readReaderItems(node: INode, value: unknown): Array<Record<string, unknown>> {
	const items = jsonParameter(node, value, 'Reader Items');
	if (!Array.isArray(items)) {
		throw new NodeOperationError(
			node,
			"Reader Items must be a list of the reader's output items: check the parameter's expression",
		);
	}
	return items as Array<Record<string, unknown>>;
}
