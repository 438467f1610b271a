import { createReadStream, existsSync, promises as fs, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';

export type ResolvedPath =
	| { kind: 'inside'; absolutePath?: string; exists: boolean }
	| { kind: 'outside' }
	| { kind: 'invalid' };

/** Where an export's files come from: a folder on disk, or files handed over in memory. */
export interface ExportSource {
	/** Shown in the report as `exportPath`. */
	readonly location: string;
	/** Names of the files at the top of the export. */
	list(): Promise<string[]>;
	/** A fresh byte stream of a file each call (the driver reads a file more than once). */
	open(name: string): AsyncIterable<Buffer>;
	/** Resolves a path written in the export; a path that leaves the export is refused. */
	resolve(relativePath: string): ResolvedPath;
}

/**
 * The lexical check shared by both sources: absolute paths, drive letters and `..` that climb
 * above the export root are refused before any file system access.
 */
function normalizeInside(relativePath: string): string | ResolvedPath {
	const cleaned = relativePath.trim().replace(/\\/g, '/');
	if (cleaned === '' || cleaned.includes('\0')) return { kind: 'invalid' };
	if (cleaned.startsWith('/') || /^[a-zA-Z]:/.test(cleaned)) return { kind: 'outside' };
	const normalized = path.posix.normalize(cleaned);
	if (normalized === '..' || normalized.startsWith('../')) return { kind: 'outside' };
	return normalized;
}

export function folderSource(folder: string): ExportSource {
	const root = path.resolve(folder);
	return {
		location: folder,
		async list() {
			const entries = await fs.readdir(root, { withFileTypes: true });
			return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
		},
		open(name) {
			return createReadStream(path.join(root, name), { highWaterMark: 256 * 1024 });
		},
		resolve(relativePath) {
			const inside = normalizeInside(relativePath);
			if (typeof inside !== 'string') return inside;
			const absolutePath = path.join(root, inside);
			if (!existsSync(absolutePath)) return { kind: 'inside', exists: false };
			// A symbolic link inside the folder may still point outside it.
			const realRoot = realpathSync(root);
			const real = realpathSync(absolutePath);
			if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return { kind: 'outside' };
			return { kind: 'inside', absolutePath: real, exists: statSync(real).isFile() };
		},
	};
}

export interface MemoryFile {
	name: string;
	/** The file's bytes, or a function giving a fresh stream of them for each pass. */
	content: Buffer | (() => AsyncIterable<Buffer> | Readable);
}

/** Files that arrived as n8n binaries (or tests' buffers); documents resolve by name among them. */
export function memorySource(location: string, files: readonly MemoryFile[]): ExportSource {
	const byName = new Map(files.map((file) => [file.name, file]));
	const lowerNames = new Set(files.map((file) => file.name.replace(/\\/g, '/').toLowerCase()));
	return {
		location,
		async list() {
			return files.map((file) => file.name);
		},
		open(name) {
			const file = byName.get(name);
			if (!file) throw new Error(`No file named ${name} was provided`);
			const { content } = file;
			return Buffer.isBuffer(content) ? Readable.from([content]) : content();
		},
		resolve(relativePath) {
			const inside = normalizeInside(relativePath);
			if (typeof inside !== 'string') return inside;
			return { kind: 'inside', exists: lowerNames.has(inside.toLowerCase()) };
		},
	};
}
