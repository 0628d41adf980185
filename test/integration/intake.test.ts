// `leakfix intake --from FILE | --from-github OWNER/REPO[#N]` through the CLI's main (real files,
// a recording gh stub on PATH that answers like the REST API), and incidents opened from a
// report: one per secret, linked as a group, the key never in the session file.
import fs from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {main, type Io} from '../../src/cli.js';
import {keyNeedles} from '../../src/core/needles.js';
import {createRedactor} from '../../src/core/secrets.js';
import {incidentStatus, transition} from '../../src/core/session.js';
import {sessionSchema} from '../../src/core/model.js';
import {openIncidents} from '../../src/engines/intake/open.js';
import {readReportFile} from '../../src/commands/intake.js';
import {listRows, renderListText} from '../../src/commands/list.js';
import {ExternalError, UserError} from '../../src/infra/errors.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {SessionStore} from '../../src/infra/store.js';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {tempDir, allFiles} from '../helpers/fs.js';
import {ghApiStub} from '../helpers/gh-api-stub.js';
import {intakeFixture, intakeKeys, writeIntakeFixture, type IntakeKeys} from '../helpers/intake.js';
import {withPath} from '../helpers/stubs.js';
import {makeSession} from '../unit/session-fixture.js';

const playbooks = await loadPlaybooks();

async function leakfix(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	let stdout = '';
	let stderr = '';
	const stdin = new PassThrough();
	stdin.end();
	const io: Io = {stdout: {write: (text: string) => (stdout += text)}, stderr: {write: (text: string) => (stderr += text)}, stdin};
	const code = await main(args, io);
	return {code, stdout, stderr};
}

/** No form of any of the keys (raw, percent-encoded, escaped) in the text. */
function expectNoKey(text: string, keys: IntakeKeys) {
	for (const key of Object.values(keys)) for (const needle of keyNeedles(key)) expect(text).not.toContain(needle.bytes.toString('latin1'));
}

