import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IConnections, IDataObject, INode, IWorkflowSettings } from 'n8n-workflow';

/** The shape of an exported n8n workflow file, as far as the engine needs it. */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject | null;
}

/** Every template starts with an Edit Fields node of this name holding what a consultant changes. */
export const SETTINGS_NODE_NAME = 'Migration settings';

function isWorkflowJson(value: unknown): value is WorkflowJson {
	const candidate = value as WorkflowJson;
	return (
		typeof value === 'object' &&
		value !== null &&
		Array.isArray(candidate.nodes) &&
		typeof candidate.connections === 'object' &&
		candidate.connections !== null
	);
}

/** Reads a workflow from a JSON file (or takes an object), with a message that names the file. */
export function loadWorkflow(workflow: object | string): WorkflowJson {
	const source = typeof workflow === 'string' ? workflow : 'the workflow object';
	let parsed: unknown = workflow;
	if (typeof workflow === 'string') {
		if (!existsSync(workflow)) throw new Error(`Workflow file ${workflow} does not exist`);
		try {
			parsed = JSON.parse(readFileSync(workflow, 'utf8'));
		} catch (error) {
			throw new Error(`Workflow file ${workflow} is not valid JSON: ${(error as Error).message}`);
		}
	}
	if (!isWorkflowJson(parsed)) {
		throw new Error(
			`${source} is not an n8n workflow: it needs a "nodes" array and a "connections" object ` +
				'(export it from n8n with Download, or copy a file from workflows/)',
		);
	}
	// The engine mutates parameters while it runs; callers keep their object untouched.
	return structuredClone(parsed);
}

interface Assignment {
	id?: string;
	name: string;
	value: unknown;
	type?: string;
}

/**
 * Replaces values of the `Migration settings` node (Edit Fields, version 3.3+, manual mapping).
 * Each value keeps the field's declared type, so Edit Fields converts and validates it exactly
 * as it would a value typed in the editor. Unknown names are refused, listing the known ones,
 * because a misspelt setting silently ignored would run a migration with the wrong value.
 */
export function applySettings(workflow: WorkflowJson, settings: Record<string, unknown>): void {
	const names = Object.keys(settings);
	if (names.length === 0) return;
	const node = workflow.nodes.find((n) => n.name === SETTINGS_NODE_NAME);
	if (!node) {
		throw new Error(
			`Cannot apply settings ${names.join(', ')}: the workflow has no node named "${SETTINGS_NODE_NAME}"`,
		);
	}
	const assignments = (node.parameters.assignments as { assignments?: Assignment[] } | undefined)
		?.assignments;
	if (!Array.isArray(assignments)) {
		throw new Error(
			`Node "${SETTINGS_NODE_NAME}" must be an Edit Fields (Set) node version 3.3 or later in ` +
				'manual mapping mode, so its fields can be overridden',
		);
	}
	for (const name of names) {
		const field = assignments.find((a) => a.name === name);
		if (!field) {
			const known = assignments.map((a) => a.name).join(', ');
			throw new Error(
				`Node "${SETTINGS_NODE_NAME}" has no field "${name}"; its fields are: ${known}`,
			);
		}
		field.value = settings[name];
	}
}

/** Finds a workflow by its `id` among the JSON files under `dirs` (for Execute Workflow by id). */
export function findWorkflowById(id: string, dirs: string[]): WorkflowJson | undefined {
	for (const dir of dirs) {
		if (!existsSync(dir)) continue;
		for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
			if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
			const path = join(entry.parentPath, entry.name);
			let parsed: unknown;
			try {
				parsed = JSON.parse(readFileSync(path, 'utf8'));
			} catch {
				continue; // not every JSON file there is a workflow
			}
			if (isWorkflowJson(parsed) && parsed.id === id) return structuredClone(parsed);
		}
	}
	return undefined;
}
