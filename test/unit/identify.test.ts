// Recognition: every playbook's strong shape names its provider (keys generated at run time from
// the recognisers, and hand-built ones for the most leaked providers), near-misses do not, and
// context (a variable name) lifts a shape that needs it.
import {randomBytes} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {identifyKey, splitAssignment, strongCandidate} from '../../src/playbooks/recognise.js';
import {fakeKeys} from '../helpers/keys.js';
import {sampleOf} from '../helpers/regex-sample.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const random = (alphabet: string, length: number) => Array.from(randomBytes(length), byte => alphabet[byte % alphabet.length]).join('');

const playbooks = await loadPlaybooks();

describe('every playbook', () => {
	it('has a recogniser (a pattern, a variable name or a context word) and a probe or the reason it has none', () => {
		for (const provider of playbooks.providers) {
			if (provider.id === 'generic') continue;
			expect(provider.keyPatterns.length + provider.envVars.length + provider.context.length, provider.id).toBeGreaterThan(0);
			expect(provider.probe !== undefined || (provider.noProbe ?? '').length >= 10, provider.id).toBe(true);
			expect(provider.rotation.deactivate.steps.length, provider.id).toBeGreaterThan(0);
			expect(provider.logs.note.length, provider.id).toBeGreaterThan(0);
			expect(Object.values(provider.items).flat().length, `${provider.id} has its own checklist items`).toBeGreaterThan(0);
		}
	});

	it('covers at least 70 providers, generic and the kinds that are no one provider', () => {
		const kinds = new Set(playbooks.providers.map(provider => provider.kind));
		expect(playbooks.providers.filter(provider => provider.kind === 'provider').length).toBeGreaterThanOrEqual(70);
		for (const kind of ['generic', 'database-url', 'private-key', 'signing-secret', 'service-account', 'connection-string', 'webhook']) expect(kinds, kind).toContain(kind);
		for (const id of ['postgres-url', 'mysql-url', 'mongodb-url', 'redis-url', 'pem-private-key', 'openssh-private-key', 'pgp-private-key', 'gcp-service-account', 'azure-storage', 'slack-webhook', 'discord-webhook', 'teams-webhook']) {
			expect(playbooks.providers.map(provider => provider.id), id).toContain(id);
		}
	});
});

