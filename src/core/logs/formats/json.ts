// JSON lines: the fields found through the field map (dotted paths, first match wins). Pure.
import {type FieldMap, type ParseResult, fieldText} from './fields.js';
import {requestPath} from './clf.js';
import {parseAnyTime} from './time.js';

export function lookup(object: unknown, path: string, parts: string[] | null): unknown {
	if (object === null || typeof object !== 'object') return undefined;
	const direct = (object as Record<string, unknown>)[path];
	if (direct !== undefined || parts === null) return direct;
	let node: unknown = object;
	for (const part of parts) {
		if (node === null || typeof node !== 'object') return undefined;
		node = (node as Record<string, unknown>)[part];
	}
	return node;
}

/** Dotted paths split once, not per line. */
const splitCache = new Map<string, string[] | null>();
function partsOf(path: string): string[] | null {
	let parts = splitCache.get(path);
	if (parts === undefined) {
		parts = path.includes('.') ? path.split('.') : null;
		splitCache.set(path, parts);
	}
	return parts;
}

/** The first path that holds a value. The path that answered last time is tried first (a log's lines share one shape). */
const lastHit = new WeakMap<string[], string>();
function first(object: unknown, paths: string[]): unknown {
	const hit = lastHit.get(paths);
	if (hit !== undefined) {
		const value = lookup(object, hit, partsOf(hit));
		if (value !== undefined && value !== null && value !== '') return value;
	}
	for (const path of paths) {
		if (path === hit) continue;
		const value = lookup(object, path, partsOf(path));
		if (value !== undefined && value !== null && value !== '') {
			lastHit.set(paths, path);
			return value;
		}
	}
	return undefined;
}
/** The first address of an X-Forwarded-For style list. */
const firstIp = (value: string | null): string | null => (value === null ? null : value.split(',')[0]!.trim() || null);

export function eventFromObject(object: unknown, fields: FieldMap): ParseResult {
	if (object === null || typeof object !== 'object' || Array.isArray(object)) return {ok: false, reason: 'not a JSON object'};
	const t = parseAnyTime(first(object, fields.time));
	if (t === null) return {ok: false, reason: `no readable time (looked for ${fields.time.slice(0, 4).join(', ')}…)`};
	const status = first(object, fields.status);
	const rawPath = fieldText(first(object, fields.path));
	return {
		ok: true,
		event: {
			t,
			ip: firstIp(fieldText(first(object, fields.ip))),
			status: status === undefined ? null : Number.isFinite(Number(status)) ? Number(status) : null,
			path: rawPath === null ? null : rawPath.includes(' ') ? requestPath(rawPath) : rawPath.split('?')[0]!,
			ua: fieldText(first(object, fields.ua)),
			country: fieldText(first(object, fields.country)),
			keyId: fieldText(first(object, fields.key)),
		},
	};
}

export function parseJsonLine(line: string, fields: FieldMap): ParseResult {
	let object: unknown;
	try {
		object = JSON.parse(line);
	} catch {
		return {ok: false, reason: 'not valid JSON'};
	}
	return eventFromObject(object, fields);
}

