// The layer boundaries, max-lines and the import-cycle check bite (issue 13): each rule is fed a
// small offender, linted with the project's own config (eslint.config.js) or checked by the
// project's own cycle check (scripts/import-graph.mjs, the second half of `npm run lint`), and must
// report it; the real src/ has no cycle outside the allow-list and no file over 300 lines.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
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
		['core -> engines, type only', 'src/core/new-file.ts', "import type {ScanOptions} from '../engines/scan/index.js';\nexport type X = ScanOptions;\n", 'no-restricted-imports'],
		['core -> ui', 'src/core/new-file.ts', "import {App} from '../ui/App.js';\nexport const x = App;\n", 'no-restricted-imports'],
		['core -> ui, type only', 'src/core/new-file.ts', "import type {AppStart} from '../ui/App.js';\nexport type X = AppStart;\n", 'no-restricted-imports'],
		['core -> ui, import type node', 'src/core/new-file.ts', "export type X = import('../ui/App.js').AppStart;\n", 'no-restricted-syntax'],
		['core -> playbooks', 'src/core/new-file.ts', "import {loadPlaybooks} from '../playbooks/load.js';\nexport const x = loadPlaybooks;\n", 'no-restricted-imports'],
		['core -> commands', 'src/core/new-file.ts', "import * as list from '../commands/list.js';\nexport const x = list;\n", 'no-restricted-imports'],
		['core -> ink', 'src/core/new-file.ts', "import {Text} from 'ink';\nexport const x = Text;\n", 'no-restricted-imports'],
		['core -> react', 'src/core/new-file.ts', "import {useState} from 'react';\nexport const x = useState;\n", 'no-restricted-imports'],
		['core -> execa', 'src/core/new-file.ts', "import {execa} from 'execa';\nexport const x = execa;\n", 'no-restricted-imports'],
		['core -> conf', 'src/core/new-file.ts', "import Conf from 'conf';\nexport const x = Conf;\n", 'no-restricted-imports'],
		['core -> node:fs', 'src/core/new-file.ts', "import {readFileSync} from 'node:fs';\nexport const x = readFileSync;\n", 'no-restricted-imports'],
		['core -> fs/promises, dynamic', 'src/core/new-file.ts', "export const x = async () => (await import('node:fs/promises')).readFile;\n", 'no-restricted-syntax'],
		['core -> child_process', 'src/core/new-file.ts', "import {spawn} from 'child_process';\nexport const x = spawn;\n", 'no-restricted-imports'],
		['core -> os', 'src/core/new-file.ts', "import {homedir} from 'node:os';\nexport const x = homedir;\n", 'no-restricted-imports'],
		['core -> process', 'src/core/new-file.ts', "import {env} from 'node:process';\nexport const x = env;\n", 'no-restricted-imports'],
		['core uses the process global', 'src/core/new-file.ts', 'export const x = process.env;\n', 'no-restricted-globals'],
		['engines -> ui', 'src/engines/new-file.ts', "import {App} from '../ui/App.js';\nexport const x = App;\n", 'no-restricted-imports'],
		['engines -> ui, dynamic', 'src/engines/scan/new-file.ts', "export const x = async () => (await import('../../ui/App.js')).App;\n", 'no-restricted-syntax'],
		['engines -> ui, type only', 'src/engines/inventory/new-file.ts', "import type {AppStart} from '../../ui/App.js';\nexport type X = AppStart;\n", 'no-restricted-imports'],
		['engines -> ink', 'src/engines/new-file.ts', "import {render} from 'ink';\nexport const x = render;\n", 'no-restricted-imports'],
		['engines -> react/jsx-runtime', 'src/engines/new-file.ts', "import {jsx} from 'react/jsx-runtime';\nexport const x = jsx;\n", 'no-restricted-imports'],
		['infra -> ui', 'src/infra/new-file.ts', "import {App} from '../ui/App.js';\nexport const x = App;\n", 'no-restricted-imports'],
		['commands -> ui, dynamic', 'src/commands/new-file.ts', "export const x = async () => (await import('../ui/run.js')).runInteractive;\n", 'no-restricted-syntax'],
		['the interactive command -> ui other than run.js', 'src/commands/interactive.ts', "export const x = async () => (await import('../ui/App.js')).App;\n", 'no-restricted-syntax'],
		['the interactive command -> ui, static', 'src/commands/interactive.ts', "import {runInteractive} from '../ui/run.js';\nexport const x = runInteractive;\n", 'no-restricted-imports'],
		['commands -> ui', 'src/commands/new-file.ts', "import type {AppStart} from '../ui/App.js';\nexport type X = AppStart;\n", 'no-restricted-imports'],
		['ui -> engines, a value (not through a port)', 'src/ui/new-file.tsx', "import {scanRepo} from '../engines/scan/index.js';\nexport const x = scanRepo;\n", '@typescript-eslint/no-restricted-imports'],
		['ui -> engines, dynamic (not through a port)', 'src/ui/rotate/new-file.ts', "export const x = async () => (await import('../../engines/harden/flow.js')).runHarden;\n", 'no-restricted-syntax'],
	])('%s is an error', async (_name, file, code, rule) => {
		expect(await rulesFor(file, code)).toContain(rule);
	});

	it.each([
		['core -> core', 'src/core/new-file.ts', "import {mask} from './secrets.js';\nexport const x = mask;\n"],
		['engines -> core and infra', 'src/engines/new-file.ts', "import {mask} from '../core/secrets.js';\nimport {runCommand} from '../infra/command.js';\nexport const x = [mask, runCommand];\n"],
		['the interactive command starts the UI lazily', 'src/commands/interactive.ts', "export const x = async () => (await import('../ui/run.js')).runInteractive;\n"],
		['ui -> ink and react, and engine types', 'src/ui/new-file.tsx', "import {Text} from 'ink';\nimport {useState} from 'react';\nimport type {ScanProgress} from '../engines/scan/history.js';\nexport const x = [Text, useState];\nexport type P = ScanProgress;\n"],
		['the composition root and the real ports -> engines', 'src/ui/enginePorts.ts', "import {accessPlan} from '../engines/access/plan.js';\nexport const x = async () => [accessPlan, (await import('../engines/scan/index.js')).scanRepo];\n"],
	])('%s is allowed', async (_name, file, code) => {
		expect(await rulesFor(file, code)).toEqual([]);
	});
});

