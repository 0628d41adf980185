// Long panels on a short terminal: how many rows a line takes at a width (word-wrapped like Ink,
// or one row for a diff line, which is cut), and the lines that fit in a budget of rows, with
// how many were left out. The title bar above and the footer below always keep their rows.

/** Rows a line of text takes when wrapped at `width` (words move whole; a longer word is cut). */
export function rowsOf(text: string, width: number): number {
	const columns = Math.max(1, width);
	let rows = 0;
	for (const paragraph of text.split('\n')) {
		let used = 0;
		let count = 1;
		for (const word of paragraph.split(' ')) {
			const length = [...word].length;
			if (used > 0 && used + 1 + length > columns) {
				count++;
				used = 0;
			}
			used += (used > 0 ? 1 : 0) + length;
			while (used > columns) {
				count++;
				used -= columns;
			}
		}
		rows += count;
	}
	return rows;
}

/** The first lines that fit in `budget` rows; when some do not, one row is kept to say how many. */
export function fitLines<T>(lines: T[], budget: number, rowsOfLine: (line: T) => number): {shown: T[]; hidden: number} {
	const total = lines.reduce((sum, line) => sum + rowsOfLine(line), 0);
	if (total <= budget) return {shown: lines, hidden: 0};
	const shown: T[] = [];
	let used = 0;
	for (const line of lines) {
		const rows = rowsOfLine(line);
		if (used + rows > Math.max(0, budget - 1)) break;
		shown.push(line);
		used += rows;
	}
	return {shown, hidden: lines.length - shown.length};
}

/**
 * The rows a prompt's body may take: the terminal's height less the wizard's title bar (3), the
 * screen's title, the current task, its messages, the prompt's own title and footer, the margins,
 * and one row so the frame never reaches the terminal's last line (it would scroll).
 */
export function bodyRows(height: number, fixed: number): number {
	return Math.max(3, height - 3 - fixed - 1);
}
