// Times as logs write them: nginx/Apache `[time_local]` (by hand, the day cached) and anything
// else a JSON or CSV log may hold (ISO text, epoch seconds or milliseconds). Pure.
const MONTHS: Record<string, number> = {Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11};

let lastDay = '';
let lastZone = '';
let lastDayMs = 0;

const digits2 = (text: string, at: number) => {
	const a = text.charCodeAt(at) - 48;
	const b = text.charCodeAt(at + 1) - 48;
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/** `27/Nov/2026:03:12:45 +0100` (nginx/Apache `[time_local]`). The day and zone are cached: logs come in order. */
export function parseClfTime(text: string): number | null {
	// dd/Mon/yyyy:hh:mm:ss +hhmm
	if (text.length !== 26 || text.charCodeAt(11) !== 58 || text.charCodeAt(14) !== 58 || text.charCodeAt(17) !== 58 || text.charCodeAt(20) !== 32) return parseClfTimeSlow(text);
	const hours = digits2(text, 12);
	const minutes = digits2(text, 15);
	const seconds = digits2(text, 18);
	if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 60) return null;
	// The same day and zone as the line before (no new string to compare).
	if (!(text.startsWith(lastDay) && text.endsWith(lastZone) && lastDay !== '')) {
		const midnight = parseClfTimeSlow(`${text.slice(0, 11)}:00:00:00${text.slice(20)}`);
		if (midnight === null) return null;
		lastDay = text.slice(0, 11);
		lastZone = text.slice(20);
		lastDayMs = midnight;
	}
	return lastDayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

function parseClfTimeSlow(text: string): number | null {
	const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?$/.exec(text);
	if (!m) return null;
	const month = MONTHS[m[2]!];
	if (month === undefined) return null;
	const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
	if (new Date(utc).getUTCDate() !== Number(m[1]) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return null; // 32/Nov, 25:00
	
	const offset = m[7] ? (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000 : 0;
	return utc - offset;
}

/** ISO text, CLF text, or epoch seconds / milliseconds. */
export function parseAnyTime(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
	if (typeof value !== 'string' || value === '') return null;
	if (/^\d+(\.\d+)?$/.test(value)) return parseAnyTime(Number(value));
	const clf = parseClfTime(value);
	if (clf !== null) return clf;
	let text = /^\d{4}-\d{2}-\d{2} \d/.test(value) ? value.replace(' ', 'T') : value;
	// A date-time without a zone is UTC (never this machine's zone: the same log reads the same everywhere).
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += 'Z';
	const iso = Date.parse(text);
	return Number.isNaN(iso) ? null : iso;
}