describe('lint: max-lines 300 in src/, every line counted as `wc -l` counts them', () => {
	it('a new file of 301 lines is an error, 300 lines pass', async () => {
		expect(await rulesFor('src/engines/new-file.ts', lines(301))).toContain('max-lines');
		expect(await rulesFor('src/core/new-file.ts', lines(301))).toContain('max-lines');
		expect(await rulesFor('src/ui/new-file.tsx', lines(301))).toContain('max-lines');
		expect(await rulesFor('src/core/new-file.ts', lines(300))).toEqual([]);
	});

	it('blank lines and comments count too (the measure is `wc -l`, issue 13)', async () => {
		const padded = lines(297) + '\n// a comment\n/* and another */\n';
		expect(padded.split('\n').length - 1).toBe(300);
		expect(await rulesFor('src/core/new-file.ts', padded)).toEqual([]);
		expect(await rulesFor('src/core/new-file.ts', padded + '\n')).toContain('max-lines');
		expect(await rulesFor('src/core/new-file.ts', padded + '// one more\n')).toContain('max-lines');
	});

	it('no file is held to more than 300 (the ratchet of files over it is gone), and every file of src/ is at 300 lines or under', async () => {
		const config = ((await import(pathToFileURL(path.join(repo, 'eslint.config.js')).href)) as {default: Array<{files?: string[]; rules?: Record<string, unknown>}>}).default;
		const above = config.flatMap(block => {
			const rule = block.rules?.['max-lines'] as [string, {max: number}] | undefined;
			return rule && rule[1].max > 300 ? (block.files ?? ['(every file)']) : [];
		});
		expect(above).toEqual([]);
		const over = (readdirSync(path.join(repo, 'src'), {recursive: true, encoding: 'utf8'}) as string[])
			.filter(file => /\.tsx?$/.test(file))
			.filter(file => (readFileSync(path.join(repo, 'src', file), 'utf8').match(/\n/g) ?? []).length > 300);
		expect(over).toEqual([]);
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

	// The check as `npm run lint` runs it: the script, its own ALLOWED, a folder of offenders.
	const lintCycles = (root: string) => spawnSync(process.execPath, [path.join(repo, 'scripts/import-graph.mjs'), root], {encoding: 'utf8'});

	it('npm run lint runs the cycle check after eslint', () => {
		const scripts = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {scripts: Record<string, string>}).scripts;
		expect(scripts.lint).toBe('eslint . && node scripts/import-graph.mjs');
	});

	it.each([
		['value imports', {'core/a.ts': "import {b} from './b.js';\nexport const a = () => b;\n", 'core/b.ts': "import {a} from './a.js';\nexport const b = () => a;\n"}, 'core/a.ts -(value)-> core/b.ts -(value)-> core/a.ts'],
		['type-only imports', {'ui/a.tsx': "import type {B} from './b.js';\nexport type A = {b?: B};\n", 'ui/b.ts': "import {type A} from './a.js';\nexport type B = {a?: A};\n"}, 'ui/a.tsx -(type)-> ui/b.ts -(type)-> ui/a.tsx'],
		['a dynamic import back', {'engines/p.ts': "export const p = async () => (await import('./q.js')).q;\n", 'engines/q.ts': "import {p} from './p.js';\nexport const q = p;\n"}, 'engines/p.ts -(dynamic)-> engines/q.ts -(value)-> engines/p.ts'],
	])('a cycle through %s fails the lint, naming each edge', (name, files, cycle) => {
		const run = lintCycles(tree(`lint-${name.replaceAll(' ', '-')}`, files));
		expect(run.status).toBe(1);
		expect(run.stderr).toContain('1 import cycle(s)');
		expect(run.stderr).toContain(cycle);
	});

	it('a tree without a cycle passes the lint', () => {
		const run = lintCycles(tree('lint-clean', {'core/a.ts': "import {b} from './b.js';\nexport const a = b;\n", 'core/b.ts': 'export const b = 1;\n'}));
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
	});

	it('src/ has no cycle outside the commented allow-list, and no allowed group that is gone', () => {
		const {graph, unlisted, stale} = checkCycles(path.join(repo, 'src'), ALLOWED);
		expect(unlisted.map(component => describeCycle(graph, component))).toEqual([]);
		expect(stale).toEqual([]);
		expect(graph.size).toBeGreaterThan(50);
	});
});
