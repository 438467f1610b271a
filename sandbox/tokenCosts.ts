import table from '../lib/pipedrive/tokenCosts.json';

/**
 * Token cost of an operation, from the specs' `x-token-cost`: the one committed table (regenerated
 * by `scripts/build-token-costs.ts`) that the engine's rate limiter prices requests by too. It is
 * spec data, not engine code. Keys are `METHOD /api/vN/path/{param}`.
 */
const costs: Record<string, number> = table.costs;

export function tokenCost(method: string, pathTemplate: string): number | undefined {
	return costs[`${method} ${pathTemplate}`];
}
