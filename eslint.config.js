// Lint: strict TypeScript, floating promises, Ink's leaked-render trap, and the layer boundaries.
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';

// The layer boundaries of docs/architecture.md. Import cycles are checked by scripts/import-graph.mjs
// (also run by `npm run lint`); test/unit/boundaries.test.ts proves each rule bites.
const coreBannedPackages = ['ink', 'react', 'execa', 'conf', 'yaml', 'node:fs', 'fs', 'node:fs/promises', 'fs/promises', 'node:child_process', 'child_process', 'node:process', 'process', 'node:os', 'os'];
const coreBannedLayers = ['engines', 'infra', 'ui', 'playbooks', 'commands'];
const drawingPackages = ['ink', 'react'];
const corePure = 'src/core is pure: pass data in from src/infra or src/ui instead.';
const coreAbove = 'src/core imports nothing impure and nothing above it (engines, infra, ui, playbooks, commands).';
const throughPorts = 'The UI reaches engines through its ports (src/ui/ports.ts, built in enginePorts.ts and run.tsx): import an engine\'s types only.';
const noDrawing = 'Data flows down: engines, infra, playbooks and commands import no UI (src/ui, ink, react).';
// `../engines/x.js`, `../../ui/x.js`, `../ui` (gitignore-style patterns).
const layerPatterns = layers => layers.flatMap(layer => [`**/${layer}/**`, `**/${layer}`]);
// The same bans for `import('…')` calls and `import('…').T` types, which no-restricted-imports skips.
// esquery's regex literal ends at the first '/', so '/' is written \x2F.
const dynamicImportBans = (layers, packages, message, allowedDynamic = []) => {
	const names = packages.filter(name => !name.includes('/'));
	const source = `/(^|\\x2F)(${layers.join('|')})(\\x2F|$)|^(${names.join('|')})(\\x2F|$)/`;
	return [
		{selector: `ImportExpression[source.value=${source}]${allowedDynamic.map(name => `:not([source.value='${name}'])`).join('')}`, message},
		{selector: `TSImportType[source.value=${source}]`, message},
	];
};

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', '.bench/**', 'coverage/**']},
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx}'],
		languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
		plugins: {react},
		settings: {react: {version: '19'}},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
			'@typescript-eslint/no-non-null-assertion': 'off',
			'no-empty': ['error', {allowEmptyCatch: true}],
			// Ink throws on a bare `0` or '' rendered outside <Text>.
			'react/jsx-no-leaked-render': ['error', {validStrategies: ['ternary']}],
			'react/jsx-key': 'error',
		},
	},
	{
		// The core is pure: no UI, no processes, no files, no storage, nothing above it.
		files: ['src/core/**'],
		rules: {
			'no-restricted-imports': ['error', {paths: coreBannedPackages.map(name => ({name, message: corePure})), patterns: [{group: [...layerPatterns(coreBannedLayers), ...coreBannedPackages.map(name => `${name}/*`)], message: coreAbove}]}],
			// no-restricted-imports reads neither `import('…')` calls nor `import('…').T` types.
			'no-restricted-syntax': ['error', ...dynamicImportBans(coreBannedLayers, coreBannedPackages, coreAbove)],
			'no-restricted-globals': ['error', {name: 'process', message: 'src/core is pure: no process.'}],
		},
	},
	{
		// Engines, infra, playbooks and commands never draw: data flows down, no UI imports.
		files: ['src/engines/**', 'src/infra/**', 'src/playbooks/**', 'src/commands/**'],
		rules: {
			'no-restricted-imports': ['error', {paths: drawingPackages.map(name => ({name, message: noDrawing})), patterns: [{group: [...layerPatterns(['ui']), ...drawingPackages.map(name => `${name}/*`)], message: noDrawing}]}],
			'no-restricted-syntax': ['error', ...dynamicImportBans(['ui'], drawingPackages, noDrawing)],
		},
	},
	{
		// The UI reaches engines only through its ports (src/ui/ports.ts): an engine's types may be
		// named, its code is imported only by the composition root (run.tsx) and the real ports
		// (enginePorts.ts), so every engine a screen uses can be faked in a test (issue 13).
		files: ['src/ui/**'],
		ignores: ['src/ui/run.tsx', 'src/ui/enginePorts.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', {patterns: [{group: layerPatterns(['engines']), message: throughPorts, allowTypeImports: true}]}],
			'no-restricted-syntax': ['error', {selector: 'ImportExpression[source.value=/(^|\\x2F)engines(\\x2F|$)/]', message: throughPorts}],
		},
	},
	{
		// The one exception: the interactive commands start the UI, lazily (after the terminal check,
		// so the other commands never load Ink). Only this file, only run.js, only through import().
		files: ['src/commands/interactive.ts'],
		rules: {'no-restricted-syntax': ['error', ...dynamicImportBans(['ui'], drawingPackages, noDrawing, ['../ui/run.js'])]},
	},
	{
		// No file in src/ over 300 lines (issue 13), every line counted as `wc -l` counts them: blank
		// lines and comments too (ESLint drops only the empty line after a final newline).
		files: ['src/**/*.{ts,tsx}'],
		rules: {'max-lines': ['error', {max: 300}]},
	},
	{
		files: ['scripts/**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
		...tseslint.configs.disableTypeChecked,
		languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
	},
);
