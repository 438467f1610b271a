import { Credentials } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression } from 'n8n-workflow';

import type { TypeRegistry } from './typeRegistry';

/** Credential data by credential TYPE name, e.g. `{ pipedriveMigrationApi: { baseUrl, apiToken } }`. */
export type CredentialsByType = Record<string, Record<string, unknown>>;

/**
 * Supplies credentials from memory and applies each credential type's `authenticate` the way
 * n8n's own CredentialsHelper does (a function, or the generic form whose `={{$credentials.x}}`
 * expressions are resolved against the credential data), so nodes' calls to
 * `httpRequestWithAuthentication` carry exactly the headers real n8n would add.
 */
export class InMemoryCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: TypeRegistry,
		private readonly supplied: CredentialsByType,
	) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.types.credentialType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new Error(
					`Credential type "${typeName}" authenticates with expressions and needs the node`,
				);
			}
			const resolve = (value: string): string => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved === undefined || resolved === null ? '' : String(resolved);
			};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				target[section] ??= {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[section][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		_credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	getParentTypes(name: string): string[] {
		return this.types.parentTypes(name);
	}

	isCredentialUsableByNode(_credentialType: string, _nodeType: string): boolean {
		return true;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<Credentials> {
		return new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type, '');
	}

	/** Supplied data over the property defaults of the type and its parents, as n8n fills them. */
	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.supplied[type];
		if (!data) {
			throw new Error(
				`No "${type}" credentials were supplied: pass them in RunOptions.credentials ` +
					'(or --credentials FILE to npm run workflow)',
			);
		}
		const defaults: ICredentialDataDecryptedObject = {};
		for (const property of this.getCredentialsProperties(type)) {
			defaults[property.name] = property.default as ICredentialDataDecryptedObject[string];
		}
		return { ...defaults, ...(data as ICredentialDataDecryptedObject) };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		// Parents first, so the type's own properties override inherited ones of the same name.
		const chain = [...this.types.parentTypes(type).reverse(), type];
		const byName = new Map<string, INodeProperties>();
		for (const name of chain) {
			for (const property of this.types.credentialType(name).properties) {
				byName.set(property.name, property);
			}
		}
		return [...byName.values()];
	}
}