describe('leakfix intake --from FILE', () => {
	for (const [fixture, secrets] of [
		['gitleaks.json', 2],
		['gitleaks.sarif', 1],
		['trufflehog.jsonl', 2],
		['ggshield.json', 2],
		['kingfisher.json', 2],
	] as const) {
		it(`prints ${fixture} by secret, masked, in text and JSON (exit 0)`, async () => {
			const keys = intakeKeys();
			const file = writeIntakeFixture(tempDir(), fixture, keys);
			const json = await leakfix(['intake', '--from', file, '--json']);
			expect(json.code).toBe(0);
			const read = JSON.parse(json.stdout) as {secrets: Array<{masked: string; provider: {id: string}; places: unknown[]}>; redacted: number; reportHoldsSecrets: boolean};
			expect(read.secrets).toHaveLength(secrets);
			expect(read.redacted).toBe(0);
			expect(read.reportHoldsSecrets).toBe(true);
			const text = await leakfix(['intake', '--from', file]);
			expect(text.code).toBe(0);
			expect(text.stdout).toContain(`${secrets} secret${secrets === 1 ? '' : 's'}.`);
			expect(text.stdout).toContain('holds these secrets in clear: delete it once the incidents are open');
			expectNoKey(json.stdout + json.stderr + text.stdout + text.stderr, keys);
		});
	}

	it('groups one key found in two files as one secret with both places (gitleaks)', async () => {
		const keys = intakeKeys();
		const file = writeIntakeFixture(tempDir(), 'gitleaks.json', keys);
		const {stdout} = await leakfix(['intake', '--from', file]);
		expect(stdout).toMatch(/1\. ghp_…\w{4} — GitHub[^\n]*\n\s+provider from the scanner's rule "github-pat"; rule github-pat\n\s+scanner's verdict: not checked by the scanner\n\s+2 places:\n\s+src\/deploy\.js:12 {2}commit 0c9d8e7f6a5b {2}by Sam Ops <sam@example\.com> {2}2026-09-28T16:40:00Z/);
		expect(stdout).toContain('2. sk_live_…');
	});

	it('shows outside text (file names, authors) with its control characters visible, in text and JSON', async () => {
		const keys = intakeKeys();
		const dir = tempDir();
		const file = path.join(dir, 'hostile.json');
		fs.writeFileSync(file, JSON.stringify([{RuleID: 'github-pat', Secret: keys.github, File: 'src/\u001B[2J\u001B[31mevil.js\nforged line', StartLine: 1, Commit: 'abc', Author: 'Mallory \u202Eevil', Email: 'm@example.com', Date: '2026-11-01'}]));
		const text = await leakfix(['intake', '--from', file]);
		expect(text.stdout).toContain('src/\\x1b[2J\\x1b[31mevil.js\\nforged line:1');
		expect(text.stdout).toContain('by Mallory \\u202eevil');
		expect(text.stdout).not.toMatch(/[\u001B\u202E]/);
		const json = await leakfix(['intake', '--from', file, '--json']);
		expect(json.stdout).not.toMatch(/[\u001B\u202E]/);
		expect(JSON.parse(json.stdout).secrets[0].places[0].file).toBe('src/\u001B[2J\u001B[31mevil.js\nforged line');
	});

	it('lists a redacted finding, says the key must be typed, and exits 2', async () => {
		const keys = intakeKeys();
		const file = writeIntakeFixture(tempDir(), 'ggshield-redacted.json', keys);
		const result = await leakfix(['intake', '--from', file]);
		expect(result.code).toBe(2);
		expect(result.stdout).toContain('1. redacted by the scanner: the key must be typed — Stripe');
		expect(result.stdout).toContain('scanner\'s verdict: works (the scanner checked) ("valid")');
		expect(result.stderr).toBe('leakfix: 1 of 1 secret came without the secret (the scanner redacted it): the key must be typed when its incident is opened.\n');
		const json = await leakfix(['intake', '--from', file, '--json']);
		expect(json.code).toBe(2);
		expect(JSON.parse(json.stdout).secrets[0]).toMatchObject({redacted: true, masked: null, note: 'the scanner redacted the secret: the key must be typed'});
	});

	it('refuses an unknown format, an empty report, a missing file and a missing --from with exit 2', async () => {
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, 'unknown.json'), '{"some": "thing"}');
		fs.writeFileSync(path.join(dir, 'empty.json'), '');
		const refused = async (args: string[]) => {
			const error = await leakfix(args).then(
				() => undefined,
				(thrown: unknown) => thrown,
			);
			expect(error).toBeInstanceOf(UserError);
			expect((error as UserError).exitCode).toBe(2);
			return (error as UserError).message;
		};
		expect(await refused(['intake', '--from', path.join(dir, 'unknown.json')])).toMatch(/^unknown\.json: unknown report format/);
		expect(await refused(['intake', '--from', path.join(dir, 'empty.json')])).toBe('empty.json is empty: no findings to open incidents from.');
		expect(await refused(['intake', '--from', path.join(dir, 'nope.json')])).toMatch(/Cannot read .*nope\.json: no such file\./);
		expect(await refused(['intake'])).toMatch(/needs one of --from FILE/);
		expect(await refused(['intake', '--from', 'a', '--from-github', 'o/r'])).toMatch(/needs one of --from FILE/);
		expect(await refused(['--from', 'a', '--key-stdin'])).toMatch(/--key-stdin does not apply/);
	});
});

