import type { HttpMethod } from '../transport/transport';
import table from './tokenCosts.json';

/**
 * Token cost per request from the committed table (generated from the specs' `x-token-cost` by
 * `scripts/build-token-costs.ts`). Templates with fewer `{param}` segments win, so
 * `/api/v2/persons/search` is not priced as `/api/v2/persons/{id}`.
 */
interface Template {
	method: string;
	pattern: RegExp;
	params: number;
	cost: number;
	template: string;
}

/** Charged for an endpoint missing from the table: the doc's generic list price, on the safe side. */
export const UNKNOWN_ENDPOINT_COST = 20;

const templates: Template[] = Object.entries(table.costs as Record<string, number>)
	.map(([key, cost]) => {
		const [method, template] = key.split(' ');
		const segments = template.split('/');
		const pattern = new RegExp(
			`^${segments.map((s) => (s.startsWith('{') ? '[^/]+' : escapeRegExp(s))).join('/')}$`,
		);
		return {
			method,
			pattern,
			params: segments.filter((s) => s.startsWith('{')).length,
			cost,
			template,
		};
	})
	.sort((a, b) => a.params - b.params);

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The spec's path template for a request path, e.g. `/api/v2/persons/{id}`; undefined when unknown. */
export function endpointTemplate(method: HttpMethod, path: string): string | undefined {
	return findTemplate(method, path)?.template;
}

export function tokenCost(method: HttpMethod, path: string): number {
	return findTemplate(method, path)?.cost ?? UNKNOWN_ENDPOINT_COST;
}

export function isSearchEndpoint(path: string): boolean {
	return /\/search(\/|$)|\/itemSearch(\/|$)/.test(path);
}

function findTemplate(method: HttpMethod, path: string): Template | undefined {
	const bare = path.split('?')[0];
	return templates.find((t) => t.method === method && t.pattern.test(bare));
}
