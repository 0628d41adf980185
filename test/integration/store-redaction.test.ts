// Break 8 of issue 12, proven at the file: a note holding the key with one character
// percent-encoded (or every character, or \x / \u escaped) is masked in the session file's bytes.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {makeSession} from '../unit/session-fixture.js';

describe('the session file never holds the key, in any spelling', () => {
	const key = 'ghp' + '_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
	const spellings = {
		'one character percent-encoded': key.replace('_', '%5F'),
		'every character percent-encoded': [...key].map(char => `%${char.charCodeAt(0).toString(16)}`).join(''),
		'\\x escapes': [...key].map(char => `\\x${char.charCodeAt(0).toString(16)}`).join(''),
		'JSON \\u escapes': [...key].map(char => `\\u00${char.charCodeAt(0).toString(16)}`).join(''),
	};
	for (const [what, spelled] of Object.entries(spellings)) {
		it(`${what}: the file's bytes hold neither the spelling nor the key`, () => {
			for (const known of ['key in memory', 'fingerprint only'] as const) {
				const dir = path.join(tempDir(), 'incidents');
				const redactor = createRedactor(known === 'key in memory' ? [key] : []);
				const session = makeSession(key);
				if (known === 'fingerprint only') redactor.addFingerprint(session.key);
				const noted = transition(session, {type: 'item.noted', step: 'assess', item: 'confirm-key', note: `curl "https://api.example.com/?token=${spelled}"`, at: '2026-11-27T12:01:00.000Z'});
				new SessionStore(dir, redactor).save(noted);
				const bytes = fs.readFileSync(path.join(dir, fs.readdirSync(dir).find(name => name.endsWith('.json'))!), 'utf8');
				expect(bytes, known).not.toContain(spelled);
				expect(bytes, known).not.toContain(key);
				expect(bytes, known).not.toContain(key.slice(4, 20));
			}
		});
	}
});
