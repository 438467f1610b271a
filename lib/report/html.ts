/**
 * The pieces every report page shares (validation, diff, status): the one HTML escaper, a
 * self-contained page shell, tables and stacked bars. Pages load nothing from elsewhere (the
 * Content-Security-Policy forbids it), so they open from a mail attachment or a closed network.
 */

const ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
};

/** Text as HTML text or attribute value: export cells and Pipedrive values can hold markup. */
export function escapeHtml(value: unknown): string {
	return String(value ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** A cell's text: objects as JSON, nothing for null. */
export function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2937;max-width:90rem}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #d1d5db;padding:.3rem .5rem;text-align:left;vertical-align:top;white-space:pre-wrap}
th{background:#f3f4f6}
table.sortable th{cursor:pointer}
td.num,th.num{text-align:right}
.pass{color:#047857}.fail{color:#b91c1c}.warn{color:#b45309}
.tiles{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.tile{border:1px solid #d1d5db;border-radius:.5rem;padding:.6rem 1rem;min-width:9rem}
.tile b{display:block;font-size:1.6rem}
.bar{display:flex;height:1rem;min-width:12rem;background:#e5e7eb;border-radius:.25rem;overflow:hidden}
.bar span{display:block;height:100%}
.seg-match,.seg-done{background:#10b981}.seg-mismatch,.seg-failed{background:#ef4444}
.seg-missing{background:#f59e0b}.seg-unexpected{background:#8b5cf6}.seg-not-checked,.seg-left{background:#d1d5db}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:1rem 0}
tr.hidden{display:none}`;

/** One self-contained HTML page. `body` must already be escaped HTML. */
export function htmlPage(title: string, body: string, script = ''): string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
${script === '' ? '' : `<script>\n${script}\n</script>\n`}</body>
</html>
`;
}

/** One cell, escaped; numbers right-aligned. */
export function td(value: unknown, tag: 'td' | 'th' = 'td'): string {
	return `<${tag}${typeof value === 'number' ? ' class="num"' : ''}>${escapeHtml(cellText(value))}</${tag}>`;
}

/** A table row; every cell escaped. */
export function tr(cells: readonly unknown[], tag: 'td' | 'th' = 'td', attributes = ''): string {
	return `<tr${attributes}>${cells.map((cell) => td(cell, tag)).join('')}</tr>`;
}

/** A whole table: header cells, then rows of cells (escaped) or of ready HTML rows. */
export function table(
	headers: readonly string[],
	rows: ReadonlyArray<readonly unknown[] | string>,
	className = 'sortable',
	id = '',
): string {
	const body = rows.map((row) => (typeof row === 'string' ? row : tr(row)));
	return `<table class="${className}"${id === '' ? '' : ` id="${escapeHtml(id)}"`}>
<thead>${tr(headers, 'th')}</thead>
<tbody>
${body.join('\n')}
</tbody>
</table>`;
}

/** A figure with its label, for the tiles that open a page. */
export function tiles(figures: ReadonlyArray<{ label: string; value: unknown }>): string {
	const tile = (figure: { label: string; value: unknown }) =>
		`<div class="tile"><b>${escapeHtml(cellText(figure.value))}</b>${escapeHtml(figure.label)}</div>`;
	return `<div class="tiles">${figures.map(tile).join('')}</div>`;
}

export interface BarSegment {
	/** Also the CSS class `seg-<kind>` that colours the segment. */
	kind: string;
	count: number;
}

/**
 * A horizontal bar split by count (match / mismatch / missing, done / left). Widths are shares
 * of the total; its title and aria-label give the counts in words for a screen reader.
 */
export function stackedBar(segments: readonly BarSegment[]): string {
	const total = segments.reduce((sum, segment) => sum + segment.count, 0);
	const words = segments.map((s) => `${s.count} ${s.kind}`).join(', ');
	const spans = segments
		.filter((segment) => segment.count > 0)
		.map(
			(segment) =>
				`<span class="seg-${escapeHtml(segment.kind)}" style="width:${((segment.count / total) * 100).toFixed(2)}%"></span>`,
		);
	return `<div class="bar" role="img" title="${escapeHtml(words)}" aria-label="${escapeHtml(words)}">${spans.join('')}</div>`;
}

/** The colour key of the bars on a page. */
export function legend(kinds: readonly string[]): string {
	return `<p class="legend">${kinds.map((kind) => `<span class="seg-${escapeHtml(kind)}"></span>${escapeHtml(kind)}`).join('')}</p>`;
}

/** Click a header of a `table.sortable` to sort by it (numbers as numbers). */
export const SORT_SCRIPT = `document.querySelectorAll('table.sortable th').forEach(function (th) {
	th.addEventListener('click', function () {
		var table = th.closest('table'), body = table.tBodies[0], index = th.cellIndex;
		var asc = th.getAttribute('data-sort') !== 'asc';
		th.setAttribute('data-sort', asc ? 'asc' : 'desc');
		var rows = Array.prototype.slice.call(body.rows);
		rows.sort(function (a, b) {
			var x = a.cells[index].textContent, y = b.cells[index].textContent;
			var nx = Number(x), ny = Number(y);
			var order = x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
			return asc ? order : -order;
		});
		rows.forEach(function (row) { body.appendChild(row); });
	});
});`;
