import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The run id parameter, shared by the operations that act on one run (same name, so it survives switching). */
export const runIdProperty: INodeProperties = {
	displayName: 'Run ID',
	name: 'runId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 3f2b6c1e-…',
};

/** A JSON parameter that may arrive as an object (expression) or as text. */
export function jsonParameter<T>(
	context: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex = 0,
): T {
	const value = context.getNodeParameter(name, itemIndex) as unknown;
	if (typeof value !== 'string') return value as T;
	try {
		return JSON.parse(value) as T;
	} catch {
		throw new NodeOperationError(context.getNode(), `${label} is not valid JSON`, {
			itemIndex,
			description: `Paste the ${label} as JSON or map it with an expression from the step that produced it`,
		});
	}
}

/** A comma-separated list of run ids; empty → undefined (all runs). */
export function runIdList(context: IExecuteFunctions, name: string): string[] | undefined {
	const text = (context.getNodeParameter(name, 0, '') as string).trim();
	if (!text) return undefined;
	return text
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
}
