import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {checklistFor, defaultPlaybookDir, findProvider, loadPlaybooks, matchKey, PlaybookError, playbookSources} from '../../src/playbooks/load.js';
import {parsePlaybooks} from '../../src/playbooks/parse.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey, fakeKeys, fakeStripeKey} from '../helpers/keys.js';

/** A copy of the shipped steps/ folder to break on purpose. */
function copyOfSteps(): string {
	const dir = tempDir();
	fs.cpSync(defaultPlaybookDir(), dir, {recursive: true});
	return dir;
}

function loadError(dir: string): PlaybookError {
	try {
		parsePlaybooks(dir);
	} catch (error) {
		if (error instanceof PlaybookError) return error;
		throw error;
	}
	throw new Error('expected the playbooks to fail to load');
}

describe('shipped playbooks', () => {
	it('load, with the generic fallback last', async () => {
		const playbooks = await loadPlaybooks();
		const ids = playbooks.providers.map(p => p.id);
		expect(ids.at(-1)).toBe('generic');
		expect(ids.slice(0, -1)).toEqual([...ids.slice(0, -1)].sort((a, b) => (`${a}.yaml` < `${b}.yaml` ? -1 : 1))); // file-name order
		for (const id of ['aws', 'cloudsight', 'github', 'openai', 'slack', 'stripe']) expect(ids).toContain(id);
		expect(Object.keys(playbooks.steps)).toEqual(['assess', 'logs', 'inventory', 'rotate', 'verify']);
	});

	it('give CloudSight its provider-specific items, including that its keys have no scopes', async () => {
		const playbooks = await loadPlaybooks();
		const cloudsight = findProvider(playbooks, 'cloudsight');
		expect(cloudsight.scopes).toBe('none');
		const steps = checklistFor(playbooks, cloudsight);
		const titles = steps.flatMap(step => step.items.filter(item => item.source === 'cloudsight').map(item => item.title)).join('\n');
		expect(titles).toMatch(/no scopes/);
		expect(titles).toMatch(/Generate the new key in the CloudSight dashboard/);
		expect(titles).toMatch(/Deactivate the old key/);
	});

	it('recognise a CloudSight-shaped key weakly and nothing for an unknown shape', async () => {
		const playbooks = await loadPlaybooks();
		expect(matchKey(playbooks, fakeCloudSightKey()).map(m => [m.provider.id, m.strength])).toEqual([['cloudsight', 'weak']]);
		expect(matchKey(playbooks, `tok!${fakeCloudSightKey()}#`)).toEqual([]);
		expect(matchKey(playbooks, fakeStripeKey()).map(m => [m.provider.id, m.strength])).toEqual([['stripe', 'strong']]);
		expect(matchKey(playbooks, fakeKeys.github()).map(m => m.provider.id)).toEqual(['github']);
		expect(matchKey(playbooks, fakeKeys.slack()).map(m => m.provider.id)).toEqual(['slack']);
		expect(matchKey(playbooks, fakeKeys.openai()).map(m => m.provider.id)).toEqual(['openai']);
		expect(matchKey(playbooks, fakeKeys.awsPair()).map(m => m.provider.id)).toEqual(['aws']);
	});

	it('refuse an unknown provider with the list of known ones', async () => {
		const playbooks = await loadPlaybooks();
		expect(() => findProvider(playbooks, 'nope')).toThrow(/Unknown provider "nope"/);
	});

	it('are compiled at build time, and the compile is used only while every source file hashes the same', async () => {
		const compiled = JSON.parse(fs.readFileSync('dist/playbooks.json', 'utf8'));
		expect(compiled.sources).toEqual(playbookSources(defaultPlaybookDir()));
		expect(compiled.playbooks).toEqual(parsePlaybooks(defaultPlaybookDir()));
		// An edited copy never gets the stale compile: it is parsed, and a break in it is reported.
		const dir = copyOfSteps();
		const file = path.join(dir, 'assess.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: Assess risk', 'title: Assess the damage'));
		expect((await loadPlaybooks(dir)).steps.assess.title).toBe('Assess the damage');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('needsKey: true', 'needsKey: maybe'));
		await expect(loadPlaybooks(dir)).rejects.toThrow(/steps\/assess.yaml:\d+: field "needsKey"/);
	});
});

