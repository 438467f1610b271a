import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { badRequest, validationFailed } from './apiError';
import type { BodyKind, MultipartUpload } from './routing';

/**
 * Reads a request body the way the route expects it: v2 JSON only; v1 JSON or form-encoded;
 * file uploads multipart/form-data (busboy), each file part capped at `fileSizeLimitBytes`.
 */
export interface ParsedBody {
	body?: unknown;
	upload?: MultipartUpload;
}

const MAX_JSON_BYTES = 16 * 1024 * 1024;

function readAll(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size <= MAX_JSON_BYTES) chunks.push(c);
		});
		req.on('end', () =>
			size > MAX_JSON_BYTES
				? reject(badRequest('Request body is too large'))
				: resolve(Buffer.concat(chunks)),
		);
		req.on('error', reject);
	});
}

export async function readBody(
	req: IncomingMessage,
	kind: BodyKind,
	v2: boolean,
	fileSizeLimitBytes: number,
): Promise<ParsedBody> {
	const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (kind === 'multipart') return { upload: await readMultipart(req, fileSizeLimitBytes) };
	const raw = await readAll(req);
	if (kind === 'none' || raw.length === 0) return {};
	if (type === 'application/x-www-form-urlencoded' && !v2) {
		return { body: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
	}
	if (type !== 'application/json' && type !== '') {
		throw v2
			? validationFailed(['body: API v2 accepts application/json bodies only'])
			: badRequest(
					'Unsupported content type',
					'Send application/json or application/x-www-form-urlencoded',
				);
	}
	try {
		return { body: JSON.parse(raw.toString('utf8')) };
	} catch {
		throw v2 ? validationFailed(['body: Invalid JSON']) : badRequest('Invalid JSON body');
	}
}

function readMultipart(req: IncomingMessage, fileSizeLimitBytes: number): Promise<MultipartUpload> {
	return new Promise((resolve, reject) => {
		let parser: busboy.Busboy;
		try {
			parser = busboy({ headers: req.headers, limits: { fileSize: fileSizeLimitBytes } });
		} catch {
			reject(
				badRequest(
					'Expected a multipart/form-data body',
					'Upload the file as a multipart/form-data part named file',
				),
			);
			return;
		}
		const upload: MultipartUpload = { fields: {}, files: [] };
		parser.on('field', (name, value) => {
			upload.fields[name] = value;
		});
		parser.on('file', (fieldName, stream, info) => {
			const chunks: Buffer[] = [];
			let truncated = false;
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('limit', () => {
				truncated = true;
			});
			stream.on('close', () => {
				upload.files.push({
					fieldName,
					fileName: info.filename,
					contentType: info.mimeType,
					data: Buffer.concat(chunks),
					truncated,
				});
			});
		});
		parser.on('close', () => resolve(upload));
		parser.on('error', () => reject(badRequest('Malformed multipart/form-data body')));
		req.pipe(parser);
	});
}
