import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { pipedriveContext, toPipedriveNodeError } from '../../shared/pipedriveContext';

/** Active Pipedrive users, by email, for the fallback owner; the empty value means the connected user. */
export async function getActiveUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const { client } = await pipedriveContext(this);
		const users = (await client.users()).filter((user) => user.active);
		return [
			{ name: '(Connected User)', value: '' },
			...users
				.map((user) => ({ name: `${user.name} <${user.email}>`, value: user.email }))
				.sort((a, b) => a.name.localeCompare(b.name)),
		];
	} catch (error) {
		// The list n8n shows under the field: an engine error worded like the operations' own.
		throw toPipedriveNodeError(this.getNode(), error, 0, 'List users');
	}
}
