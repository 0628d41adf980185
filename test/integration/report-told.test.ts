// "Who was told, when": report --format status --told WHO prints the update and records it on
// the incident (the communication item's note and the timeline). And an incident opened from a
// scanner report says in its report where the scanner found the key.
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {renderReport} from '../../src/core/report.js';
import {createRedactor} from '../../src/core/secrets.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

const BIN = path.resolve('bin/leakfix.js');

function leakfix(args: string[], home: string) {
	const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
	delete env.CI;
	const result = spawnSync(process.execPath, [BIN, ...args], {env, input: '', encoding: 'utf8', cwd: tempDir()});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

describe('the status update', () => {
	it('--told records who was told, when, on the incident', () => {
		const key = fakeCloudSightKey();
		const home = tempDir();
		const session = makeSession(key);
		const store = new SessionStore(sessionsDir(home), createRedactor([key]));
		store.save(session);
		const shared = leakfix(['report', session.id, '--format', 'status', '--told', 'security@example.com and #inc-42'], home);
		expect(shared.code).toBe(0);
		expect(shared.stdout).toMatch(/^\[leakfix\] Key in public repo/);
		const saved = store.load(session.id);
		expect(saved.timeline.at(-1)).toMatchObject({kind: 'status.shared', text: 'Status update shared with security@example.com and #inc-42'});
		expect(saved.steps.find(step => step.id === 'assess')!.progress['notify-owners']).toMatchObject({status: 'open', note: expect.stringMatching(/^told security@example\.com and #inc-42 \(status update, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/)});
		expect(leakfix(['report', session.id, '--format', 'md', '--told', 'x'], home)).toMatchObject({code: 2, stderr: expect.stringContaining('--told goes with --format status')});
	});

	it('an incident opened from a scanner report says where the scanner found it', () => {
		const key = fakeCloudSightKey();
		const session = {
			...makeSession(key),
			origin: {scanner: 'gitleaks', rule: 'generic-api-key', validity: 'unknown' as const, source: 'gitleaks.json', places: [{repo: 'acme/shop', file: 'src/config.js', line: 3, commit: 'abcdef1234567890', author: 'Bo', date: '2026-01-10'}], placesTotal: 2},
			group: {id: 'grp-1', index: 2, size: 3},
		};
		const md = renderReport(session, 'md', '2026-11-27T13:00:00.000Z', createRedactor([key]));
		expect(md).toContain('## Where the scanner found it');
		expect(md).toContain('- **Found by:** gitleaks (rule generic-api-key), gitleaks.json');
		expect(md).toContain('| acme/shop | src/config.js | 3 | `abcdef1234` | Bo | 2026-01-10 |');
		expect(md).toContain('secret 2 of 3 from one report');
		expect(md).toContain("… and 1 more place(s) in the scanner's report.");
	});
});
