import { parseOptions } from '../cli/options';
import { fuzzReaders } from '../test/helpers/readerFuzz';

/** `npm run fuzz -- --runs 5000 --seed 7`: the readers' property test, longer than in `npm test`. */
async function main(): Promise<void> {
	const { values } = parseOptions(process.argv.slice(2), {
		runs: { type: 'string', default: '2000' },
		seed: { type: 'string' },
	});
	const runs = Number(values.runs);
	const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
	if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
		console.error('Usage: npm run fuzz -- --runs N --seed S (whole numbers; N at least 1)');
		process.exitCode = 2;
		return;
	}
	try {
		const cases = await fuzzReaders({ runs, seed });
		console.log(`fuzzed ${cases} exports (seed ${seed}): every property held`);
	} catch (error) {
		console.error(`fuzzing failed (seed ${seed}):\n${(error as Error).message}`);
		process.exitCode = 1;
	}
}

void main();
