// A recording `gh` stub that answers `gh api … PATH` like GitHub's REST API: the answer for each
// path is a file (its body, exit 0) or an error file (stderr, exit 1), keyed by the path with
// every character but letters and digits made `_`; an unknown path answers as GitHub does:
// "Not Found (HTTP 404)". A key starting "argv:" matches the whole argv joined by spaces instead
// (for `gh search code TERM …`, whose last argument is not the query). Every call's argv is
// recorded, one line per argument. `name` makes the same kind of stub for another CLI (src).
import fs from 'node:fs';
import path from 'node:path';
import {tempDir} from './fs.js';

export type GhApiStub = {dir: string; calls(): string[][]};

const keyOf = (apiPath: string) => apiPath.replace(/[^A-Za-z0-9]/g, '_');

export function ghApiStub(answers: Record<string, {body?: string; error?: string}>, name = 'gh'): GhApiStub {
	const dir = tempDir('leakfix-gh-stub-');
	const store = path.join(dir, 'answers');
	fs.mkdirSync(store);
	for (const [apiPath, answer] of Object.entries(answers)) {
		if (answer.body !== undefined) fs.writeFileSync(path.join(store, keyOf(apiPath)), answer.body);
		if (answer.error !== undefined) fs.writeFileSync(path.join(store, `${keyOf(apiPath)}.err`), `${answer.error}\n`);
	}
	const log = path.join(dir, `${name}.calls`);
	fs.writeFileSync(
		path.join(dir, name),
		[
			'#!/bin/sh',
			'PATH=/usr/bin:/bin',
			`log='${log}'`,
			`store='${store}'`,
			'printf "=== call\\n" >> "$log"',
			'for arg in "$@"; do printf "%s\\n" "$arg" >> "$log"; last="$arg"; done',
			'name=$(printf "%s" "$last" | tr -c "A-Za-z0-9" "_")',
			'all=$(printf "argv:%s" "$*" | tr -c "A-Za-z0-9" "_")',
			'if [ -f "$store/$all" ]; then cat "$store/$all"; exit 0; fi',
			'if [ -f "$store/$all.err" ]; then cat "$store/$all.err" >&2; exit 1; fi',
			'if [ -f "$store/$name" ]; then cat "$store/$name"; exit 0; fi',
			'if [ -f "$store/$name.err" ]; then cat "$store/$name.err" >&2; exit 1; fi',
			`echo "${name}: Not Found (HTTP 404)" >&2`,
			'exit 1',
			'',
		].join('\n'),
		{mode: 0o755},
	);
	return {
		dir,
		calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('=== call\n').filter(Boolean).map(block => block.split('\n').filter(line => line !== '')) : []),
	};
}
