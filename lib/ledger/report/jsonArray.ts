/**
 * `JSON.stringify(items, null, 2)` of an array, as one chunk per item: a whole migration's rows
 * are written to their file one by one. Escaped strings hold no raw line break, so indenting
 * every line break of an item's text indents exactly its structure.
 */
export function* jsonArrayChunks(items: Iterable<unknown>): Generator<string> {
	let first = true;
	for (const item of items) {
		yield `${first ? '[\n' : ',\n'}  ${JSON.stringify(item, null, 2).replace(/\n/g, '\n  ')}`;
		first = false;
	}
	yield first ? '[]' : '\n]';
}
