// The README's command list is the CLI's own --help (so it cannot drift), and it makes no claim
// the product does not keep.
import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {HELP} from '../../src/cli.js';

describe('README', () => {
	const readme = fs.readFileSync('README.md', 'utf8');

	it('lists every command exactly as --help does', () => {
		const usage = HELP.slice(HELP.indexOf('Usage\n') + 6, HELP.indexOf('\nOptions')).replace(/\n+$/, '').split('\n').map(line => (line.startsWith('  ') ? line.slice(2) : line)).join('\n');
		const block = readme.slice(readme.indexOf('## Use\n\n```text\n') + '## Use\n\n```text\n'.length);
		expect(block.slice(0, block.indexOf('```'))).toBe(`${usage}\nleakfix --help | --version\n`);
	});

	it('says nothing that is no longer true', () => {
		expect(readme).not.toMatch(/Conjur is by hand|being built|\(coming|wizard frame/);
		expect(readme).not.toMatch(/^npx leakfix\s+# from the npm registry$/m);
	});
});
