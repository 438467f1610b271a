import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type {
	ICredentialType,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

/**
 * The node and credential types the in-process engine knows: this package's own (loaded from
 * the TypeScript sources, so tests need no build) and the n8n-nodes-base types the templates use.
 */

export const packageRoot = resolve(__dirname, '..');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const packageJson = require(join(packageRoot, 'package.json')) as { name: string };

/** Real n8n names a community node `<package name>.<description.name>`; so do we. */
export const packageName: string = packageJson.name;

const BASE_PACKAGE = 'n8n-nodes-base';
const baseNodesDir = join(packageRoot, 'node_modules', BASE_PACKAGE, 'dist', 'nodes');
const baseCredentialsDir = join(packageRoot, 'node_modules', BASE_PACKAGE, 'dist', 'credentials');

/**
 * The built-in nodes templates may use, by type name. Code is listed so a template that uses it
 * fails with the engine's own clear message (it needs n8n's task runner), not "unknown type".
 */
const BASE_NODE_FILES: Record<string, string> = {
	manualTrigger: 'ManualTrigger/ManualTrigger.node.js',
	scheduleTrigger: 'Schedule/ScheduleTrigger.node.js',
	set: 'Set/Set.node.js',
	if: 'If/If.node.js',
	filter: 'Filter/Filter.node.js',
	merge: 'Merge/Merge.node.js',
	splitInBatches: 'SplitInBatches/SplitInBatches.node.js',
	executeWorkflow: 'ExecuteWorkflow/ExecuteWorkflow/ExecuteWorkflow.node.js',
	executeWorkflowTrigger: 'ExecuteWorkflow/ExecuteWorkflowTrigger/ExecuteWorkflowTrigger.node.js',
	noOp: 'NoOp/NoOp.node.js',
	code: 'Code/Code.node.js',
	wait: 'Wait/Wait.node.js',
	form: 'Form/Form.node.js',
	formTrigger: 'Form/FormTrigger.node.js',
	stickyNote: 'StickyNote/StickyNote.node.js',
	httpRequest: 'HttpRequest/HttpRequest.node.js',
	// The peer in bench/peer.bench.ts: the stock Pipedrive node and how a CSV's rows become items.
	pipedrive: 'Pipedrive/Pipedrive.node.js',
	splitOut: 'Transform/SplitOut/SplitOut.node.js',
};

type NodeOrVersioned = INodeType | IVersionedNodeType;

function isNodeType(value: unknown): value is NodeOrVersioned {
	return (
		typeof value === 'object' &&
		value !== null &&
		('description' in value || 'nodeVersions' in value)
	);
}

function isCredentialType(value: unknown): value is ICredentialType {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ICredentialType).name === 'string' &&
		Array.isArray((value as ICredentialType).properties)
	);
}

/** Instantiates every exported class of a module and keeps those that pass `accept`. */
function instancesExportedBy<T>(file: string, accept: (value: unknown) => value is T): T[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(file) as Record<string, unknown>;
	const found: T[] = [];
	for (const candidate of Object.values(exported)) {
		if (typeof candidate !== 'function') continue;
		let instance: unknown;
		try {
			instance = new (candidate as new () => unknown)();
		} catch {
			continue; // a helper class that needs constructor arguments, not a node
		}
		if (accept(instance)) found.push(instance);
	}
	return found;
}

function nodeName(nodeType: NodeOrVersioned): string {
	return nodeType.description.name;
}

/** A file of this package that could not be loaded: reported when its types are asked for. */
interface LoadFailure {
	file: string;
	message: string;
}

function sourceFiles(dir: string, suffix: string, depth: 1 | 2): string[] {
	if (!existsSync(dir)) return [];
	const files: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (depth === 2 && entry.isDirectory() && entry.name !== 'shared') {
			files.push(...sourceFiles(path, suffix, 1));
		} else if (depth === 1 && entry.isFile() && entry.name.endsWith(suffix)) {
			files.push(path);
		}
	}
	return files.sort();
}

class TypeRegistry implements INodeTypes {
	private readonly nodes = new Map<string, NodeOrVersioned>();
	private readonly credentials = new Map<string, ICredentialType>();
	private readonly failures: LoadFailure[] = [];

	constructor() {
		// A half-written node of another issue must not stop workflows that do not use it, so
		// load failures are kept and reported only when an unknown type is asked for.
		for (const file of sourceFiles(join(packageRoot, 'nodes'), '.node.ts', 2)) {
			this.load(file, () => {
				for (const nodeType of instancesExportedBy(file, isNodeType)) {
					this.nodes.set(`${packageName}.${nodeName(nodeType)}`, nodeType);
				}
			});
		}
		for (const file of sourceFiles(join(packageRoot, 'credentials'), '.credentials.ts', 1)) {
			this.load(file, () => {
				for (const credentialType of instancesExportedBy(file, isCredentialType)) {
					this.credentials.set(credentialType.name, credentialType);
				}
			});
		}
	}

	private load(file: string, register: () => void): void {
		try {
			register();
		} catch (error) {
			this.failures.push({ file, message: (error as Error).message });
		}
	}

	private unknown(kind: string, name: string): Error {
		const failed = this.failures.map((f) => `${f.file} (${f.message})`).join('; ');
		return new Error(
			`Unknown ${kind} type "${name}": the engine registers this package's nodes/*/*.node.ts, ` +
				`credentials/*.credentials.ts and the n8n-nodes-base nodes ${Object.keys(BASE_NODE_FILES).join(', ')}` +
				(failed ? `. Files that failed to load: ${failed}` : ''),
		);
	}

	getByName(type: string): NodeOrVersioned {
		const known = this.nodes.get(type);
		if (known) return known;
		const [pkg, name] = type.split('.');
		const file = pkg === BASE_PACKAGE ? BASE_NODE_FILES[name] : undefined;
		if (!file) throw this.unknown('node', type);
		const [nodeType] = instancesExportedBy(join(baseNodesDir, file), isNodeType);
		if (!nodeType) throw this.unknown('node', type);
		this.nodes.set(type, nodeType);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	/**
	 * Adds a node type under a full type name: for tests that exercise shared node machinery
	 * through the engine with a node that is not part of the package.
	 */
	register(type: string, nodeType: INodeType): void {
		this.nodes.set(type, nodeType);
	}

	/** Node types of this package, by full type name. */
	packageNodeTypes(): string[] {
		return [...this.nodes.keys()].filter((type) => type.startsWith(`${packageName}.`));
	}

	credentialType(name: string): ICredentialType {
		const known = this.credentials.get(name);
		if (known) return known;
		// n8n-nodes-base names credential files after the type: oAuth2Api → OAuth2Api.credentials.js
		const file = join(
			baseCredentialsDir,
			`${name.charAt(0).toUpperCase()}${name.slice(1)}.credentials.js`,
		);
		const found = existsSync(file)
			? instancesExportedBy(file, isCredentialType).find((c) => c.name === name)
			: undefined;
		if (!found) throw this.unknown('credential', name);
		this.credentials.set(name, found);
		return found;
	}

	/** The credential types `name` extends, nearest first (e.g. oAuth2Api for an OAuth2 type). */
	parentTypes(name: string): string[] {
		const parents = this.credentialType(name).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.parentTypes(parent)]);
	}
}

let registry: TypeRegistry | undefined;

/** One registry per process: node modules are loaded once, like n8n does at start. */
export function typeRegistry(): TypeRegistry {
	registry ??= new TypeRegistry();
	return registry;
}

export type { TypeRegistry };
