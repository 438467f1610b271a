import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { pipedriveContext } from '../../shared/pipedriveContext';

/** Active Pipedrive users, by email, for the fallback owner; the empty value means the connected user. */
export async function getActiveUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { client } = await pipedriveContext(this);
	const users = (await client.users()).filter((user) => user.active);
	return [
		{ name: '(Connected User)', value: '' },
		...users
			.map((user) => ({ name: `${user.name} <${user.email}>`, value: user.email }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	];
}
