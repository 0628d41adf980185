// One esbuild bundle with everything inside (no runtime dependencies, so `npx leakfix` installs
// nothing). Split into chunks so --help/--version never load Ink, React, conf or the playbooks.
import {build} from 'esbuild';
import {rmSync, writeFileSync} from 'node:fs';

const stubDevtools = {
	name: 'stub-react-devtools',
	setup(b) {
		// Ink imports its devtools (react-devtools-core, ws) only when DEV=true; none of it ships.
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
		b.onResolve({filter: /^\.\/devtools\.js$/}, args => (args.importer.includes(`${'node_modules'}/ink/`) ? {path: 'ink-devtools', namespace: 'stub'} : undefined));
		b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
	},
};

// conf builds an ajv validator only when given a JSON schema; leakfix validates sessions with zod
// and never passes one, so ajv (~130 KB, ~30 ms at start-up) is left out of the bundle.
const stubAjv = {
	name: 'stub-ajv',
	setup(b) {
		b.onResolve({filter: /^ajv(?:-formats)?(?:\/.*)?$/}, args => ({path: args.path, namespace: 'stub-ajv'}));
		b.onLoad({filter: /.*/, namespace: 'stub-ajv'}, () => ({
			contents: 'export class Ajv2020 { constructor() { throw new Error("conf schema validation is not bundled: validate with zod"); } } export default {default() {}};',
			loader: 'js',
		}));
	},
};

rmSync(new URL('../dist', import.meta.url), {recursive: true, force: true});
const started = Date.now();
await build({
	entryPoints: {cli: 'src/cli.ts'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	minify: process.env.LEAKFIX_NO_MINIFY !== '1',
	sourcemap: false,
	legalComments: 'none',
	chunkNames: 'chunks/[name]-[hash]',
	define: {'process.env.NODE_ENV': '"production"'},
	banner: {js: "import {createRequire as __leakfixCreateRequire} from 'node:module';const require=__leakfixCreateRequire(import.meta.url);"},
	plugins: [stubDevtools, stubAjv],
	logLevel: 'warning',
});

// Compile and check the shipped playbooks once, here; start-up then reads one JSON file when the
// YAML on disk still hashes the same (src/playbooks/load.ts). A broken playbook fails the build.
await build({
	entryPoints: ['src/playbooks/compile.ts'],
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	outfile: 'dist/.compile-playbooks.mjs',
	banner: {js: "import {createRequire as __leakfixCreateRequire} from 'node:module';const require=__leakfixCreateRequire(import.meta.url);"},
	logLevel: 'warning',
});
const compilerFile = new URL('../dist/.compile-playbooks.mjs', import.meta.url);
try {
	const {compilePlaybooks} = await import(compilerFile.href);
	writeFileSync(new URL('../dist/playbooks.json', import.meta.url), JSON.stringify(compilePlaybooks('steps')));
} catch (error) {
	console.error(`build: ${error.message}`);
	process.exitCode = 1;
} finally {
	rmSync(compilerFile, {force: true});
}
console.log(`built dist/ in ${Date.now() - started} ms`);
