import { extname } from 'node:path';
import { type AccountState, type Rec, takeId } from '../account';
import { badRequest, notFound, payloadTooLarge } from '../apiError';
import { isPlainObject, isUuid } from '../bodyRules';
import { v1Time } from '../clock';
import { checkReference } from '../references';
import type { RequestContext, Route } from '../routing';
import { v1Integer, v1Page, v1Problems, v1Sort } from '../v1Format';

/**
 * v1 files: multipart upload with exactly one `file` part (capped per file, 413 above the cap),
 * metadata, download, rename, delete (`active_flag: false`; download of a deleted file is 404).
 */
const LINKS = [
	'deal_id',
	'person_id',
	'org_id',
	'product_id',
	'activity_id',
	'project_id',
] as const;

function render(state: AccountState, file: Rec): Rec {
	const name = (
		collection: 'deals' | 'persons' | 'organizations',
		id: unknown,
		key: string,
	): string | null =>
		id === null
			? null
			: ((state.records[collection][String(id)]?.[key] as string | undefined) ?? null);
	return {
		...file,
		deal_name: name('deals', file.deal_id, 'title'),
		person_name: name('persons', file.person_id, 'name'),
		org_name: name('organizations', file.org_id, 'name'),
		lead_name:
			file.lead_id === null
				? null
				: ((state.records.leads[String(file.lead_id)]?.title as string | undefined) ?? null),
	};
}

function fileOr404(ctx: RequestContext): Rec {
	const file = ctx.account.records.files[ctx.params.id];
	if (!file) throw notFound('File');
	return file;
}

export function fileRoutes(): Route[] {
	return [
		{
			method: 'POST',
			path: '/api/v1/files',
			body: 'multipart',
			write: true,
			handler: (ctx) => {
				const upload = ctx.upload ?? { fields: {}, files: [] };
				const parts = upload.files;
				if (parts.length !== 1 || parts[0].fieldName !== 'file') {
					throw badRequest(
						'Invalid file upload',
						'Send exactly one multipart/form-data file part named "file"',
					);
				}
				const part = parts[0];
				if (part.truncated) {
					throw payloadTooLarge(
						`File is larger than the per-file limit of ${ctx.fileSizeLimitBytes} bytes`,
					);
				}
				const problems: string[] = [];
				const known = new Set<string>([...LINKS, 'lead_id']);
				for (const key of Object.keys(upload.fields))
					if (!known.has(key)) problems.push(`"${key}" is not allowed`);
				const links: Record<string, number | null | undefined> = {};
				for (const key of LINKS) links[key] = v1Integer(upload.fields[key], key, problems);
				const leadId = upload.fields.lead_id;
				if (leadId !== undefined && !isUuid(leadId)) problems.push('"lead_id" must be a UUID');
				v1Problems(problems, 'Invalid file upload');
				checkReference(ctx.account, 'deals', links.deal_id, 'deal_id', problems);
				checkReference(ctx.account, 'persons', links.person_id, 'person_id', problems);
				checkReference(ctx.account, 'organizations', links.org_id, 'org_id', problems);
				checkReference(ctx.account, 'activities', links.activity_id, 'activity_id', problems);
				checkReference(ctx.account, 'leads', leadId, 'lead_id', problems);
				v1Problems(problems, 'Invalid file upload');
				const id = takeId(ctx.account, 'files');
				const time = v1Time(ctx.now);
				const file: Rec = {
					id,
					user_id: ctx.user.id,
					...Object.fromEntries(LINKS.map((k) => [k, links[k] ?? null])),
					lead_id: leadId ?? null,
					add_time: time,
					update_time: time,
					file_name: part.fileName,
					file_type: extname(part.fileName).slice(1).toLowerCase() || 'bin',
					file_size: part.data.length,
					active_flag: true,
					inline_flag: false,
					remote_location: 's3',
					remote_id: `sandbox/${id}`,
					cid: null,
					s3_bucket: null,
					mail_message_id: null,
					mail_template_id: null,
					product_name: null,
					project_name: null,
					url: `/api/v1/files/${id}/download`,
					name: part.fileName,
					description: null,
					content_type: part.contentType,
				};
				ctx.account.records.files[String(id)] = file;
				ctx.account.fileContents[String(id)] = part.data.toString('base64');
				return { body: { success: true, data: render(ctx.account, file) } };
			},
		},
		{
			method: 'GET',
			path: '/api/v1/files',
			body: 'none',
			handler: (ctx) => {
				const live = Object.values(ctx.account.records.files).filter((f) => f.active_flag === true);
				// The files list sorts by `id` or `update_time` only and pages at most 100 (its spec).
				const page = v1Page(
					v1Sort(live, ctx.query.get('sort'), ['id', 'update_time']),
					ctx.query,
					100,
				);
				return {
					body: {
						success: true,
						data: page.data.map((f) => render(ctx.account, f)),
						additional_data: page.additional_data,
					},
				};
			},
		},
		{
			method: 'GET',
			path: '/api/v1/files/{id}',
			body: 'none',
			handler: (ctx) => ({ body: { success: true, data: render(ctx.account, fileOr404(ctx)) } }),
		},
		{
			method: 'GET',
			path: '/api/v1/files/{id}/download',
			body: 'none',
			handler: (ctx) => {
				const file = fileOr404(ctx);
				if (file.active_flag !== true) throw notFound('File');
				return {
					binary: {
						data: Buffer.from(ctx.account.fileContents[String(file.id)] ?? '', 'base64'),
						contentType: String(file.content_type || 'application/octet-stream'),
						fileName: String(file.file_name),
					},
				};
			},
		},
		{
			method: 'PUT',
			path: '/api/v1/files/{id}',
			body: 'v1',
			write: true,
			handler: (ctx) => {
				const file = fileOr404(ctx);
				if (file.active_flag !== true) throw notFound('File');
				const body = isPlainObject(ctx.body) ? ctx.body : {};
				const problems: string[] = [];
				for (const [key, v] of Object.entries(body)) {
					if (key !== 'name' && key !== 'description') problems.push(`"${key}" is not allowed`);
					else if (typeof v !== 'string') problems.push(`"${key}" must be a string`);
				}
				v1Problems(problems, 'Invalid file update');
				if (body.name !== undefined) file.name = body.name;
				if (body.description !== undefined) file.description = body.description;
				file.update_time = v1Time(ctx.now);
				return { body: { success: true, data: render(ctx.account, file) } };
			},
		},
		{
			method: 'DELETE',
			path: '/api/v1/files/{id}',
			body: 'none',
			write: true,
			handler: (ctx) => {
				const file = fileOr404(ctx);
				if (file.active_flag !== true) throw notFound('File');
				file.active_flag = false;
				file.update_time = v1Time(ctx.now);
				return { body: { success: true, data: { id: file.id } } };
			},
		},
	];
}
