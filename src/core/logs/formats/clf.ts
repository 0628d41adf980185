// nginx/Apache combined and common lines, parsed by hand (the hot path). Pure.
import {clean, CONTROL, type ParseResult} from './fields.js';
import {parseClfTime} from './time.js';

// host ident user [time] "request" status bytes ["referer" "user-agent"] [anything after]
export const CLF = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?/;

/** The path of `GET /v1/images?x=1 HTTP/1.1`, without its query (which may hold a key). */
export function requestPath(request: string): string | null {
	const space = request.indexOf(' ');
	const method = space === -1 ? '' : request.slice(0, space);
	const from = space + 1;
	let end = request.indexOf(' ', from);
	if (end === -1) end = request.length;
	const query = request.indexOf('?', from);
	if (query !== -1 && query < end) end = query;
	const path = request.slice(from, end);
	if (!path || path === '-') return null;
	return method ? `${method} ${path}` : path;
}

/** The end of a quoted field that starts after `from` (the index of its closing quote), or -1. */
function closingQuote(line: string, from: number): number {
	for (let at = line.indexOf('"', from); at !== -1; at = line.indexOf('"', at + 1)) {
		let backslashes = 0;
		while (line.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
		if (backslashes % 2 === 0) return at;
	}
	return -1;
}

const NOT_CLF: ParseResult = {ok: false, reason: 'not in combined/common log format'};

/** host ident user [time] "request" status bytes ["referer" "user-agent"]: by hand, no regex (the hot path). */
export function parseClfLine(line: string): ParseResult {
	const s1 = line.indexOf(' ');
	const s2 = s1 === -1 ? -1 : line.indexOf(' ', s1 + 1);
	const s3 = s2 === -1 ? -1 : line.indexOf(' ', s2 + 1);
	if (s3 === -1 || line.charCodeAt(s3 + 1) !== 91) return NOT_CLF; // [
	const close = line.indexOf(']', s3 + 2);
	if (close === -1 || line.charCodeAt(close + 1) !== 32 || line.charCodeAt(close + 2) !== 34) return NOT_CLF;
	const requestEnd = closingQuote(line, close + 3);
	if (requestEnd === -1 || line.charCodeAt(requestEnd + 1) !== 32) return NOT_CLF;
	const afterStatus = line.charCodeAt(requestEnd + 5);
	let status: number | null;
	if (line.charCodeAt(requestEnd + 2) === 45 && line.charCodeAt(requestEnd + 3) === 32) status = null; // "-"
	else {
		const hundreds = line.charCodeAt(requestEnd + 2) - 48;
		const tens = line.charCodeAt(requestEnd + 3) - 48;
		const units = line.charCodeAt(requestEnd + 4) - 48;
		if (afterStatus !== 32 || !(hundreds >= 0 && hundreds <= 9 && tens >= 0 && tens <= 9 && units >= 0 && units <= 9)) return NOT_CLF;
		status = hundreds * 100 + tens * 10 + units;
	}
	const timeText = line.slice(s3 + 2, close);
	const t = parseClfTime(timeText);
	if (t === null) return {ok: false, reason: `unreadable time "${timeText}"`};
	// Fields are cleaned of control characters only when the line has any (rarely): one test per line.
	const dirty = CONTROL.test(line);
	// Optional "referer" "user-agent" after the byte count.
	let ua: string | null = null;
	const bytesEnd = line.indexOf(' ', requestEnd + (status === null ? 4 : 6));
	if (bytesEnd !== -1 && line.charCodeAt(bytesEnd + 1) === 34) {
		const refererEnd = closingQuote(line, bytesEnd + 2);
		if (refererEnd !== -1 && line.charCodeAt(refererEnd + 1) === 32 && line.charCodeAt(refererEnd + 2) === 34) {
			const uaEnd = closingQuote(line, refererEnd + 3);
			if (uaEnd !== -1) {
				const text = line.slice(refererEnd + 3, uaEnd);
				ua = text === '-' || text === '' ? null : dirty ? clean(text) : text;
			}
		}
	}
	const user = line.slice(s2 + 1, s3);
	const path = requestPath(line.slice(close + 3, requestEnd));
	return {
		ok: true,
		event: {t, ip: dirty ? clean(line.slice(0, s1)) : line.slice(0, s1), status, path: path === null ? null : dirty ? clean(path) : path, ua, country: null, keyId: user === '-' ? null : dirty ? clean(user) : user},
	};
}

