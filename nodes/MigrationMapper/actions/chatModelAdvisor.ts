import type { ColumnAdvisor } from '../../../lib/mapping/propose/advice';

/**
 * What this package needs of the chat model an n8n AI sub-node supplies (LangChain's
 * BaseChatModel): `invoke` with [role, text] messages and an abort signal, a message back whose
 * `content` is text or text parts. Named structurally so lib/ and this node import no LangChain.
 */
export interface ChatModelLike {
	invoke(
		messages: Array<[role: 'system' | 'human', text: string]>,
		options?: { signal?: AbortSignal },
	): Promise<{ content: unknown }>;
}

export function isChatModel(value: unknown): value is ChatModelLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { invoke?: unknown }).invoke === 'function'
	);
}

/** The reply's text: a string, or the text parts of a multi-part message joined. */
function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) =>
				typeof part === 'string'
					? part
					: typeof (part as { text?: unknown })?.text === 'string'
						? (part as { text: string }).text
						: '',
			)
			.join('');
	return '';
}

/** The connected model as Propose's advisor: exactly the request's two messages go out. */
export function chatModelAdvisor(model: ChatModelLike): ColumnAdvisor {
	return async (request, signal) => {
		const reply = await model.invoke(
			[
				['system', request.system],
				['human', request.prompt],
			],
			{ signal },
		);
		return textOf(reply.content);
	};
}