describe('leakfix intake --from-github OWNER/REPO[#ALERT]', () => {
	const alertsPath = 'repos/acme/shop/secret-scanning/alerts?state=open&per_page=100';
	const locations = (n: number) => `repos/acme/shop/secret-scanning/alerts/${n}/locations?per_page=100`;

	function stubFor(keys: IntakeKeys) {
		const alerts = JSON.parse(intakeFixture('github-alerts.json', keys)) as unknown[];
		return ghApiStub({
			// Two pages, as gh api --paginate prints them: one array after the other.
			[alertsPath]: {body: `${JSON.stringify([alerts[0]])}${JSON.stringify([alerts[1]])}`},
			[locations(2)]: {body: intakeFixture('github-locations-2.json', keys)},
			[locations(1)]: {body: intakeFixture('github-locations-1.json', keys)},
			'repos/acme/shop/secret-scanning/alerts/2': {body: JSON.stringify(alerts[0])},
			// The commit's author and date (the alert API names only the commit); c0ffee… is not answered: 404.
			'repos/acme/shop/commits/f14d7debf9775f957cf4f1e8176da0786431f72b': {body: JSON.stringify({sha: 'f14d7debf9775f957cf4f1e8176da0786431f72b', commit: {author: {name: 'Dana Dev', email: 'dana@example.com', date: '2026-11-18T17:02:11Z'}, message: 'billing config'}})},
			'repos/acme/limited/secret-scanning/alerts?state=open&per_page=100': {error: 'gh: API rate limit exceeded for user ID 1234. (HTTP 403)'},
		});
	}

	it('reads the open alerts (every page) and each alert\'s locations through gh api; the secret never in argv', async () => {
		const keys = intakeKeys();
		const gh = stubFor(keys);
		const result = await withPath(gh.dir, () => leakfix(['intake', '--from-github', 'acme/shop', '--json']));
		expect(result.code).toBe(0);
		const read = JSON.parse(result.stdout) as {secrets: Array<Record<string, unknown>>};
		expect(read.secrets.map(secret => [(secret.provider as {id: string}).id, secret.validity, secret.validityText])).toEqual([
			['stripe', 'valid', 'active'],
			['github', 'unknown', 'unknown'],
		]);
		expect(read.secrets[0]!.places).toEqual([
			{repo: 'acme/shop', file: 'config/billing.yml', line: 5, commit: 'f14d7debf9775f957cf4f1e8176da0786431f72b', url: 'https://api.github.com/repos/acme/shop/git/blobs/af5626b4a114abcb82d63db7c8082c3c4756e51b', author: 'Dana Dev <dana@example.com>', date: '2026-11-18T17:02:11Z'},
			{repo: 'acme/shop', file: 'issue comment', url: 'https://api.github.com/repos/acme/shop/issues/comments/1081119402'},
		]);
		expect(gh.calls().map(call => call.at(-1))).toEqual([alertsPath, locations(2), locations(1), 'repos/acme/shop/commits/f14d7debf9775f957cf4f1e8176da0786431f72b', 'repos/acme/shop/commits/c0ffee1234567890abcdef1234567890abcdef12']);
		expect((read as unknown as {warnings: string[]}).warnings).toEqual(['The author and date of 1 commit could not be read (gh: gh: Not Found (HTTP 404)).']);
		expect(gh.calls()[0]).toEqual(['api', '--paginate', '-H', 'Accept: application/vnd.github+json', alertsPath]);
		expectNoKey(JSON.stringify(gh.calls()) + result.stdout + result.stderr, keys);
	});

	it('reads one alert by number', async () => {
		const keys = intakeKeys();
		const gh = stubFor(keys);
		const result = await withPath(gh.dir, () => leakfix(['intake', '--from-github', 'acme/shop#2']));
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Read GitHub secret-scanning alerts from acme/shop#2: 2 findings, 1 secret.');
		expect(gh.calls().map(call => call.at(-1))).toEqual(['repos/acme/shop/secret-scanning/alerts/2', locations(2), 'repos/acme/shop/commits/f14d7debf9775f957cf4f1e8176da0786431f72b']);
		expect(result.stdout).toContain('config/billing.yml:5  commit f14d7debf977  by Dana Dev <dana@example.com>  2026-11-18T17:02:11Z');
		expectNoKey(result.stdout, keys);
	});

	it('says a rate limit plainly, and refuses a malformed target', async () => {
		const gh = stubFor(intakeKeys());
		const error = await withPath(gh.dir, () => leakfix(['intake', '--from-github', 'acme/limited'])).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(ExternalError);
		expect((error as Error).message).toBe('gh api could not read the secret-scanning alerts of acme/limited: gh: API rate limit exceeded for user ID 1234. (HTTP 403) (GitHub\'s rate limit: wait for it to reset, then run this again)');
		const bad = await leakfix(['intake', '--from-github', 'acme']).catch((thrown: unknown) => thrown);
		expect((bad as Error).message).toMatch(/expected OWNER\/REPO or OWNER\/REPO#ALERT/);
		const missing = await withPath(gh.dir, () => leakfix(['intake', '--from-github', 'acme/gone'])).catch((thrown: unknown) => thrown);
		expect((missing as Error).message).toMatch(/Not Found \(HTTP 404\) \(no such repository or alert, secret scanning is off/);
	});
});

describe('incidents opened from a report', () => {
	it('opens one incident per picked secret, pre-filled, linked as a group; the key is in no file; list shows "N of M closed"', () => {
		const keys = intakeKeys();
		const dir = tempDir();
		const read = readReportFile(writeIntakeFixture(dir, 'trufflehog.jsonl', keys), playbooks);
		const redacted = readReportFile(writeIntakeFixture(dir, 'ggshield-redacted.json', keys), playbooks);
		const home = tempDir();
		const redactor = createRedactor();
		const store = new SessionStore(sessionsDir(home), redactor);
		const typed = keys.stripe;
		const sessions = openIncidents({
			store,
			playbooks,
			redactor,
			picked: [...read.secrets.map(secret => ({secret, key: secret.secret!})), {secret: redacted.secrets[0]!, key: typed}],
			source: 'trufflehog.jsonl',
			where: 'private-repo',
			at: '2026-11-29T08:00:00.000Z',
			cwd: dir,
		});
		expect(sessions).toHaveLength(3);
		const [github, stripe, typedOne] = sessions;
		expect(github).toMatchObject({provider: {id: 'github'}, group: {index: 1, size: 3}, origin: {scanner: 'trufflehog', rule: 'Github', validity: 'valid', validityText: 'verified', placesTotal: 2, source: 'trufflehog.jsonl'}});
		expect(github!.origin!.places[0]).toMatchObject({repo: 'https://github.com/acme/test_keys', file: 'keys', line: 4, commit: 'fbc14303ffbf8fb1c2c1914e8dda7d0121633aca'});
		expect(stripe).toMatchObject({provider: {id: 'stripe'}, group: {index: 2, size: 3}, origin: {validity: 'unknown'}});
		expect(typedOne).toMatchObject({provider: {id: 'stripe'}, group: {index: 3, size: 3}, origin: {scanner: 'ggshield', redacted: true}, leak: {url: 'https://dashboard.gitguardian.com/workspace/1/incidents/4242'}});
		expect(new Set(sessions.map(session => session.group!.id)).size).toBe(1);
		expect(github!.timeline.find(entry => entry.kind === 'incident.origin')!.text).toBe('From trufflehog (trufflehog.jsonl): rule Github, 2 places; scanner\'s verdict: the key works ("verified"); secret 1 of 3 opened from this report');
		expect(typedOne!.timeline.find(entry => entry.kind === 'incident.origin')!.text).toContain('the report held no key, so it was typed');

		// The session files hold no form of any key.
		const files = allFiles(sessionsDir(home)).map(file => file.content.toString('latin1')).join('\n');
		expectNoKey(files, keys);

		let rows = listRows(store.list().sessions);
		expect(rows.map(row => row.group && row.group.closed)).toEqual([0, 0, 0]);
		// Close one: every item of every step done.
		let closed = store.load(stripe!.id);
		for (const step of closed.steps) for (const item of step.items) closed = transition(closed, {type: 'item.done', step: step.id, item: item.id, at: '2026-11-29T09:00:00.000Z'});
		expect(incidentStatus(closed)).toBe('complete');
		store.save(closed);
		rows = listRows(store.list().sessions);
		expect(rows.every(row => row.group?.closed === 1 && row.group.size === 3)).toBe(true);
		const text = renderListText(rows, []);
		expect(text).toContain('(secret 1 of 3 from one report · 1 of 3 closed)');
		expect(text).toContain('(secret 3 of 3 from one report · 1 of 3 closed)');
	});

	it('one picked secret opens one incident with no group; a session without origin or group still loads', () => {
		const keys = intakeKeys();
		const dir = tempDir();
		const read = readReportFile(writeIntakeFixture(dir, 'gitleaks.sarif', keys), playbooks);
		const home = tempDir();
		const redactor = createRedactor();
		const store = new SessionStore(sessionsDir(home), redactor);
		const [session] = openIncidents({store, playbooks, redactor, picked: [{secret: read.secrets[0]!, key: read.secrets[0]!.secret!}], source: 'gitleaks.sarif', where: 'public-repo', at: '2026-11-29T08:00:00.000Z', cwd: dir});
		expect(session!.group).toBeUndefined();
		expect(session).toMatchObject({provider: {id: 'slack'}, leak: {where: 'public-repo'}, origin: {scanner: 'gitleaks', rule: 'slack-bot-token', validity: 'not-checked'}});
		const old = makeSession(keys.github);
		expect(old.origin).toBeUndefined();
		expect(sessionSchema.parse(JSON.parse(JSON.stringify(old)))).toEqual(old);
		store.save(old);
		expect(listRows(store.list().sessions).find(row => row.id === old.id)!.group).toBeUndefined();
	});
});
