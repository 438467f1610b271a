import './environment';

import { join } from 'node:path';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecuteWorkflowData,
	ExecutionError,
	IExecuteWorkflowInfo,
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	ExecuteWorkflowOptions,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';

import { InMemoryCredentialsHelper, type CredentialsByType } from './credentialsHelper';
import { packageRoot, typeRegistry } from './typeRegistry';
import { applySettings, findWorkflowById, loadWorkflow, type WorkflowJson } from './workflowFile';

/**
 * Runs a workflow JSON with the real n8n engine (n8n-core's WorkflowExecute) in this process:
 * the jest tests and `npm run workflow` both go through here. It is the small equivalent of
 * n8n's unpublished NodeTestHarness; `npm run test:n8n` remains the check against the real app.
 */

export interface RunOptions {
	/** By credential TYPE name, e.g. `{ pipedriveMigrationApi: { baseUrl, apiToken } }`. */
	credentials?: Record<string, Record<string, unknown>>;
	/** Overrides fields of the Set/Edit Fields node named 'Migration settings'. */
	settings?: Record<string, unknown>;
	/**
	 * Lines our nodes send a manual run's console, e.g. `Commit: 420/1339 records, 312 tokens`
	 * (counts only); sub-workflows' lines too. `npm run workflow` shows them as its progress line.
	 */
	onProgress?: (line: string) => void;
}

export interface RunResult {
	status: 'success' | 'error';
	error?: { node: string; message: string };
	lastNodeExecuted?: string;
	/** json of the output items of a node (output index 0 by default) */
	output(nodeName: string, outputIndex?: number): Array<Record<string, unknown>>;
	items(nodeName: string, outputIndex?: number): INodeExecutionData[];
}

/** Where Execute Workflow nodes that name a sub-workflow by id look for it. */
const SUB_WORKFLOW_DIRS = [join(packageRoot, 'workflows'), join(packageRoot, 'test', 'fixtures')];

let executionCounter = 0;

/**
 * The node a manual run starts from: the Manual Trigger when there is one (templates also carry
 * a Schedule Trigger for unattended runs), else the one n8n itself would pick.
 */
function startNodeOf(workflow: Workflow, subWorkflow: boolean): INode {
	const nodes = Object.values(workflow.nodes).filter((node) => !node.disabled);
	const preferred = subWorkflow
		? 'n8n-nodes-base.executeWorkflowTrigger'
		: 'n8n-nodes-base.manualTrigger';
	const start = nodes.find((node) => node.type === preferred) ?? workflow.getStartNode();
	if (!start) throw new Error('The workflow has no trigger or start node to run from');
	return start;
}

interface Execution {
	workflowJson: WorkflowJson;
	credentials: CredentialsByType;
	inputItems?: INodeExecutionData[];
	onProgress?: (line: string) => void;
}

async function execute({
	workflowJson,
	credentials,
	inputItems,
	onProgress,
}: Execution): Promise<IRun> {
	const types = typeRegistry();
	const workflow = new Workflow({
		id: workflowJson.id ?? 'in-process',
		name: workflowJson.name,
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes: types,
		settings: workflowJson.settings,
		staticData: workflowJson.staticData ?? undefined,
	});
	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowJson as IWorkflowBase);
	// The run is complete (run data final, errors attached) when this hook fires, as in n8n.
	let resolveFinished: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));

	const credentialsHelper = new InMemoryCredentialsHelper(types, credentials);
	// What a manual run reads from n8n's server. The URLs are placeholders (nothing listens
	// there): webhooks, forms and waiting executions need the real app (npm run test:n8n).
	const additionalData = {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		logAiEvent: () => undefined,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async (
			info: IExecuteWorkflowInfo,
			_parent: IWorkflowExecuteAdditionalData,
			options: ExecuteWorkflowOptions,
		) => await executeSubWorkflow(info, options, credentials, onProgress),
		// In n8n this goes to the editor's browser console; here to the caller's progress line.
		sendDataToUI: (type: string, data: { messages?: unknown[] }) => {
			if (type === 'sendConsoleMessage' && onProgress) onProgress((data.messages ?? []).join(' '));
		},
		startRunnerTask: async () => {
			throw new Error(
				'The Code node needs n8n’s task runner, which the in-process engine does not have: ' +
					'use this package’s nodes or built-in nodes instead, or run the workflow in n8n (npm run test:n8n)',
			);
		},
		// The interface also lists server-only members (push, OAuth flows, agents) that a manual
		// run of these workflows never calls; leaving them out is why this is a cast.
	} as unknown as IWorkflowExecuteAdditionalData;

	const startNode = startNodeOf(workflow, inputItems !== undefined);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [inputItems ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	const workflowExecute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await workflowExecute.processRunExecutionData(workflow);
	return await finished;
}

async function executeSubWorkflow(
	info: IExecuteWorkflowInfo,
	options: ExecuteWorkflowOptions,
	credentials: CredentialsByType,
	onProgress: Execution['onProgress'],
): Promise<ExecuteWorkflowData> {
	const code =
		info.code ?? (info.id === undefined ? undefined : findWorkflowById(info.id, SUB_WORKFLOW_DIRS));
	if (!code) {
		throw new Error(
			`Sub-workflow "${info.id ?? ''}" was not found: the engine looks for a workflow JSON with ` +
				`that "id" under ${SUB_WORKFLOW_DIRS.join(' and ')}`,
		);
	}
	const run = execute({
		workflowJson: loadWorkflow(code),
		credentials,
		inputItems: options.inputData ?? [{ json: {} }],
		onProgress,
	});
	if (options.doNotWaitToFinish) {
		void run.catch(() => undefined); // the caller chose not to wait; n8n ignores the result too
		return { executionId: String(executionCounter), data: [null] };
	}
	const result = await run;
	const { error, lastNodeExecuted, runData } = result.data.resultData;
	if (error) throw error;
	const lastRun = lastNodeExecuted ? runData[lastNodeExecuted]?.at(-1) : undefined;
	return { executionId: String(executionCounter), data: lastRun?.data?.main ?? [null] };
}

/** Node errors carry the node; expression errors only in their context. */
function failedNodeName(error: ExecutionError): string | undefined {
	if ('node' in error && error.node) return error.node.name;
	const nodeCause = error.context?.nodeCause;
	return typeof nodeCause === 'string' ? nodeCause : undefined;
}

function toResult(run: IRun): RunResult {
	const { error, lastNodeExecuted, runData } = run.data.resultData;
	const items = (nodeName: string, outputIndex = 0): INodeExecutionData[] => {
		const runs = runData[nodeName];
		if (!runs) {
			throw new Error(
				`Node "${nodeName}" did not run; nodes that ran: ${Object.keys(runData).join(', ')}`,
			);
		}
		// A node inside a loop runs several times: its items are all runs' items in order.
		return runs.flatMap((task) => task.data?.main?.[outputIndex] ?? []);
	};
	return {
		status: error ? 'error' : 'success',
		error: error
			? { node: failedNodeName(error) ?? lastNodeExecuted ?? '', message: error.message }
			: undefined,
		lastNodeExecuted,
		items,
		output: (nodeName, outputIndex) => items(nodeName, outputIndex).map((item) => item.json),
	};
}

export async function runWorkflow(
	workflow: object | string /* path to JSON */,
	options: RunOptions = {},
): Promise<RunResult> {
	const workflowJson = loadWorkflow(workflow);
	applySettings(workflowJson, options.settings ?? {});
	const run = await execute({
		workflowJson,
		credentials: options.credentials ?? {},
		onProgress: options.onProgress,
	});
	return toResult(run);
}
