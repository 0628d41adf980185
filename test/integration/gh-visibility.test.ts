// An organisation secret keeps whom it is shared with: gh secret set --org without --visibility
// would send "private". A recording stub gh on PATH answers the reads and records the set.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {planUpdate} from '../../src/core/stores.js';
import {applyUpdate} from '../../src/engines/rotate.js';
import {answersFromEntry, entryFromAnswers, entryQuestions} from '../../src/ui/inventoryForm.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {stubBin, withPath} from '../helpers/stubs.js';

const redact = (secret: string) => (text: string) => text.split(secret).join('…');

/** A gh that answers `gh api orgs/…` with the visibility, `gh api --paginate …/repositories` with the repos. */
function ghStub(answers: {visibility: string; repos?: string[]; readExit?: number}) {
	const stubs = stubBin({});
	const log = path.join(stubs.dir, 'gh.calls');
	const repos = path.join(stubs.dir, 'repos.txt');
	fs.writeFileSync(repos, (answers.repos ?? []).map(repo => `${repo}\n`).join(''));
	fs.writeFileSync(
		path.join(stubs.dir, 'gh'),
		[
			'#!/bin/sh',
			'PATH=/usr/bin:/bin',
			'{',
			'  printf "=== call\\n"',
			'  for arg in "$@"; do printf "argv %s\\n" "$arg"; done',
			'  printf "env %s\\n" "$(env | grep -E "KEY|SECRET|TOKEN|PASS" | tr "\\n" " ")"',
			'  printf "stdin %s\\n" "$(cat | base64 | tr -d "\\n")"',
			`} >> '${log}'`,
			'if [ "$1" = api ] && [ "$2" = --paginate ]; then cat ' + `'${repos}'; exit 0; fi`,
			`if [ "$1" = api ]; then ${answers.readExit ? `echo 'gh: Not Found (HTTP 404)' >&2; exit ${answers.readExit}` : `echo '${answers.visibility}'; exit 0`}; fi`,
			'exit 0',
			'',
		].join('\n'),
		{mode: 0o755},
	);
	return stubs;
}

const ORG_STORE = {type: 'github-actions' as const, org: 'acme', name: 'CLOUDSIGHT_API_KEY'};

async function run(stubs: ReturnType<typeof stubBin>, secret: string) {
	return withPath(stubs.dir, () => applyUpdate(planUpdate(ORG_STORE, '…masked'), secret, {redact: redact(secret), stamp: 'x'}));
}

describe('an organisation secret keeps its visibility', () => {
	for (const visibility of ['all', 'private']) {
		it(`${visibility}: read first, then set with --visibility ${visibility}; the repositories are not read`, async () => {
			const secret = fakeCloudSightKey();
			const stubs = ghStub({visibility});
			const result = await run(stubs, secret);
			expect(result).toMatchObject({status: 'done', detail: expect.stringContaining(`(visibility kept: ${visibility})`)});
			const calls = stubs.calls('gh');
			expect(calls.map(call => call.argv)).toEqual([
				['api', 'orgs/acme/actions/secrets/CLOUDSIGHT_API_KEY', '--jq', '.visibility'],
				['secret', 'set', 'CLOUDSIGHT_API_KEY', '--org', 'acme', '--visibility', visibility],
			]);
			expect(calls[0]!.stdin).toBe('');
			expect(calls[1]!.stdin).toBe(secret);
			for (const call of calls) expect(`${call.argv.join(' ')} ${call.env}`).not.toContain(secret);
		});
	}

	it('selected: reads the repositories (every page) and sets it again with --repos', async () => {
		const secret = fakeCloudSightKey();
		const stubs = ghStub({visibility: 'selected', repos: ['acme/web', 'acme/api']});
		const result = await run(stubs, secret);
		expect(result).toMatchObject({status: 'done', detail: expect.stringContaining('(visibility kept: selected, 2 repositories: acme/web, acme/api)')});
		expect(stubs.calls('gh').map(call => call.argv)).toEqual([
			['api', 'orgs/acme/actions/secrets/CLOUDSIGHT_API_KEY', '--jq', '.visibility'],
			['api', '--paginate', 'orgs/acme/actions/secrets/CLOUDSIGHT_API_KEY/repositories', '--jq', '.repositories[].full_name'],
			['secret', 'set', 'CLOUDSIGHT_API_KEY', '--org', 'acme', '--visibility', 'selected', '--repos', 'acme/web,acme/api'],
		]);
		expect(stubs.calls('gh')[2]!.stdin).toBe(secret);
	});

	it('selected with no repositories, an unknown visibility, or a failed read: nothing is set, and it says why', async () => {
		const secret = fakeCloudSightKey();
		const none = ghStub({visibility: 'selected', repos: []});
		expect(await run(none, secret)).toMatchObject({status: 'failed', detail: expect.stringContaining('none are selected')});
		expect(none.calls('gh').some(call => call.argv[0] === 'secret')).toBe(false);

		const odd = ghStub({visibility: 'internal'});
		expect(await run(odd, secret)).toMatchObject({status: 'failed', detail: expect.stringContaining('"internal", not all, private or selected')});
		expect(odd.calls('gh').some(call => call.argv[0] === 'secret')).toBe(false);

		const missing = ghStub({visibility: '', readExit: 1});
		expect(await run(missing, secret)).toEqual({status: 'failed', detail: "gh api orgs/acme/actions/secrets/CLOUDSIGHT_API_KEY (reading its visibility) failed (exit 1): gh: Not Found (HTTP 404) (does it exist? check the entry's address)"});
		expect(missing.calls('gh')).toHaveLength(1);
	});

	it('the plan (consent and dry-run lines) says the visibility is read and kept', () => {
		const plan = planUpdate(ORG_STORE, '…NEWK');
		expect(plan.display).toEqual([
			'gh api orgs/acme/actions/secrets/CLOUDSIGHT_API_KEY --jq .visibility  (reads its visibility: all, private or selected; it is kept)',
			'gh api --paginate orgs/acme/actions/secrets/CLOUDSIGHT_API_KEY/repositories --jq \'.repositories[].full_name\'  (only when it is selected: the repositories it is shared with)',
			'gh secret set CLOUDSIGHT_API_KEY --org acme --visibility <its current visibility> [--repos <its repositories, when selected>]  < …NEWK',
		]);
		expect(plan.kind === 'commands' && plan.why).toMatch(/gh would otherwise make it private/);
	});

	it('a repository secret is set as before, with no visibility read', async () => {
		const secret = fakeCloudSightKey();
		const stubs = ghStub({visibility: 'all'});
		const result = await withPath(stubs.dir, () => applyUpdate(planUpdate({type: 'github-actions', repo: 'acme/web', name: 'K', environment: 'production'}, '…'), secret, {redact: redact(secret), stamp: 'x'}));
		expect(result.status).toBe('done');
		expect(stubs.calls('gh').map(call => call.argv)).toEqual([['secret', 'set', 'K', '--repo', 'acme/web', '--env', 'production']]);
	});
});

