/**
 * `JSON.stringify(items, null, 2)` of an array whose items arrive in batches (the journal read a
 * batch at a time), as one chunk per item: a whole migration's rows are written to their file one
 * by one. Escaped strings hold no raw line break, so indenting every line break of an item's text
 * indents exactly its structure.
 */
export async function* jsonArrayStream(
	batches: AsyncIterable<Iterable<unknown>>,
): AsyncGenerator<string> {
	let first = true;
	for await (const items of batches)
		for (const item of items) {
			yield `${first ? '[\n' : ',\n'}  ${JSON.stringify(item, null, 2).replace(/\n/g, '\n  ')}`;
			first = false;
		}
	yield first ? '[]' : '\n]';
}
