// Scanner reports in each tool's real shape (test/fixtures/intake/README.md) → findings →
// secrets grouped by sha256, with provider, verdict and places; the secret never in a view.
import {describe, expect, it} from 'vitest';
import {parseReport} from '../../src/engines/intake/parse.js';
import {groupFindings, originOf, providerFor, secretView} from '../../src/engines/intake/group.js';
import {fingerprint, mask} from '../../src/core/secrets.js';
import {UserError} from '../../src/infra/errors.js';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {intakeFixture, intakeKeys} from '../helpers/intake.js';
import fs from 'node:fs';
import path from 'node:path';
import {INTAKE_FIXTURES} from '../helpers/intake.js';

const playbooks = await loadPlaybooks();
const keys = intakeKeys();

function read(name: string) {
	const report = parseReport(intakeFixture(name, keys), name);
	return {report, secrets: groupFindings(report, playbooks)};
}

/** No view of a secret holds the key or a fragment of it longer than the masked tail. */
function expectNoSecret(value: unknown) {
	const text = JSON.stringify(value);
	for (const key of Object.values(keys)) {
		expect(text).not.toContain(key);
		expect(text).not.toContain(key.slice(8, 20));
	}
}

describe('intake parsers', () => {
	it('reads gitleaks JSON: one secret in two places is one secret; rule ids name the provider', () => {
		const {report, secrets} = read('gitleaks.json');
		expect(report.format).toBe('gitleaks-json');
		expect(report.findings).toHaveLength(3);
		expect(secrets).toHaveLength(2);
		const [github, stripe] = secrets;
		expect(github!.fingerprint).toBe(fingerprint(keys.github));
		expect(github!.masked).toBe(mask(keys.github));
		expect(github!.provider).toMatchObject({id: 'github', why: 'the scanner\'s rule "github-pat"'});
		expect(github!.places.map(place => place.file)).toEqual(['src/deploy.js', '.env']); // earliest first
		expect(github!.places[1]).toMatchObject({line: 3, commit: '3b1f2a9c4d5e6f708192a3b4c5d6e7f8091a2b3c', author: 'Dana Dev <dana@example.com>', date: '2026-10-02T09:14:05Z'});
		expect(github!.validity).toBe('not-checked');
		expect(stripe!.provider.id).toBe('stripe');
		expectNoSecret(secrets.map(secretView));
		expectNoSecret(secrets.map(secret => originOf(secret, 'gitleaks.json')));
	});

	it('reads gitleaks SARIF: the secret is the snippet, the commit and author in partialFingerprints', () => {
		const {report, secrets} = read('gitleaks.sarif');
		expect(report.format).toBe('gitleaks-sarif');
		expect(secrets).toHaveLength(1);
		expect(secrets[0]).toMatchObject({fingerprint: fingerprint(keys.slack), provider: {id: 'slack'}, rules: ['slack-bot-token']});
		expect(secrets[0]!.places[0]).toEqual({file: 'config/slack.yml', line: 7, commit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', author: 'Lee Bot <lee@example.com>', date: '2026-11-01T08:00:00Z'});
	});

	it('reads TruffleHog JSON lines: Verified is the verdict, the verification error is said', () => {
		const {report, secrets} = read('trufflehog.jsonl');
		expect(report.format).toBe('trufflehog-jsonl');
		expect(report.findings).toHaveLength(3);
		expect(secrets).toHaveLength(2);
		expect(secrets[0]).toMatchObject({fingerprint: fingerprint(keys.github), provider: {id: 'github'}, validity: 'valid', validityText: 'verified', findings: 2});
		expect(secrets[0]!.places[0]).toMatchObject({repo: 'https://github.com/acme/test_keys', file: 'keys', line: 4, author: 'counter <counter@example.com>'});
		expect(secrets[1]).toMatchObject({provider: {id: 'stripe'}, validity: 'unknown', validityText: 'unverified: unexpected HTTP response status 503'});
		expect(secrets[1]!.places[0]).toEqual({file: 'deploy/.env', line: 2});
	});

	it('skips TruffleHog\'s own log lines mixed into the report (2>&1), and says how many', () => {
		const text = `🐷🔑🐷  TruffleHog. Unearth your secrets. 🐷🔑🐷\n${intakeFixture('trufflehog.jsonl', keys)}{"level":"info-0","msg":"finished scanning","chunks":12}\n`;
		const report = parseReport(text, 'th.log');
		expect(report.findings).toHaveLength(3);
		expect(report.warnings).toEqual(['2 lines of th.log are not a finding and were skipped.']);
	});

	it('reads TruffleHog\'s AWS pair (Raw the key id, RawV2 id and secret) as leakfix\'s "id:secret"', () => {
		const pair = 'AK' + 'IA' + 'Q'.repeat(16);
		const secret = 'x'.repeat(20) + 'Y'.repeat(20);
		const line = JSON.stringify({SourceMetadata: {Data: {Filesystem: {file: 'a.env', line: 1}}}, DetectorName: 'AWS', Verified: false, Raw: pair, RawV2: pair + secret});
		const report = parseReport(line, 'aws.jsonl');
		expect(report.findings[0]!.secret).toBe(`${pair}:${secret}`);
		expect(groupFindings(report, playbooks)[0]!.provider.id).toBe('aws');
	});

	it('reads ggshield JSON with --show-secrets; the validity is GitGuardian\'s', () => {
		const {report, secrets} = read('ggshield.json');
		expect(report.format).toBe('ggshield-json');
		expect(secrets.map(secret => [secret.provider.id, secret.validity, secret.validityText])).toEqual([
			['stripe', 'valid', 'valid'],
			['slack', 'not-checked', 'no_checker'],
		]);
		expect(secrets[0]!.places[0]).toEqual({file: 'config/settings.py', line: 8, url: 'https://dashboard.gitguardian.com/workspace/1/incidents/4242'});
	});

	it('reads ggshield JSON without --show-secrets as a finding whose key must be typed', () => {
		const {secrets} = read('ggshield-redacted.json');
		expect(secrets).toHaveLength(1);
		expect(secrets[0]).toMatchObject({secret: null, fingerprint: null, masked: null, provider: {id: 'stripe'}});
		expect(secretView(secrets[0]!)).toMatchObject({redacted: true, note: 'the scanner redacted the secret: the key must be typed'});
		// The scanner's own starred form (which shows more than leakfix's mask) is not shown.
		expect(JSON.stringify(secretView(secrets[0]!))).not.toContain('sk_l*');
	});

	it('reads gitleaks --redact output as redacted', () => {
		const {secrets} = read('gitleaks-redacted.json');
		expect(secrets[0]).toMatchObject({secret: null, provider: {id: 'stripe'}});
	});

	it('reads Kingfisher JSON: snippet is the secret, validation status the verdict, git metadata the place', () => {
		const {report, secrets} = read('kingfisher.json');
		expect(report.format).toBe('kingfisher-json');
		expect(secrets.map(secret => [secret.provider.id, secret.validity, secret.validityText])).toEqual([
			['github', 'valid', 'Active Credential'],
			['stripe', 'invalid', 'Inactive Credential'],
		]);
		expect(secrets[0]!.places[0]).toMatchObject({repo: 'https://github.com/acme/shop', file: '.env', line: 3, commit: '3b1f2a9c4d5e6f708192a3b4c5d6e7f8091a2b3c', author: 'Dana Dev <dana@example.com>'});
		expect(secrets[1]!.places[0]).toEqual({file: '/tmp/kf/shop/.env', line: 4});
	});

	it('reads another tool\'s SARIF: the snippet is a line of code, so the key must be typed; the rule still names the provider', () => {
		const {report, secrets} = read('generic.sarif');
		expect(report).toMatchObject({format: 'sarif', scanner: 'semgrep oss'});
		expect(secrets[0]).toMatchObject({secret: null, provider: {id: 'stripe'}, places: [{file: 'billing/client.py', line: 14}]});
	});

	it('falls back to leakfix\'s recognisers when the rule names no provider, else generic', () => {
		expect(providerFor(playbooks, ['generic-api-key'], keys.stripe)).toMatchObject({id: 'stripe'});
		expect(providerFor(playbooks, ['generic-api-key'], keys.stripe).why).toMatch(/^leakfix's recogniser/);
		expect(providerFor(playbooks, ['generic-api-key'], 'q'.repeat(30))).toMatchObject({id: 'generic'});
		// Any playbook the rule names: its whole id, or its first word when only one playbook has it.
		expect(providerFor(playbooks, ['sentry-access-token'], null)).toMatchObject({id: 'sentry', why: 'the scanner\'s rule "sentry-access-token"'});
		expect(providerFor(playbooks, ['DiscordWebhook'], null)).toMatchObject({id: 'discord-webhook'});
		expect(providerFor(playbooks, ['mongodb-connection-string'], null)).toMatchObject({id: 'mongodb-url'});
		expect(providerFor(playbooks, ['discord-client-secret'], null)).toMatchObject({id: 'generic'}); // discord-bot or -webhook: not guessed
	});

	it('refuses an empty report, an empty findings list, unknown JSON and text with clear messages', () => {
		const bad = (text: string, name: string) => {
			try {
				parseReport(text, name);
			} catch (error) {
				expect(error).toBeInstanceOf(UserError);
				return (error as Error).message;
			}
			throw new Error('no error');
		};
		expect(bad('', 'r.json')).toBe('r.json is empty: no findings to open incidents from.');
		expect(bad(fs.readFileSync(path.join(INTAKE_FIXTURES, 'empty.json'), 'utf8'), 'empty.json')).toMatch(/lists no findings/);
		expect(bad(fs.readFileSync(path.join(INTAKE_FIXTURES, 'unknown.json'), 'utf8'), 'unknown.json')).toMatch(/unknown report format/);
		expect(bad(fs.readFileSync(path.join(INTAKE_FIXTURES, 'not-a-report.txt'), 'utf8'), 'x.txt')).toMatch(/is not JSON/);
		expect(bad('{"type": "path_scan", "id": "x", "total_incidents": 0, "total_occurrences": 0}', 'gg.json')).toMatch(/ggshield JSON\) lists no findings/);
	});
});
