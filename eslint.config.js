// Lint: strict TypeScript, floating promises, Ink's leaked-render trap, and the layer boundaries.
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';

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
		// The core is pure: no UI, no processes, no files, no storage.
		files: ['src/core/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: ['ink', 'react', 'execa', 'conf', 'yaml', 'node:fs', 'fs', 'node:fs/promises', 'fs/promises', 'node:child_process', 'child_process', 'node:process', 'process', 'node:os', 'os'].map(name => ({
						name,
						message: 'src/core is pure: pass data in from src/infra or src/ui instead.',
					})),
					patterns: [{group: ['**/infra/**', '**/ui/**', '**/playbooks/**', '**/commands/**'], message: 'src/core imports nothing above it.'}],
				},
			],
			'no-restricted-globals': ['error', {name: 'process', message: 'src/core is pure: no process.'}],
		},
	},
	{
		// Engines and infra never draw.
		files: ['src/infra/**', 'src/playbooks/**', 'src/commands/**'],
		rules: {'no-restricted-imports': ['error', {paths: ['ink', 'react'], patterns: [{group: ['**/ui/**'], message: 'Data flows down: no UI imports here.'}]}]},
	},
	{
		files: ['scripts/**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
		...tseslint.configs.disableTypeChecked,
		languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
	},
);
