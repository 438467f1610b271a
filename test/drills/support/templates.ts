import * as path from 'node:path';

import type { SourceSystem } from '../../../lib/model';
import { runWorkflow, type RunResult } from '../../../runner/engine';
import type { RunningSandbox } from '../../../sandbox';

const root = path.join(__dirname, '..', '..', '..');

export interface TemplateRun {
	exportDir: string;
	journalDir: string;
	/** Pipedrive credential fields to use instead of the sandbox's (a wrong token or URL). */
	pipedrive?: { baseUrl?: string; apiToken?: string };
	settings?: Record<string, unknown>;
}

/**
 * A template of `source` through the real n8n engine against the sandbox, as a consultant runs
 * it headless: the Migration settings of the run, the unattended confirm switch standing in for
 * step 3's review.
 */
export function runTemplate(
	sandbox: RunningSandbox,
	source: SourceSystem,
	template: string,
	run: TemplateRun,
): Promise<RunResult> {
	return runWorkflow(path.join(root, 'workflows', source, `${template}.json`), {
		credentials: {
			pipedriveMigrationApi: {
				baseUrl: run.pipedrive?.baseUrl ?? sandbox.baseUrl,
				apiToken: run.pipedrive?.apiToken ?? sandbox.apiToken,
				plan: 'premium',
				seats: 3,
			},
		},
		settings: {
			exportDir: run.exportDir,
			journalDir: run.journalDir,
			fallbackOwnerEmail: 'admin@sandbox.test',
			confirmUnattended: true,
			...run.settings,
		},
	});
}

/** The last item of a node's output: the summary of Reconcile, Rollback, Diff Report (Commit's: commitSummary). */
export function summary(result: RunResult, node: string): Record<string, unknown> {
	const items = result.output(node);
	return items[items.length - 1] ?? {};
}
