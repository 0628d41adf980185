// One esbuild bundle with everything inside (no runtime dependencies, so `npx leakfix` installs
// nothing). Split into chunks so --help/--version never load Ink, React, conf or the playbooks.
import {build} from 'esbuild';
import {rmSync} from 'node:fs';

const stubDevtools = {
	name: 'stub-react-devtools',
	setup(b) {
		// Ink imports react-devtools-core only when DEV=true; it is not shipped.
		b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
		b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
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
	minify: true,
	sourcemap: false,
	legalComments: 'none',
	chunkNames: 'chunks/[name]-[hash]',
	define: {'process.env.NODE_ENV': '"production"'},
	banner: {js: "import {createRequire as __leakfixCreateRequire} from 'node:module';const require=__leakfixCreateRequire(import.meta.url);"},
	plugins: [stubDevtools],
	logLevel: 'warning',
});
console.log(`built dist/ in ${Date.now() - started} ms`);