describe('identify', () => {
	it('names the provider of a generated key of every strong shape, alone and with high confidence', () => {
		let checked = 0;
		for (const provider of playbooks.providers) {
			for (const pattern of provider.keyPatterns.filter(candidate => candidate.strength === 'strong')) {
				for (let round = 0; round < 3; round++) {
					const key = sampleOf(pattern.regex);
					const candidates = identifyKey(playbooks, key);
					expect(candidates[0]?.provider.id, `${provider.id}: ${pattern.description}`).toBe(provider.id);
					expect(candidates[0]?.confidence).toBe('high');
					expect(strongCandidate(candidates)?.provider.id, `${provider.id}: no other provider claims the shape strongly`).toBe(provider.id);
					expect(candidates[0]?.reasons.join(' ')).not.toContain(key);
					checked++;
				}
			}
		}
		expect(checked).toBeGreaterThan(200);
	});

	it('names the right provider for hand-built keys of the most leaked kinds', () => {
		const cases: Array<[string, string]> = [
			['github', fakeKeys.github()],
			['github', 'github' + '_pat_' + random(ALNUM + '_', 82)],
			['gitlab', 'gl' + 'pat-' + random(ALNUM + '_-', 20)],
			['slack', fakeKeys.slack()],
			['stripe', fakeKeys.stripeLive()],
			['openai', fakeKeys.openai()],
			['anthropic', 'sk-' + 'ant-' + 'api03-' + random(ALNUM + '_-', 93) + 'AA'],
			['twilio', 'A' + 'C' + random(HEX, 32) + ':' + random(HEX, 32)],
			['sendgrid', 'S' + 'G.' + random(ALNUM + '_-', 22) + '.' + random(ALNUM + '_-', 43)],
			['npm', 'np' + 'm_' + random(ALNUM, 36)],
			['aws', fakeKeys.awsPair()],
			['google-api-key', 'AI' + 'za' + random(ALNUM + '_-', 35)],
			['huggingface', 'h' + 'f_' + random(ALNUM, 34)],
			['postgres-url', 'postgres' + '://app:' + random(ALNUM, 20) + '@db.example.com:5432/shop'],
			['openssh-private-key', '-----BEGIN ' + 'OPENSSH PRIVATE KEY-----\n' + random(ALNUM, 70) + '\n' + random(ALNUM, 40) + '\n-----END ' + 'OPENSSH PRIVATE KEY-----'],
			['gcp-service-account', JSON.stringify({type: 'service' + '_account', project_id: 'shop', private_key_id: random(HEX, 40)}, null, 2)],
			['slack-webhook', 'https://hooks.slack.com/services/' + 'T' + random('ABCDEFGHIJ0123456789', 9) + '/B' + random('ABCDEFGHIJ0123456789', 9) + '/' + random(ALNUM, 24)],
		];
		for (const [id, key] of cases) {
			const [best] = identifyKey(playbooks, key);
			expect(best?.provider.id, id).toBe(id);
			expect(best?.confidence, id).toBe('high');
		}
		expect(identifyKey(playbooks, fakeKeys.stripeTest())[0]).toMatchObject({testMode: true});
		expect(identifyKey(playbooks, fakeKeys.stripeLive())[0]).toMatchObject({fullAccess: true});
	});

	it('does not name a provider strongly for near-misses', () => {
		const nearMisses = [
			'GH' + 'P_' + random(ALNUM, 36), // wrong case
			'gh' + 'p_' + random(ALNUM, 35), // one short
			'gh' + 'p_' + random(ALNUM, 36) + '!', // a character no token has
			'x' + 'gh' + 'p_' + random(ALNUM, 36), // the prefix inside, not at the start
			'sk_' + 'live' + random(ALNUM, 24), // no underscore after live
			'gl' + 'pat_' + random(ALNUM, 20), // underscore instead of dash
			'A' + 'KIA' + random(ALNUM.toLowerCase(), 16), // an AWS key id in lower case, without secret
			'np' + 'm_' + random(ALNUM, 20), // too short
			'postgres' + '://db.example.com:5432/shop', // a URL without a password
			'-----BEGIN ' + 'PUBLIC KEY-----\n' + random(ALNUM, 60) + '\n-----END ' + 'PUBLIC KEY-----', // a public key
		];
		for (const key of nearMisses) {
			const candidates = identifyKey(playbooks, key);
			expect(candidates.filter(candidate => candidate.confidence === 'high').map(candidate => candidate.provider.id), key.slice(0, 12)).toEqual([]);
		}
	});

	it('lets a shape that needs context count only with it, and names the context as the reason', () => {
		const hex32 = random(HEX, 32);
		expect(identifyKey(playbooks, hex32).map(candidate => candidate.provider.id)).toEqual([]);
		const withContext = identifyKey(playbooks, hex32, ['TWILIO_AUTH_TOKEN']);
		expect(withContext[0]).toMatchObject({provider: {id: 'twilio'}, confidence: 'medium'});
		expect(withContext[0]!.reasons.join(' ')).toMatch(/shape: .*context: the variable name/);
		// A signing secret has no shape: its variable name is the recogniser.
		expect(identifyKey(playbooks, random(ALNUM, 40), ['JWT_SECRET'])[0]).toMatchObject({provider: {id: 'signing-secret'}, confidence: 'medium'});
		// Context that contradicts a strong shape stays low, and the shape wins.
		const stripe = identifyKey(playbooks, fakeKeys.stripeLive(), ['GITHUB_TOKEN']);
		expect(stripe[0]).toMatchObject({provider: {id: 'stripe'}, confidence: 'high'});
		expect(stripe.find(candidate => candidate.provider.id === 'github')).toMatchObject({confidence: 'low'});
	});

	it('keeps CloudSight the only shape-only match of a CloudSight-shaped key (intake preselects it)', () => {
		const key = randomBytes(16).toString('base64url');
		expect(identifyKey(playbooks, key).map(candidate => [candidate.provider.id, candidate.confidence])).toEqual([['cloudsight', 'low']]);
	});

	it('splits a NAME=value line into the key and its variable name, and leaves a bare key alone', () => {
		const key = fakeKeys.stripeLive();
		expect(splitAssignment(`export STRIPE_SECRET_KEY="${key}"\n`)).toEqual({key, context: ['STRIPE_SECRET_KEY']});
		expect(splitAssignment(`${key}\n`)).toEqual({key, context: []});
		const base64 = randomBytes(30).toString('base64');
		expect(splitAssignment(base64).key).toBe(base64);
	});

	it('is fast: a thousand keys identified in well under a few seconds (about 0.2 ms each on an idle machine)', () => {
		const keys = Array.from({length: 1000}, (_, index) => (index % 2 === 0 ? fakeKeys.github() : random(ALNUM, 40)));
		const started = performance.now();
		for (const key of keys) identifyKey(playbooks, key, ['SOME_TOKEN']);
		expect(performance.now() - started).toBeLessThan(3000); // loose: other tests share the machine
	});
});
