#!/usr/bin/env node
// The import graph of src/ and its cycles (part of `npm run lint`; test/unit/boundaries.test.ts).
//
// Every relative import is an edge: `import … from './x.js'`, `export … from './x.js'`, a dynamic
// `import('./x.js')`, and type-only ones (`import type`, `import {type A}`, `export type … from`,
// and `import('./x.js').T` in a type). Each edge is tagged `value`, `dynamic` or `type`.
//
// Type-only edges count. They vanish at run time (verbatimModuleSyntax keeps exactly the imports not
// marked `type`, so the mark read here is the truth), and so cannot break module initialisation;
// but a cycle through types still ties the modules together: neither can be understood, tested or
// moved without the other, which is the coupling issue 13 names (App -> Wizard -> Rotate/VerifyScreen
// -> useWork -> App, through port types). Dynamic edges count for the same reason. A cycle is
// reported with the kind of each edge, so a reader sees at once whether it is a runtime one.
//
// Today's cycles are listed in ALLOWED below (a ratchet): a strongly connected component that is
// not inside one allowed group fails, so a new file joining a cycle, two groups merging or a new
// cycle anywhere fails; a group that is no longer cyclic is reported so it can be deleted.
import {readdirSync, readFileSync, existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';

/**
 * Cycles that exist today, each a set of files (relative to src/). Remove a group when its cycle is
 * broken; never add one: break the cycle instead (move the shared types down a layer, or pass a port).
 */
export const ALLOWED = [];

const sourceExtensions = ['.ts', '.tsx'];

/** Every .ts/.tsx file under `root`, as absolute paths, sorted. */
export function sourceFiles(root) {
	const out = [];
	const walk = dir => {
		for (const entry of readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (sourceExtensions.some(ext => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts')) out.push(full);
		}
	};
	walk(root);
	return out.sort();
}

/** A relative specifier from `from` resolved to a source file, or undefined (a package, or not found). */
export function resolveSpecifier(from, specifier) {
	if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
	const base = path.resolve(path.dirname(from), specifier);
	const stem = base.replace(/\.(m|c)?jsx?$/, '');
	const candidates = [...sourceExtensions.map(ext => stem + ext), base, ...sourceExtensions.map(ext => path.join(base, 'index' + ext))];
	return candidates.find(file => existsSync(file) && statSync(file).isFile());
}

const allTypeOnly = clause => {
	if (clause.isTypeOnly) return true;
	if (clause.name) return false; // a default import is a value
	const bindings = clause.namedBindings;
	if (!bindings || ts.isNamespaceImport(bindings)) return false;
	return bindings.elements.length > 0 && bindings.elements.every(element => element.isTypeOnly);
};

/** The relative imports of one file: [{specifier, kind: 'value' | 'dynamic' | 'type'}]. */
export function importsOf(file, text = readFileSync(file, 'utf8')) {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
	const found = [];
	const visit = node => {
		if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
			found.push({specifier: node.moduleSpecifier.text, kind: node.importClause && allTypeOnly(node.importClause) ? 'type' : 'value'});
		} else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
			const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every(element => element.isTypeOnly));
			found.push({specifier: node.moduleSpecifier.text, kind: typeOnly ? 'type' : 'value'});
		} else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
			found.push({specifier: node.moduleReference.expression.text, kind: node.isTypeOnly ? 'type' : 'value'});
		} else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			const [argument] = node.arguments;
			if (argument && ts.isStringLiteralLike(argument)) found.push({specifier: argument.text, kind: 'dynamic'});
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
			found.push({specifier: node.argument.literal.text, kind: 'type'});
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** The graph of `root`: Map<file relative to root, Map<imported file relative to root, kind>>. */
export function buildGraph(root) {
	const graph = new Map();
	const rank = {value: 0, dynamic: 1, type: 2};
	for (const file of sourceFiles(root)) {
		const from = path.relative(root, file).split(path.sep).join('/');
		const edges = new Map();
		for (const {specifier, kind} of importsOf(file)) {
			const target = resolveSpecifier(file, specifier);
			if (!target || !target.startsWith(root + path.sep)) continue;
			const to = path.relative(root, target).split(path.sep).join('/');
			const had = edges.get(to);
			if (had === undefined || rank[kind] < rank[had]) edges.set(to, kind); // the strongest kind wins
		}
		graph.set(from, edges);
	}
	return graph;
}

/** Tarjan's strongly connected components that hold a cycle (two files or more, or a self-import). */
export function cyclicComponents(graph) {
	let counter = 0;
	const index = new Map();
	const low = new Map();
	const stack = [];
	const onStack = new Set();
	const components = [];
	const connect = start => {
		// Iterative, so a deep graph cannot overflow the call stack.
		const work = [{node: start, targets: [...(graph.get(start)?.keys() ?? [])], next: 0}];
		index.set(start, counter);
		low.set(start, counter++);
		stack.push(start);
		onStack.add(start);
		while (work.length > 0) {
			const frame = work.at(-1);
			if (frame.next < frame.targets.length) {
				const target = frame.targets[frame.next++];
				if (!index.has(target)) {
					index.set(target, counter);
					low.set(target, counter++);
					stack.push(target);
					onStack.add(target);
					work.push({node: target, targets: [...(graph.get(target)?.keys() ?? [])], next: 0});
				} else if (onStack.has(target)) {
					low.set(frame.node, Math.min(low.get(frame.node), index.get(target)));
				}
				continue;
			}
			work.pop();
			const parent = work.at(-1);
			if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
			if (low.get(frame.node) === index.get(frame.node)) {
				const component = [];
				let member;
				do {
					member = stack.pop();
					onStack.delete(member);
					component.push(member);
				} while (member !== frame.node);
				if (component.length > 1 || graph.get(frame.node)?.has(frame.node)) components.push(component.sort());
			}
		}
	};
	for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
	return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One shortest cycle through `start` inside `component`, as [file, kind, file, kind, …, start]. */
export function cycleThrough(graph, component, start = component[0]) {
	const inside = new Set(component);
	const previous = new Map([[start, undefined]]);
	const queue = [start];
	while (queue.length > 0) {
		const node = queue.shift();
		for (const [target, kind] of graph.get(node) ?? []) {
			if (!inside.has(target)) continue;
			if (target === start) {
				const hops = [kind, start];
				for (let at = node; at !== start; at = previous.get(at).from) hops.unshift(previous.get(at).kind, at);
				return [start, ...hops];
			}
			if (!previous.has(target)) {
				previous.set(target, {from: node, kind});
				queue.push(target);
			}
		}
	}
	return [start];
}

/** Check `root` against `allowed`: {cycles, unlisted, stale}. */
export function checkCycles(root, allowed = ALLOWED) {
	const graph = buildGraph(root);
	const cycles = cyclicComponents(graph);
	const unlisted = cycles.filter(component => !allowed.some(group => component.every(file => group.includes(file))));
	const stale = allowed.filter(group => !cycles.some(component => component.some(file => group.includes(file))));
	return {graph, cycles, unlisted, stale};
}

export function describe(graph, component) {
	const hops = cycleThrough(graph, component);
	let line = hops[0];
	for (let i = 1; i < hops.length; i += 2) line += ` -(${hops[i]})-> ${hops[i + 1]}`;
	return `${component.length} files: ${component.join(', ')}\n    e.g. ${line}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const folder = process.argv.slice(2).find(argument => !argument.startsWith('--'));
	const root = path.resolve(folder ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src'));
	const {graph, cycles, unlisted, stale} = checkCycles(root);
	for (const group of stale) console.log(`import-graph: allowed cycle no longer exists, delete it from ALLOWED: ${group.join(', ')}`);
	if (process.argv.includes('--list')) for (const component of cycles) console.log(`cycle (${unlisted.includes(component) ? 'NOT allowed' : 'allowed'}): ${describe(graph, component)}`);
	if (unlisted.length > 0) {
		console.error(`import-graph: ${unlisted.length} import cycle(s) in ${path.relative(process.cwd(), root) || '.'} not in ALLOWED (scripts/import-graph.mjs):`);
		for (const component of unlisted) console.error(`  ${describe(graph, component)}`);
		process.exit(1);
	}
	console.log(`import-graph: ${graph.size} files, no new import cycle (${cycles.length} allowed).`);
}
