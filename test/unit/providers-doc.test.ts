// docs/providers.md is generated from the playbooks; this fails when someone edits a playbook (or
// the doc) without running `npm run docs:providers`.
import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {renderProvidersDoc} from '../../src/commands/providers.js';
import {defaultPlaybookDir} from '../../src/playbooks/load.js';
import {parsePlaybooks} from '../../src/playbooks/parse.js';

describe('docs/providers.md', () => {
	it('is up to date with the playbooks (run npm run docs:providers)', () => {
		const playbooks = parsePlaybooks(defaultPlaybookDir());
		expect(fs.readFileSync('docs/providers.md', 'utf8'), 'docs/providers.md is out of date: run npm run docs:providers').toBe(renderProvidersDoc(playbooks));
	});

	it('has one row per playbook, with its probe or the reason it has none', () => {
		const playbooks = parsePlaybooks(defaultPlaybookDir());
		const doc = renderProvidersDoc(playbooks);
		for (const provider of playbooks.providers) {
			const row = doc.split('\n').find(line => line.startsWith(`| \`${provider.id}\` |`));
			expect(row, provider.id).toBeDefined();
			expect(row, provider.id).toMatch(provider.probe ? /\| yes: / : /\| no (safe )?probe/);
		}
	});
});
