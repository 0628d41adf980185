// Realistic, deterministic access logs for the demo and the tests: two days of normal use by
// the team's own addresses (with a habitual nightly job), then, after the exposure, foreign
// addresses at 3 a.m., a burst of 401s and an hourly spike. Other keys' lines are mixed in, and
// a few broken lines too. Times are UTC; the team works 08–19 UTC.

export type DemoLogOptions = {
	key: string;
	/** Epoch ms of the exposure; the log starts two days before it and ends a day after. */
	exposureAt: number;
	format: 'combined' | 'jsonl';
	/** Epoch ms the log ends (default: a day after the exposure). */
	end?: number;
	/** A few lines that are not in the format (they hold the key, so they are read). */
	broken?: boolean;
};

export const DEMO_TEAM_IPS = ['203.0.113.10', '203.0.113.11', '10.0.4.12'];
export const DEMO_FOREIGN_IPS = ['185.220.101.7', '45.155.205.33', '2a03:b0c0:3:d0::1f1:6001'];
const OTHER_KEYS = ['Zq8dR3vN6mL2pX9wB4tK1s', 'Hc5jW8eA2uY7nQ3fM6gP0r'];

function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1_664_525 + 1_013_904_223) >>> 0;
		return state / 2 ** 32;
	};
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function clfTime(t: number): string {
	const d = new Date(t);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

type Row = {t: number; ip: string; key: string; path: string; status: number; ua: string};

function line(row: Row, format: 'combined' | 'jsonl'): string {
	if (format === 'jsonl') return JSON.stringify({time: new Date(row.t).toISOString(), remote_addr: row.ip, request: `GET ${row.path}?key=${row.key}`, status: row.status, user_agent: row.ua});
	return `${row.ip} - - [${clfTime(row.t)}] "GET ${row.path}?key=${encodeURIComponent(row.key)} HTTP/1.1" ${row.status} ${200 + (row.t % 800)} "-" "${row.ua}"`;
}

export function demoAccessLog(options: DemoLogOptions): string {
	const rand = random(42);
	const HOUR = 3_600_000;
	const start = Math.floor(options.exposureAt / HOUR) * HOUR - 48 * HOUR;
	const end = Math.max(options.end ?? options.exposureAt + 24 * HOUR, options.exposureAt + 4 * HOUR);
	const rows: Row[] = [];
	const team = (t: number, ip: string): Row => ({t, ip, key: options.key, path: `/v1/images/${Math.floor(rand() * 1e6).toString(36)}`, status: rand() < 0.97 ? 200 : 404, ua: 'image-tagger/2.3 (+node 20)'});
	for (let hour = start; hour < end; hour += HOUR) {
		const utcHour = new Date(hour).getUTCHours();
		const day = new Date(hour).getUTCDay();
		const working = day !== 0 && day !== 6 && utcHour >= 8 && utcHour < 19;
		const requests = working ? 20 + Math.floor(rand() * 15) : 0;
		for (let index = 0; index < requests; index++) rows.push(team(hour + Math.floor(rand() * HOUR), DEMO_TEAM_IPS[index % DEMO_TEAM_IPS.length]!));
		// The nightly batch job runs from the office address every night at 02:xx.
		if (utcHour === 2) for (let index = 0; index < 6; index++) rows.push(team(hour + index * 60_000, DEMO_TEAM_IPS[0]!));
		// Other keys, all day long: lines the analysis must not count.
		for (let index = 0; index < 12; index++) rows.push({...team(hour + Math.floor(rand() * HOUR), '198.51.100.20'), key: OTHER_KEYS[index % 2]!});
	}
	// After the exposure: foreign addresses at 03:xx, probing (401s) then hammering (a spike).
	const night = Math.ceil((options.exposureAt - 3 * HOUR) / (24 * HOUR)) * 24 * HOUR + 3 * HOUR;
	const attackAt = night >= options.exposureAt ? night : night + 24 * HOUR;
	for (let index = 0; index < 30; index++) rows.push({t: attackAt + index * 40_000, ip: DEMO_FOREIGN_IPS[0]!, key: options.key, path: '/v1/account', status: 401, ua: 'python-requests/2.31.0'});
	for (let index = 0; index < 160; index++) rows.push({t: attackAt + 30 * 60_000 + index * 10_000, ip: DEMO_FOREIGN_IPS[index % 2]!, key: options.key, path: '/v1/images', status: 200, ua: 'python-requests/2.31.0'});
	rows.push({t: attackAt + 50 * 60_000, ip: DEMO_FOREIGN_IPS[2]!, key: options.key, path: '/v1/images', status: 200, ua: 'curl/8.5.0'});
	rows.sort((a, b) => a.t - b.t);
	const lines = rows.map(row => line(row, options.format));
	if (options.broken) {
		lines.splice(100, 0, `203.0.113.10 - - [broken time] "GET /v1/images?key=${options.key} HTTP/1.1" 200`);
		lines.splice(500, 0, `{"time": "2026-11-27T10:00:00Z", "request": "GET /?key=${options.key}"`);
		lines.splice(900, 0, `truncated line ${options.key}`);
	}
	return `${lines.join('\n')}\n`;
}

/** A CloudTrail file (`{"Records": [...]}`) for an AWS key id: normal use, then a foreign caller. */
export function demoCloudTrail(keyId: string, exposureAt: number): string {
	const HOUR = 3_600_000;
	const record = (t: number, ip: string, eventName: string, errorCode?: string, id = keyId) => ({
		eventVersion: '1.08',
		userIdentity: {type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/deploy', accountId: '123456789012', accessKeyId: id, userName: 'deploy'},
		eventTime: new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z'),
		eventSource: eventName.startsWith('Get') || eventName.startsWith('List') ? 's3.amazonaws.com' : 'ec2.amazonaws.com',
		eventName,
		awsRegion: 'eu-central-1',
		sourceIPAddress: ip,
		userAgent: ip.startsWith('203.') ? 'aws-sdk-js/3.600.0' : 'Boto3/1.34.0',
		...(errorCode ? {errorCode, errorMessage: 'You are not authorized to perform this operation.'} : {}),
		requestParameters: null,
		eventID: `e-${t}`,
	});
	const records = [];
	for (let index = 0; index < 48; index++) records.push(record(exposureAt - (48 - index) * HOUR + 10 * 60_000, '203.0.113.10', 'GetObject'));
	records.push(record(exposureAt - 5 * HOUR, '203.0.113.10', 'ListBuckets', undefined, `${'AK'}${'IA'}OTHEROTHEROTHER7` /* another key's id, built here: no key-shaped literal in the repo */));
	for (let index = 0; index < 12; index++) records.push(record(exposureAt + 2 * HOUR + index * 30_000, '185.220.101.7', index < 8 ? 'RunInstances' : 'DescribeInstances', index < 8 ? 'Client.UnauthorizedOperation' : undefined));
	return JSON.stringify({Records: records});
}
