import type { INode } from 'n8n-workflow';

import { StepFailed } from './processes';

/** Helpers for driving the real n8n application: ports, readiness, imports and execution output. */

/**
 * Templates name credentials by type only (no ids or secrets); n8n's import needs an id, so each
 * node's credential of a type gets the id of the imported credential of that type.
 */
export function withCredentialIds(
	workflow: { nodes: INode[] },
	credentials: Array<{ id: string; name: string; type: string }>,
): void {
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = credentials.find((c) => c.type === type);
			if (credential) node.credentials![type] = { id: credential.id, name: credential.name };
		}
	}
}

/** Output items (json) of a node in the IRun that `n8n execute --rawOutput` prints. */
export function nodeItems(runJson: unknown, nodeName: string): unknown[] {
	const runData = (runJson as { data?: { resultData?: { runData?: Record<string, unknown[]> } } })
		?.data?.resultData?.runData;
	const runs = runData?.[nodeName] as
		| Array<{ data?: { main?: Array<Array<{ json: unknown }> | null> } }>
		| undefined;
	if (!runs) {
		throw new StepFailed(
			`Node "${nodeName}" did not run; nodes that ran: ${Object.keys(runData ?? {}).join(', ')}`,
		);
	}
	return runs.flatMap((task) => task.data?.main?.[0] ?? []).map((item) => item.json);
}

/** The node and message of a failed run in `n8n execute` output, if it failed. */
export function executionError(runJson: unknown): { node: string; message: string } | undefined {
	const error = (
		runJson as {
			data?: { resultData?: { error?: { message?: string; node?: { name?: string } } } };
		}
	)?.data?.resultData?.error;
	return error ? { node: error.node?.name ?? '?', message: error.message ?? '' } : undefined;
}

// One definition each, in processes.ts; re-exported for the app checks.
export { freePort, waitForHealth } from './processes';
