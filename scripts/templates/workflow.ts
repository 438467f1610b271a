import { createHash } from 'node:crypto';

/**
 * The workflow JSON the generator writes, in the key order n8n exports. A node's id is derived from
 * the workflow id and the node name, so regenerating gives the same file and two nodes never clash.
 */

export type Parameters = Record<string, unknown>;

export interface TemplateNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Parameters;
	credentials?: Record<string, { name: string }>;
	/** n8n's node setting: run once, with the first input item only. */
	executeOnce?: boolean;
}

/** A node before it is placed in a workflow: everything but its id. */
export type NodeDefinition = Omit<TemplateNode, 'id'>;

interface Connection {
	node: string;
	type: 'main';
	index: number;
}

export interface TemplateWorkflow {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, { main: Connection[][] }>;
	settings: { executionOrder: 'v1' };
	pinData: Record<string, never>;
	meta: { templateCredsSetupCompleted: true };
}

/** An edge: output `output` of `from` feeds input `input` of `to`. */
export interface Edge {
	from: string;
	to: string;
	output?: number;
	input?: number;
}

/** A UUID-shaped id that depends only on its parts. */
export function stableId(...parts: string[]): string {
	const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex');
	return [
		hex.slice(0, 8),
		hex.slice(8, 12),
		hex.slice(12, 16),
		hex.slice(16, 20),
		hex.slice(20, 32),
	].join('-');
}

/** n8n's connections object: per source node, one list of targets per output (empty outputs kept). */
function connectionsOf(edges: Edge[]): TemplateWorkflow['connections'] {
	const connections: TemplateWorkflow['connections'] = {};
	for (const { from, to, output = 0, input = 0 } of edges) {
		const outputs = (connections[from] ??= { main: [] }).main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: input });
	}
	return connections;
}

export function workflow(
	id: string,
	name: string,
	nodes: NodeDefinition[],
	edges: Edge[],
): TemplateWorkflow {
	const names = new Set(nodes.map((node) => node.name));
	for (const { from, to } of edges) {
		for (const end of [from, to])
			if (!names.has(end)) throw new Error(`Template ${id}: connection names no node "${end}"`);
	}
	return {
		id,
		name,
		nodes: nodes.map((node) => ({ id: stableId(id, node.name), ...node })),
		connections: connectionsOf(edges),
		settings: { executionOrder: 'v1' },
		pinData: {},
		meta: { templateCredsSetupCompleted: true },
	};
}

/** The committed text of a template: n8n's export format (tab-indented JSON) and a final newline. */
export function serialise(template: TemplateWorkflow): string {
	return `${JSON.stringify(template, null, '\t')}\n`;
}
