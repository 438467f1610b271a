import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The canvas subtitle as words: the chosen operation's action ("Commit plans"), as n8n's own
 * nodes read, instead of its raw value (`commit`). Built from the operation options, so the
 * subtitle and the action list never disagree.
 */
export function actionSubtitle(operations: readonly INodePropertyOptions[]): string {
	const actions = Object.fromEntries(
		operations.map((option) => [String(option.value), option.action ?? option.name]),
	);
	return `={{ (${JSON.stringify(actions)})[$parameter["operation"]] }}`;
}
