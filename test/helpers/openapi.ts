import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Validates sandbox traffic against the official Pipedrive OpenAPI files (`openapi-v1.yaml`,
 * `openapi-v2.yaml`) with ajv. The files are read from `$PIPEDRIVE_OPENAPI_DIR` or
 * `../shared/reference/pipedrive` beside the checkout; they are not copied into the repository.
 *
 * OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a `null` type; `example`, `x-*` and
 * `description` are dropped. One documented relaxation on RESPONSES only: the specs mark few
 * properties nullable although Pipedrive returns `null` for every unset optional value (a
 * person's `org_id` without organisation, an open deal's `won_time`, a note's `deal`), so
 * object properties in response schemas also accept `null`. Types, enums, formats, `required`
 * and array item shapes are checked as written. Request schemas are used unrelaxed; `strict`
 * request validation also refuses properties the spec does not list (what v2 does, api-facts §2.3).
 */
export type Version = 'v1' | 'v2';
type Schema = Record<string, unknown>;
type Operation = { requestBody?: Schema; responses?: Record<string, Schema> };

export function openApiDirectory(): string {
	return (
		process.env.PIPEDRIVE_OPENAPI_DIR ?? resolve(__dirname, '../../../shared/reference/pipedrive')
	);
}

export function specsPresent(dir = openApiDirectory()): boolean {
	return existsSync(join(dir, 'openapi-v1.yaml')) && existsSync(join(dir, 'openapi-v2.yaml'));
}

/** Formats the specs use that ajv-formats does not define; they carry no constraint worth checking. */
const PASSIVE_FORMATS = [
	'int32',
	'int64',
	'float',
	'double',
	'binary',
	'byte',
	'password',
	'decimal',
];

function convert(schema: unknown, relaxNulls: boolean, strict: boolean): unknown {
	if (Array.isArray(schema)) return schema.map((s) => convert(s, relaxNulls, strict));
	if (schema === null || typeof schema !== 'object') return schema;
	const out: Schema = {};
	for (const [key, value] of Object.entries(schema as Schema)) {
		if (
			key === 'example' ||
			key === 'examples' ||
			key === 'description' ||
			key === 'nullable' ||
			key.startsWith('x-')
		)
			continue;
		if (key === 'properties') {
			out.properties = Object.fromEntries(
				Object.entries(value as Schema).map(([name, prop]) => {
					const converted = convert(prop, relaxNulls, strict) as Schema;
					return [name, relaxNulls ? orNull(converted) : converted];
				}),
			);
			continue;
		}
		out[key] = convert(value, relaxNulls, strict);
	}
	if ((schema as Schema).nullable === true) return orNull(out);
	if (strict && out.properties && out.additionalProperties === undefined && !out.allOf)
		out.additionalProperties = false;
	return out;
}

function orNull(schema: Schema): Schema {
	if (typeof schema.type === 'string')
		return {
			...schema,
			type: [schema.type, 'null'],
			...(schema.enum ? { enum: [...(schema.enum as unknown[]), null] } : {}),
		};
	if (schema.type === undefined && Object.keys(schema).length > 0)
		return { anyOf: [schema, { type: 'null' }] };
	return schema;
}

/** `/api/v2/persons/{id}` and `/persons/{field}` both → `/persons/{}`. */
function templateKey(method: string, path: string): string {
	return `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;
}

export interface ValidationOutcome {
	/** Which schema was used: `documented <status>` or the generic error shape. */
	schema: string;
	errors: string[];
}

export class OpenApiContract {
	private readonly ops = new Map<string, Operation>();
	private readonly ajv: Ajv;
	private readonly cache = new Map<string, ValidateFunction>();
	/** The specs' own generic error shapes, used for statuses an operation does not document. */
	private readonly genericError: Schema;
	private readonly authError: Schema;

	constructor(dir = openApiDirectory()) {
		for (const version of ['v1', 'v2'] as const) {
			const doc = parse(readFileSync(join(dir, `openapi-${version}.yaml`), 'utf8')) as {
				paths: Record<string, Record<string, Operation>>;
			};
			for (const [path, item] of Object.entries(doc.paths)) {
				for (const [method, op] of Object.entries(item)) {
					if (typeof op === 'object' && op !== null && 'responses' in op)
						this.ops.set(`${version} ${templateKey(method, path)}`, op);
				}
			}
		}
		this.ajv = new Ajv({ allErrors: true, strict: false });
		addFormats(this.ajv);
		for (const f of PASSIVE_FORMATS) this.ajv.addFormat(f, true);
		this.genericError = this.jsonSchema(this.operation('GET', '/api/v1/leads/{id}'), '404');
		this.authError = this.jsonSchema(this.operation('GET', '/api/v1/users/me'), '401');
	}

	/** The spec operation for a sandbox route template (`/api/v2/...` or `/api/v1/...`). */
	operation(method: string, routePath: string): Operation {
		const version = routePath.startsWith('/api/v2/') ? 'v2' : 'v1';
		const op = this.ops.get(
			`${version} ${templateKey(method, routePath.replace(/^\/api\/v[12]/, ''))}`,
		);
		if (!op) throw new Error(`no ${version} operation ${method} ${routePath} in the OpenAPI files`);
		return op;
	}

	hasOperation(method: string, routePath: string): boolean {
		try {
			this.operation(method, routePath);
			return true;
		} catch {
			return false;
		}
	}

	private jsonSchema(op: Operation, status: string): Schema {
		const content = (
			op.responses?.[status] as { content?: Record<string, { schema?: Schema }> } | undefined
		)?.content;
		const schema = content?.['application/json']?.schema;
		if (!schema) throw new Error(`operation has no JSON schema for status ${status}`);
		return schema;
	}

	private compile(
		key: string,
		schema: unknown,
		relaxNulls: boolean,
		strict: boolean,
	): ValidateFunction {
		const cached = this.cache.get(key);
		if (cached) return cached;
		const fn = this.ajv.compile(convert(schema, relaxNulls, strict) as Schema);
		this.cache.set(key, fn);
		return fn;
	}

	private run(fn: ValidateFunction, value: unknown): string[] {
		return fn(value)
			? []
			: (fn.errors ?? []).map(
					(e) =>
						`${e.instancePath || '/'} ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
				);
	}

	/**
	 * A JSON response against the operation's schema for that status; statuses the operation does
	 * not document are checked against the specs' generic error shapes (401/429: the
	 * `{success, error, errorCode}` of `GET /users/me` 401; others: `GET /leads/{id}` 404).
	 */
	validateResponse(
		method: string,
		routePath: string,
		status: number,
		body: unknown,
	): ValidationOutcome {
		const op = this.operation(method, routePath);
		const documented = op.responses?.[String(status)] as
			| { content?: Record<string, { schema?: Schema }> }
			| undefined;
		const schema = documented?.content?.['application/json']?.schema;
		if (schema) {
			return {
				schema: `documented ${status}`,
				errors: this.run(
					this.compile(`res ${method} ${routePath} ${status}`, schema, true, false),
					body,
				),
			};
		}
		if (status < 400)
			return {
				schema: `undocumented ${status}`,
				errors: [`status ${status} is not documented for ${method} ${routePath}`],
			};
		const generic = status === 401 || status === 429 ? this.authError : this.genericError;
		return {
			schema: `generic ${status === 401 || status === 429 ? 'auth' : 'error'}`,
			errors: this.run(
				this.compile(`generic ${status === 401 || status === 429}`, generic, true, false),
				body,
			),
		};
	}

	/** Statuses the operation documents with a non-JSON body (file download). */
	documentsBinary(method: string, routePath: string, status: number): boolean {
		const documented = this.operation(method, routePath).responses?.[String(status)] as
			| { content?: Record<string, unknown> }
			| undefined;
		return Boolean(documented?.content && !documented.content['application/json']);
	}

	/** A JSON request body against the operation's request schema. */
	validateRequest(
		method: string,
		routePath: string,
		body: unknown,
		options: { strict?: boolean } = {},
	): string[] {
		const op = this.operation(method, routePath);
		const content = (
			op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined
		)?.content;
		const schema =
			content?.['application/json']?.schema ??
			content?.['application/x-www-form-urlencoded']?.schema;
		if (!schema) return [`${method} ${routePath} documents no JSON request body`];
		return this.run(
			this.compile(
				`req ${method} ${routePath} ${options.strict === true}`,
				schema,
				false,
				options.strict === true,
			),
			body,
		);
	}
}