describe('a broken playbook', () => {
	it('is reported with file, line and field for a wrong type', () => {
		const dir = copyOfSteps();
		const file = path.join(dir, 'providers', 'cloudsight.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('scopes: none', 'scopes: sometimes'));
		const error = loadError(dir);
		expect(error.file).toBe('steps/providers/cloudsight.yaml');
		expect(error.field).toBe('scopes');
		const line = fs.readFileSync(file, 'utf8').split('\n').findIndex(text => text.startsWith('scopes:')) + 1;
		expect(error.line).toBe(line);
		expect(error.message).toMatch(new RegExp(`cloudsight.yaml:${line}: field "scopes"`));
	});

	it('names a nested field and an unknown key', () => {
		const dir = copyOfSteps();
		const file = path.join(dir, 'logs.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  - id: odd-hours\n', '  - id: odd-hours\n    requird: false\n'));
		const error = loadError(dir);
		expect(error.file).toBe('steps/logs.yaml');
		expect(error.field).toBe('items[2]');
		expect(error.message).toMatch(/unknown field\(s\) "requird"/);
	});

	it('names a missing field, invalid YAML, a bad regex, a duplicate id and a missing fallback', () => {
		let dir = copyOfSteps();
		let file = path.join(dir, 'rotate.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^purpose:.*\n/m, ''));
		expect(loadError(dir).message).toMatch(/steps\/rotate.yaml.*field "purpose": is missing/);

		dir = copyOfSteps();
		file = path.join(dir, 'verify.yaml');
		fs.writeFileSync(file, 'id: verify\n  title: [oops\n');
		expect(loadError(dir).message).toMatch(/steps\/verify.yaml:\d+: not valid YAML/);

		dir = copyOfSteps();
		file = path.join(dir, 'providers', 'cloudsight.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("regex: '[A-Za-z0-9_-]{20,24}'", "regex: '[unclosed'"));
		expect(loadError(dir).message).toMatch(/field "keyPatterns\[0\].regex": not a valid regular expression/);

		dir = copyOfSteps();
		file = path.join(dir, 'providers', 'cloudsight.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('id: cloudsight-generate', 'id: create-new-key'));
		expect(loadError(dir).message).toMatch(/"create-new-key" is used twice/);

		dir = copyOfSteps();
		fs.rmSync(path.join(dir, 'providers', 'generic.yaml'));
		expect(loadError(dir).message).toMatch(/generic fallback is required/);
	});

	it('requires a probe or kind none with its reason, revoke steps and a logs note, and never a key in a probe URL', () => {
		let dir = copyOfSteps();
		let file = path.join(dir, 'providers', 'generic.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^probe:\n  kind: none\n  why: .*\n/m, ''));
		expect(loadError(dir).message).toMatch(/steps\/providers\/generic.yaml(?::\d+)?: field "probe": is missing/);

		dir = copyOfSteps();
		file = path.join(dir, 'providers', 'generic.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^  why: no safe probe.*$/m, '  why: no'));
		expect(loadError(dir).message).toMatch(/generic.yaml:\d+: field "probe.why": say why there is no safe probe/);

		dir = copyOfSteps();
		file = path.join(dir, 'providers', 'gitlab.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^    steps: .*\n/m, ''));
		expect(loadError(dir).message).toMatch(/steps\/providers\/gitlab.yaml:\d+: field "rotation.deactivate.steps": is missing/);

		dir = copyOfSteps();
		file = path.join(dir, 'providers', 'npm.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('https://registry.npmjs.org/-/whoami', 'https://registry.npmjs.org/-/whoami?token={key}'));
		expect(loadError(dir).message).toMatch(/npm.yaml:\d+: field "probe.url": the key never goes in a URL/);

		dir = copyOfSteps();
		file = path.join(dir, 'providers', 'npm.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^logs:\n  note: .*\n/m, ''));
		expect(loadError(dir).message).toMatch(/npm.yaml(?::\d+)?: field "logs": is missing/);
	});

	it('checks the logs section: only {keyId} and {since} may be filled into a command, and the note stays short', () => {
		let dir = copyOfSteps();
		let file = path.join(dir, 'providers', 'aws.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("'{since}'", "'{key}'"));
		expect(loadError(dir).message).toMatch(/steps\/providers\/aws.yaml:\d+: field "logs.command.args\[5\]": only \{keyId\} and \{since\} may be filled in/);

		dir = copyOfSteps();
		file = path.join(dir, 'providers', 'cloudsight.yaml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/logs:\n  note: >\n    /, `logs:\n  note: >\n    ${'very long advice '.repeat(12)}`));
		expect(loadError(dir).message).toMatch(/field "logs.note": keep it under 160 characters/);
	});
});

describe('the logs note', () => {
	it('is trimmed: a folded YAML block ends in a newline, which the screen would show as a literal \\n', async () => {
		const {loadPlaybooks} = await import('../../src/playbooks/load.js');
		const playbooks = await loadPlaybooks();
		const notes = [...playbooks.providers.values()].map(provider => provider.logs?.note).filter((note): note is string => note !== undefined);
		expect(notes.length).toBeGreaterThan(0);
		for (const note of notes) expect(note).toBe(note.trim());
	});
});
