import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { buildSync } from 'esbuild';

import type { DrillChildConfig, PausePoint } from './drillChild';

const root = path.join(__dirname, '..', '..', '..');

/**
 * The drill child bundled from the sources once per test file (esbuild, the compiler tsx runs
 * on), so each of the many restarts starts plain Node instead of compiling TypeScript again.
 */
export function bundleChild(dir: string): string {
	const outfile = path.join(dir, 'drill-child.js');
	buildSync({
		entryPoints: [path.join(__dirname, 'drillChild.ts')],
		bundle: true,
		platform: 'node',
		target: 'node20',
		packages: 'external',
		outfile,
		logLevel: 'warning',
	});
	return outfile;
}

/** What a killed child wrote: kept for the leak scan. */
export interface ChildOutput {
	stdout: string;
	stderr: string;
}

/**
 * Runs the drill child until it reports PAUSED, then SIGKILLs it (kill -9) and waits for the
 * exit. A child that ends by itself before its kill point is an error.
 */
export function runAndKill(
	bundle: string,
	config: DrillChildConfig,
	configFile: string,
): Promise<ChildOutput> {
	fs.writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
	return new Promise((resolve, reject) => {
		// Node itself runs the commit (no wrapper process): the kill hits the commit.
		const child = spawn(process.execPath, [bundle, configFile], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
		});
		const output: ChildOutput = { stdout: '', stderr: '' };
		child.stdout.on('data', (chunk: Buffer) => {
			output.stdout += chunk.toString();
			if (output.stdout.includes('PAUSED')) child.kill('SIGKILL');
		});
		child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
		child.on('exit', (code, signal) => {
			if (signal === 'SIGKILL') resolve(output);
			else
				reject(
					new Error(
						`The drill child ended with ${code} before its kill point: ${output.stdout}${output.stderr}`,
					),
				);
		});
	});
}

/** mulberry32: a seeded generator, so the kill points are the same on every run. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const POINTS: readonly PausePoint[] = ['intent', 'write', 'record'];

/**
 * `kills` kill points spread over a run of `writes` writes: distinct positions drawn at random
 * (sorted), each child counting from its own start, and at random one of the three moments
 * (intent claimed, write applied but not journaled, outcome journaled).
 */
export function killPoints(
	random: () => number,
	kills: number,
	writes: number,
): Array<{ at: PausePoint; n: number }> {
	const positions = new Set<number>();
	while (positions.size < kills) positions.add(1 + Math.floor(random() * (writes - 1)));
	const sorted = [...positions].sort((a, b) => a - b);
	return sorted.map((position, index) => ({
		at: POINTS[Math.floor(random() * POINTS.length)],
		n: position - (index === 0 ? 0 : sorted[index - 1]),
	}));
}
