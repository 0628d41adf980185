// The layer boundaries, max-lines and the import-cycle check bite (issue 13): each rule is fed a
// small offender and must report it, and the real src/ has no cycle outside the allow-list.
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ESLint} from 'eslint';
import tseslint from 'typescript-eslint';
import {afterAll, describe, expect, it} from 'vitest';
import {ALLOWED, buildGraph, checkCycles, cyclicComponents, describe as describeCycle, importsOf} from '../../scripts/import-graph.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The project's own config; type-aware parsing is off only because the snippets' paths are not
// files of the TypeScript project (the boundary and size rules need no types).
const eslint = new ESLint({cwd: repo, overrideConfigFile: 'eslint.config.js', overrideConfig: tseslint.configs.disableTypeChecked});

async function rulesFor(file: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, {filePath: path.join(repo, file)});
	const messages = result!.messages;
	expect(messages.filter(message => message.fatal)).toEqual([]);
	return messages.map(message => message.ruleId ?? 'fatal');
}

const lines = (count: number) => Array.from({length: count}, (_, index) => `export const v${index} = ${index};`).join('\n') + '\n';

describe('lint: the layer boundaries of docs/architecture.md', () => {
	it.each([
		['core -> engines', 'src/core/new-file.ts', "import {scanRepo} from '../engines/scan/index.js';\nexport const x = scanRepo;\n", 'no-restricted-imports'],
		['core -> engines, dynamic', 'src/core/logs/new-file.ts', "export const x = async () => (await import('../../engines/scan/index.js')).scanRepo;\n", 'no-restricted-syntax'],
		['core -> infra', 'src/core/new-file.ts', "export {runCommand} from '../infra/command.js';\n", 'no-restricted-imports'],
		['core -> ui, type only', 'src/core/new-file.ts', "import type {AppStart} from '../ui/App.js';\nexport type X = AppStart;\n", 'no-restricted-imports'],
		['core -> ui, import type node', 'src/core/new-file.ts', "export type X = import('../ui/App.js').AppStart;\n", 'no-restricted-syntax'],
		['core -> playbooks', 'src/core/new-file.ts', "import {loadPlaybooks} from '../playbooks/load.js';\nexport const x = loadPlaybooks;\n", 'no-restricted-imports'],
		['core -> commands', 'src/core/new-file.ts', "import * as list from '../commands/list.js';\nexport const x = list;\n", 'no-restricted-imports'],
		['core -> ink', 'src/core/new-file.ts', "import {Text} from 'ink';\nexport const x = Text;\n", 'no-restricted-imports'],
		['core -> react', 'src/core/new-file.ts', "import {useState} from 'react';\nexport const x = useState;\n", 'no-restricted-imports'],
		['core -> execa', 'src/core/new-file.ts', "import {execa} from 'execa';\nexport const x = execa;\n", 'no-restricted-imports'],
		['core -> conf', 'src/core/new-file.ts', "import Conf from 'conf';\nexport const x = Conf;\n", 'no-restricted-imports'],
		['core -> fs', 'src/core/new-file.ts', "import {readFileSync} from 'node:fs';\nexport const x = readFileSync;\n", 'no-restricted-imports'],
		['core -> fs/promises, dynamic', 'src/core/new-file.ts', "export const x = async () => (await import('node:fs/promises')).readFile;\n", 'no-restricted-syntax'],
		['core -> child_process', 'src/core/new-file.ts', "import {spawn} from 'child_process';\nexport const x = spawn;\n", 'no-restricted-imports'],
		['core -> os', 'src/core/new-file.ts', "import {homedir} from 'node:os';\nexport const x = homedir;\n", 'no-restricted-imports'],
		['core -> process', 'src/core/new-file.ts', "import {env} from 'node:process';\nexport const x = env;\n", 'no-restricted-imports'],
		['core uses the process global', 'src/core/new-file.ts', 'export const x = process.env;\n', 'no-restricted-globals'],
		['engines -> ui', 'src/engines/new-file.ts', "import {App} from '../ui/App.js';\nexport const x = App;\n", 'no-restricted-imports'],
		['engines -> ui, dynamic', 'src/engines/scan/new-file.ts', "export const x = async () => (await import('../../ui/App.js')).App;\n", 'no-restricted-syntax'],
		['engines -> ink', 'src/engines/new-file.ts', "import {render} from 'ink';\nexport const x = render;\n", 'no-restricted-imports'],
		['engines -> react/jsx-runtime', 'src/engines/new-file.ts', "import {jsx} from 'react/jsx-runtime';\nexport const x = jsx;\n", 'no-restricted-imports'],
		['infra -> ui', 'src/infra/new-file.ts', "import {App} from '../ui/App.js';\nexport const x = App;\n", 'no-restricted-imports'],
		['commands -> ui, dynamic', 'src/commands/new-file.ts', "export const x = async () => (await import('../ui/run.js')).runInteractive;\n", 'no-restricted-syntax'],
		['the interactive command -> ui other than run.js', 'src/commands/interactive.ts', "export const x = async () => (await import('../ui/App.js')).App;\n", 'no-restricted-syntax'],
		['the interactive command -> ui, static', 'src/commands/interactive.ts', "import {runInteractive} from '../ui/run.js';\nexport const x = runInteractive;\n", 'no-restricted-imports'],
		['commands -> ui', 'src/commands/new-file.ts', "import type {AppStart} from '../ui/App.js';\nexport type X = AppStart;\n", 'no-restricted-imports'],
	])('%s is an error', async (_name, file, code, rule) => {
		expect(await rulesFor(file, code)).toContain(rule);
	});

	it.each([
		['core -> core', 'src/core/new-file.ts', "import {mask} from './secrets.js';\nexport const x = mask;\n"],
		['engines -> core and infra', 'src/engines/new-file.ts', "import {mask} from '../core/secrets.js';\nimport {runCommand} from '../infra/command.js';\nexport const x = [mask, runCommand];\n"],
		['the interactive command starts the UI lazily', 'src/commands/interactive.ts', "export const x = async () => (await import('../ui/run.js')).runInteractive;\n"],
		['ui -> engines, ink and react', 'src/ui/new-file.tsx', "import {Text} from 'ink';\nimport {useState} from 'react';\nimport {scanRepo} from '../engines/scan/index.js';\nexport const x = [Text, useState, scanRepo];\n"],
	])('%s is allowed', async (_name, file, code) => {
		expect(await rulesFor(file, code)).toEqual([]);
	});
});

