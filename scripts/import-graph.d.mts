// Types for scripts/import-graph.mjs (used by test/unit/boundaries.test.ts).
export type EdgeKind = 'value' | 'dynamic' | 'type';
export type Graph = Map<string, Map<string, EdgeKind>>;
export const ALLOWED: string[][];
export function sourceFiles(root: string): string[];
export function resolveSpecifier(from: string, specifier: string): string | undefined;
export function importsOf(file: string, text?: string): {specifier: string; kind: EdgeKind}[];
export function buildGraph(root: string): Graph;
export function cyclicComponents(graph: Graph): string[][];
export function cycleThrough(graph: Graph, component: string[], start?: string): string[];
export function checkCycles(root: string, allowed?: string[][]): {graph: Graph; cycles: string[][]; unlisted: string[][]; stale: string[][]};
export function describe(graph: Graph, component: string[]): string;
