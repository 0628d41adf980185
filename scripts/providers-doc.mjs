// docs/providers.md from the playbooks (never by hand): `npm run docs:providers`.
// `--check` exits 1 when the file on disk is out of date (the test in test/unit/providers-doc.test.ts
// does the same through vitest).
import {build} from 'esbuild';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'leakfix-providers-doc-'));
try {
	const outfile = path.join(dir, 'doc.mjs');
	await build({
		stdin: {
			contents: "export {parsePlaybooks} from './src/playbooks/parse.ts'; export {renderProvidersDoc} from './src/commands/providers.ts';",
			resolveDir: root,
			loader: 'ts',
		},
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		outfile,
		banner: {js: "import {createRequire as __leakfixCreateRequire} from 'node:module';const require=__leakfixCreateRequire(import.meta.url);"},
		logLevel: 'warning',
	});
	const {parsePlaybooks, renderProvidersDoc} = await import(pathToFileURL(outfile).href);
	const text = renderProvidersDoc(parsePlaybooks(path.join(root, 'steps')));
	const target = path.join(root, 'docs', 'providers.md');
	if (process.argv.includes('--check')) {
		let current = '';
		try {
			current = readFileSync(target, 'utf8');
		} catch {}
		if (current !== text) {
			console.error('docs/providers.md is out of date: run npm run docs:providers');
			process.exitCode = 1;
		}
	} else {
		writeFileSync(target, text);
		console.log(`Wrote docs/providers.md (${text.split('\n').length} lines)`);
	}
} finally {
	rmSync(dir, {recursive: true, force: true});
}
