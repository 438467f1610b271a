const { src, dest, parallel } = require('gulp');

/**
 * `npm run build` = tsc, then this: the files n8n reads next to the compiled nodes and
 * credentials (light and dark icons, codex `.node.json` files) copied into dist/ at the same
 * relative paths. `encoding: false` keeps PNGs byte for byte (gulp 5 reads text by default).
 */
const ASSETS = ['**/*.svg', '**/*.png', '**/*.node.json'];

function copyAssetsOf(folder) {
	const task = () =>
		src(
			ASSETS.map((pattern) => `${folder}/${pattern}`),
			{ encoding: false, allowEmpty: true },
		).pipe(dest(`dist/${folder}`));
	task.displayName = `assets:${folder}`;
	return task;
}

/** Reference tables the engine reads at run time (RIZIV nomenclature, mutuality unions). */
function copyDataOf(folder) {
	const task = () =>
		src(`${folder}/**/data/*.csv`, { encoding: false, allowEmpty: true }).pipe(
			dest(`dist/${folder}`),
		);
	task.displayName = `data:${folder}`;
	return task;
}

exports['build:assets'] = parallel(
	copyAssetsOf('icons'),
	copyAssetsOf('nodes'),
	copyAssetsOf('credentials'),
	copyDataOf('lib'),
);