describe('an entry with both an organisation and an environment', () => {
	const base = {id: 'svc-1', origin: 'manual' as const, evidence: []};
	const answers = {service: 'ci', environment: 'prod', storeType: 'github-actions', 'store.scope': 'org:acme', 'store.name': 'K', 'store.environment': 'production'};

	it('is refused at input: the environment question says why, and the entry is not made', () => {
		const question = entryQuestions(answers).find(q => q.id === 'store.environment');
		expect(question?.kind === 'text' && question.check?.('production')).toMatch(/An organisation secret has no environment/);
		expect(question?.kind === 'text' && question.check?.('')).toBeFalsy();
		const repoQuestion = entryQuestions({...answers, 'store.scope': 'acme/web'}).find(q => q.id === 'store.environment');
		expect(repoQuestion?.kind === 'text' && repoQuestion.check?.('production')).toBeNull();
		expect(() => entryFromAnswers(answers, base)).toThrow(/either an organisation's \(org:acme\) or a repository environment's \(production\), not both/);
		expect(entryFromAnswers({...answers, 'store.environment': ''}, base).store).toEqual({type: 'github-actions', org: 'acme', name: 'K'});
	});

	it('already saved (from before this check): planned as "cannot update", and updating it runs nothing', async () => {
		const store = {type: 'github-actions' as const, org: 'acme', name: 'K', environment: 'production'};
		const plan = planUpdate(store, '…');
		expect(plan).toMatchObject({kind: 'invalid', display: [expect.stringMatching(/^cannot update as written: .*only one of --org, --env or --user/)]});
		const secret = fakeCloudSightKey();
		const stubs = ghStub({visibility: 'all'});
		const result = await withPath(stubs.dir, () => applyUpdate(plan, secret, {redact: redact(secret), stamp: 'x'}));
		expect(result).toMatchObject({status: 'failed', detail: expect.stringMatching(/^not updated: a GitHub Actions secret is either/)});
		expect(stubs.calls('gh')).toEqual([]);
		expect(answersFromEntry({...base, service: 's', environment: 'prod', store})['store.scope']).toBe('org:acme'); // still editable
	});
});

describe('previewUpdate: what the consent and dry-run lines show before anything is written', () => {
	it('runs only the reads and says the current visibility (and repositories)', async () => {
		const {previewUpdate} = await import('../../src/engines/rotate.js');
		const plan = planUpdate(ORG_STORE, '…');
		const selected = ghStub({visibility: 'selected', repos: ['acme/web', 'acme/api']});
		expect(await withPath(selected.dir, () => previewUpdate(plan, {redact: text => text}))).toEqual(['now: visibility selected, shared with 2 repositories (acme/web, acme/api): set again as it is']);
		expect(selected.calls('gh').map(call => call.argv[0])).toEqual(['api', 'api']); // never `secret set`
		const all = ghStub({visibility: 'all'});
		expect(await withPath(all.dir, () => previewUpdate(plan, {redact: text => text}))).toEqual(['now: visibility all: it is set again as it is']);
		expect(all.calls('gh')).toHaveLength(1);
		const missing = ghStub({visibility: '', readExit: 1});
		expect(await withPath(missing.dir, () => previewUpdate(plan, {redact: text => text}))).toEqual([expect.stringMatching(/^now: gh api orgs\/acme\/actions\/secrets\/CLOUDSIGHT_API_KEY \(reading its visibility\) failed \(exit 1\): gh: Not Found \(HTTP 404\).*the update stops before writing/)]);
		expect(await previewUpdate(planUpdate({type: 'github-actions', repo: 'acme/web', name: 'K'}, '…'), {redact: text => text})).toEqual([]);
	});
});
