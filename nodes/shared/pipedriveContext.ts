import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import {
	BudgetExhaustedError,
	PipedriveApiError,
	PipedriveClient,
} from '../../lib/pipedrive/client';
import { isWrongBaseUrl } from '../../lib/pipedrive/errors';
import { SchemaMismatchError } from '../../lib/pipedrive/fieldRegistry';
import { type AuthType, parsePlan, type PipedrivePlan } from '../../lib/pipedrive/plans';
import { CustomFieldCapError } from '../../lib/pipedrive/provision';
import { limiterForCredential, RateLimiter } from '../../lib/pipedrive/rateLimiter';
import { PostgresSharedBudget } from '../../lib/pipedrive/sharedBudget';
import { executeForAllItems, toNodeError } from './executeItems';
import { n8nTransport } from './n8nTransport';
import { credentialTypeOf } from './pipedriveAuthentication';
import { pipedriveApiError } from './pipedriveErrors';

/** What every operation needs: the client over n8n's credential, and the account's plan figures. */
export interface PipedriveContext {
	client: PipedriveClient;
	plan: PipedrivePlan;
	seats: number;
	auth: AuthType;
}

export async function pipedriveContext(
	context: IExecuteFunctions | ILoadOptionsFunctions,
): Promise<PipedriveContext> {
	const auth = context.getNodeParameter('authentication', 0, 'apiToken') as AuthType;
	const credentialType = credentialTypeOf(auth);
	const credentials = await context.getCredentials<{
		baseUrl: string;
		plan?: string;
		seats?: number;
		sharedBudgetUrl?: string;
	}>(credentialType);
	const plan = parsePlan(credentials.plan ?? 'growth');
	const seats = Number(credentials.seats ?? 1);
	// The burst window is per token: one limiter per credential for the life of this n8n process.
	const credentialId = context.getNode().credentials?.[credentialType]?.id ?? credentials.baseUrl;
	// Queue mode: every process on this credential shares one budget, named the same way by all.
	const budgetName = `${credentialType}:${credentialId}:${credentials.baseUrl}`;
	const sharedUrl = credentials.sharedBudgetUrl?.trim() ?? '';
	// Keyed by what the limiter is built from too, so an edited credential gets a fresh one.
	const limiter = limiterForCredential(
		`${budgetName}:${plan}:${seats}:${createHash('sha256').update(sharedUrl).digest('hex')}`,
		() =>
			new RateLimiter({
				plan,
				seats,
				auth,
				sharedBudget: sharedUrl ? PostgresSharedBudget.connect(budgetName, sharedUrl) : undefined,
			}),
	);
	const client = new PipedriveClient(await n8nTransport(context, credentialType), { limiter });
	return { client, plan, seats, auth };
}

/**
 * Engine errors as n8n errors: Pipedrive's answers become NodeApiError with the HTTP status and
 * Pipedrive's (redacted) message and code; a spent budget, a cap or a schema conflict become a
 * NodeOperationError that says what to do; anything else goes through the shared converter.
 */
export function toPipedriveNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	action: string,
) {
	if (error instanceof PipedriveApiError) {
		return pipedriveApiError(
			node,
			{
				status: error.status,
				headers: {},
				body: { error: error.pipedriveError, code: error.code },
			},
			itemIndex,
			action,
			isWrongBaseUrl(error)
				? `Pipedrive has no ${error.endpoint} at this base URL: check the Base URL of the credential`
				: undefined,
		);
	}
	if (error instanceof BudgetExhaustedError) {
		return new NodeOperationError(node, 'The daily Pipedrive API budget is spent', {
			itemIndex,
			description: error.message,
		});
	}
	if (error instanceof CustomFieldCapError || error instanceof SchemaMismatchError) {
		return new NodeOperationError(node, error.message, { itemIndex });
	}
	return toNodeError(node, error, itemIndex);
}

/**
 * Operations of the Pipedrive-facing nodes that act on the whole input at once (one schema, one
 * commit, one report): paired with every input item, errors worded by `toPipedriveNodeError`.
 */
export async function executeOnce(
	context: IExecuteFunctions,
	action: string,
	run: () => Promise<INodeExecutionData[] | JsonObject>,
): Promise<INodeExecutionData[]> {
	return executeForAllItems(context, run, (error, itemIndex) =>
		toPipedriveNodeError(context.getNode(), error, itemIndex, action),
	);
}
