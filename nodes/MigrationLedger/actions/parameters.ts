import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Plan } from '../../../lib/plan/plan';
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

/**
 * The plans to compare (Diff Report, Reconcile): by default the input items; after a Commit,
 * map them from the Transform node, e.g. `{{ $('Transform').all().map(item => item.json) }}`.
 */
export const plansProperty: INodeProperties = {
	displayName: 'Plans',
	name: 'plans',
	type: 'json',
	default: '={{ $input.all().map(item => item.json) }}',
	description:
		"The Mapper's plans for the records to compare; by default the input items. After a Commit, map them from the Transform node.",
};

export function plansParameter(context: IExecuteFunctions): Plan[] {
	const value = jsonParameter<unknown>(context, 'plans', 'Plans');
	const plans = Array.isArray(value) ? value : [value];
	plans.forEach((plan, index) => {
		const candidate = plan as Partial<Plan> | null;
		if (
			!candidate ||
			!Array.isArray(candidate.operations) ||
			typeof candidate.bundleKey !== 'string'
		) {
			throw new NodeOperationError(context.getNode(), `Plans entry ${index} is not a plan`, {
				description: "Map the Migration Mapper's Transform output (one plan per item) into Plans",
			});
		}
	});
	return plans as Plan[];
}
