// Line edits of a file and their unified diff: what a de-hard-coding rewrite (./harden.ts) and
// the CI job (src/engines/harden/ci.ts) show as a diff before anything is written, and apply.

/** An edit of the original file: at line `at` (0-based), remove `remove` lines, add `add`. */
export type Edit = {at: number; remove: number; add: string[]};

/** Applies edits (on original line numbers) from the bottom up. */
export function applyEdits(lines: string[], edits: Edit[]): string[] {
	const out = [...lines];
	for (const edit of [...edits].sort((a, b) => b.at - a.at || b.remove - a.remove)) out.splice(edit.at, edit.remove, ...edit.add);
	return out;
}

/** A unified diff of the edits, two lines of context; edits whose context touches share a hunk (so `git apply` takes it). */
export function editsDiff(file: string, lines: string[], edits: Edit[]): string {
	const out = [`--- a/${file}`, `+++ b/${file}`];
	// Edits at one line (an import above the key's first line) become one, insertions first.
	const merged: Edit[] = [];
	for (const edit of [...edits].sort((a, b) => a.at - b.at || a.remove - b.remove)) {
		const previous = merged.at(-1);
		if (previous && previous.at === edit.at) merged[merged.length - 1] = {at: edit.at, remove: previous.remove + edit.remove, add: [...previous.add, ...edit.add]};
		else merged.push(edit);
	}
	const groups: Edit[][] = [];
	for (const edit of merged) {
		const group = groups.at(-1);
		const last = group?.at(-1);
		if (group && last && edit.at <= last.at + last.remove + 4) group.push(edit);
		else groups.push([edit]);
	}
	let shift = 0;
	// A final newline leaves an empty last element: not a line of the file.
	const count = lines.at(-1) === '' ? lines.length - 1 : lines.length;
	for (const group of groups) {
		const first = group[0]!;
		const last = group.at(-1)!;
		const from = Math.max(0, first.at - 2);
		const to = Math.min(count, last.at + last.remove + 2);
		const body: string[] = [];
		let at = from;
		let added = 0;
		let removed = 0;
		for (const edit of group) {
			for (; at < edit.at; at++) body.push(` ${lines[at]}`);
			for (let index = 0; index < edit.remove; index++) body.push(`-${lines[edit.at + index]}`);
			body.push(...edit.add.map(line => `+${line}`));
			at = edit.at + edit.remove;
			added += edit.add.length;
			removed += edit.remove;
		}
		for (; at < to; at++) body.push(` ${lines[at]}`);
		const oldCount = to - from;
		const newCount = oldCount - removed + added;
		out.push(`@@ -${from + 1},${oldCount} +${from + 1 + shift},${newCount} @@`, ...body);
		shift += added - removed;
	}
	return out.join('\n');
}
