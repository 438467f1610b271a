import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * n8n loads exactly the files the `n8n` block of package.json lists, from dist/. These checks
 * read the build output, so they run after `npm run build` (as .ci/run does).
 */

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	keywords: string[];
	peerDependencies?: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
};

function sourcesIn(folder: string, pattern: RegExp): string[] {
	const dir = join(root, folder);
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((path) => pattern.test(path))
		.map((path) => join(folder, path))
		.sort();
}

/** `nodes/X/X.node.ts` → `dist/nodes/X/X.node.js`, as tsc emits it. */
function distFileOf(source: string): string {
	return `dist/${source.replace(/\.ts$/, '.js')}`;
}

function iconPathsOf(compiled: string): string[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(join(root, compiled)) as Record<string, new () => unknown>;
	return Object.values(exported).flatMap((Class) => {
		const instance = new Class() as { icon?: unknown; description?: { icon?: unknown } };
		const icon = instance.icon ?? instance.description?.icon;
		const variants = typeof icon === 'object' && icon !== null ? Object.values(icon) : [icon];
		return variants
			.filter((value): value is string => typeof value === 'string' && value.startsWith('file:'))
			.map((value) => join(dirname(compiled), value.slice('file:'.length)));
	});
}

describe('package.json n8n block and dist/', () => {
	beforeAll(() => {
		if (!existsSync(dist)) {
			throw new Error('dist/ does not exist: run `npm run build` first, then the tests');
		}
	});

	it('declares a community package that n8n can load', () => {
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		// Runtime dependencies (csv-parse, pg, …) rule out n8n's strict (Cloud) mode; see README.
		expect(manifest.n8n.strict).toBe(false);
	});

	it('lists every node and credential source file', () => {
		expect([...manifest.n8n.nodes].sort()).toEqual(
			sourcesIn('nodes', /^[^/]+\/[^/]+\.node\.ts$/).map(distFileOf),
		);
		expect([...manifest.n8n.credentials].sort()).toEqual(
			sourcesIn('credentials', /^[^/]+\.credentials\.ts$/).map(distFileOf),
		);
		expect(manifest.n8n.credentials.length).toBeGreaterThan(0);
	});

	it('finds every listed file in dist/', () => {
		const missing = [...manifest.n8n.nodes, ...manifest.n8n.credentials].filter(
			(file) => !existsSync(join(root, file)),
		);
		expect(missing).toEqual([]);
	});

	it('finds every light and dark icon the built nodes and credentials point at, and they differ', () => {
		for (const compiled of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			const icons = iconPathsOf(compiled);
			expect({ compiled, missing: icons.filter((icon) => !existsSync(icon)) }).toEqual({
				compiled,
				missing: [],
			});
			const [light, dark] = icons;
			if (dark !== undefined) {
				expect({ compiled, sameArt: readFileSync(light).equals(readFileSync(dark)) }).toEqual({
					compiled,
					sameArt: false,
				});
			}
		}
	});

	it('copies every codex file next to its node', () => {
		const codexFiles = sourcesIn('nodes', /\.node\.json$/);
		const missing = codexFiles.filter((file) => !existsSync(join(dist, file)));
		expect(missing.map((file) => relative(root, join(dist, file)))).toEqual([]);
	});
});