describe('lint: max-lines 300 in src/ (blank lines and comments not counted)', () => {
	it('a new file of 301 lines is an error, 300 lines pass', async () => {
		expect(await rulesFor('src/engines/new-file.ts', lines(301))).toContain('max-lines');
		expect(await rulesFor('src/core/new-file.ts', lines(300))).toEqual([]);
		expect(await rulesFor('src/core/new-file.ts', lines(300) + '\n\n// a comment\n/* and another */\n')).toEqual([]);
	});

	it('a file on the ratchet list is held to its own size', async () => {
		const config = await eslint.calculateConfigForFile(path.join(repo, 'src/engines/harden/index.ts'));
		const [, options] = config.rules['max-lines'] as [number, {max: number}];
		expect(options.max).toBeGreaterThan(300);
		expect(await rulesFor('src/engines/harden/index.ts', lines(options.max))).toEqual([]);
		expect(await rulesFor('src/engines/harden/index.ts', lines(options.max + 1))).toContain('max-lines');
	});
});

describe('import cycles (scripts/import-graph.mjs)', () => {
	const temp = mkdtempSync(path.join(tmpdir(), 'leakfix-cycles-'));
	afterAll(() => rmSync(temp, {recursive: true, force: true}));
	const tree = (name: string, files: Record<string, string>) => {
		const root = path.join(temp, name);
		for (const [file, text] of Object.entries(files)) {
			mkdirSync(path.dirname(path.join(root, file)), {recursive: true});
			writeFileSync(path.join(root, file), text);
		}
		return root;
	};

	it('reads every kind of import and tags it', () => {
		const text = [
			"import {a} from './a.js';",
			"import type {B} from './b.js';",
			"import {type C, type D} from './c.js';",
			"import {type E, f} from './e.js';",
			"export {g} from './g.js';",
			"export type {H} from './h.js';",
			"import './side.js';",
			"const i = await import('./i.js');",
			"type J = import('./j.js').J;",
			"import {k} from 'kpackage';",
		].join('\n');
		expect(importsOf('/x/file.ts', text)).toEqual([
			{specifier: './a.js', kind: 'value'},
			{specifier: './b.js', kind: 'type'},
			{specifier: './c.js', kind: 'type'},
			{specifier: './e.js', kind: 'value'},
			{specifier: './g.js', kind: 'value'},
			{specifier: './h.js', kind: 'type'},
			{specifier: './side.js', kind: 'value'},
			{specifier: './i.js', kind: 'dynamic'},
			{specifier: './j.js', kind: 'type'},
			{specifier: 'kpackage', kind: 'value'},
		]);
	});

	it('finds a cycle, through .js specifiers to .ts/.tsx files, folders and types', () => {
		const root = tree('cyclic', {
			'core/a.ts': "import {b} from '../ui/b.js';\nexport const a = b;\n",
			'ui/b.tsx': "export type {C} from './c/index.js';\nexport const b = 1;\n",
			'ui/c/index.ts': "export type C = import('../../core/a.js').A;\n",
			'clean.ts': "import {a} from './core/a.js';\nexport const clean = a;\n",
		});
		const {graph, cycles, unlisted} = checkCycles(root, []);
		expect(cycles).toEqual([['core/a.ts', 'ui/b.tsx', 'ui/c/index.ts']]);
		expect(unlisted).toEqual(cycles);
		expect(describeCycle(graph, cycles[0]!)).toContain('core/a.ts -(value)-> ui/b.tsx -(type)-> ui/c/index.ts -(type)-> core/a.ts');
		// Allowed as a group: passes; a group that no longer cycles is reported stale.
		expect(checkCycles(root, [['core/a.ts', 'ui/b.tsx', 'ui/c/index.ts'], ['gone.ts', 'also-gone.ts']])).toMatchObject({unlisted: [], stale: [['gone.ts', 'also-gone.ts']]});
		// A cycle larger than its allowed group is not allowed.
		expect(checkCycles(root, [['core/a.ts', 'ui/b.tsx']]).unlisted).toHaveLength(1);
	});

	it('finds a self-import and a dynamic-import cycle', () => {
		const root = tree('dynamic', {
			'self.ts': "export const self = 1;\nexport const again = async () => (await import('./self.js')).self;\n",
			'p.ts': "export const p = async () => (await import('./q.js')).q;\n",
			'q.ts': "import {p} from './p.js';\nexport const q = p;\n",
		});
		expect(cyclicComponents(buildGraph(root))).toEqual([['p.ts', 'q.ts'], ['self.ts']]);
	});

	it('finds none in a clean tree', () => {
		const root = tree('clean', {
			'a.ts': "import {b} from './b.js';\nimport {c} from './c.js';\nexport const a = b + c;\n",
			'b.ts': "import {c} from './c.js';\nexport const b = c;\n",
			'c.ts': "import {readFileSync} from 'node:fs';\nexport const c = typeof readFileSync === 'function' ? 1 : 0;\n",
		});
		expect(checkCycles(root, [])).toMatchObject({cycles: [], unlisted: []});
	});

	it('src/ has no cycle outside the commented allow-list', () => {
		const {graph, unlisted} = checkCycles(path.join(repo, 'src'), ALLOWED);
		expect(unlisted.map(component => describeCycle(graph, component))).toEqual([]);
		expect(graph.size).toBeGreaterThan(50);
	});
});
