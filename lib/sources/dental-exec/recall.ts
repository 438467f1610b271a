/**
 * Recall and hygiene schedules live only in Dental-Exec task rows. The interval is normally in
 * `IntervalMonths`; older exports write it only in the description ("6 month recall", "q4m",
 * "every 3 months"), so it is read from there when the column is empty.
 */
export function intervalFromDescription(description: string | undefined): number | undefined {
	if (description === undefined) return undefined;
	const match =
		/\b(\d{1,2})\s*-?\s*(?:months?|mos?)\b/i.exec(description) ??
		/\bq\s?(\d{1,2})\s?m(?:o|onths?)?\b/i.exec(description);
	if (!match) return undefined;
	const months = Number(match[1]);
	return months >= 1 && months <= 60 ? months : undefined;
}
