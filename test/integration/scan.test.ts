import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {describePlace} from '../../src/core/exposure.js';
import {keyNeedles} from '../../src/core/needles.js';
import {mask} from '../../src/core/secrets.js';
import {scanRepo} from '../../src/engines/scan/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {commit, gitIn, plantedRepo, write} from '../helpers/repo.js';

describe('scanRepo on a real repository', () => {
	it('finds the key in old history, another branch, a stash, messages, a tag, encodings, and an ignored .env', async () => {
		const key = fakeCloudSightKey();
		const {repo, commits} = plantedRepo(key);
		const result = await scanRepo(repo, key);
		const lines = result.history.map(describePlace);

		const blobPlaces = result.history.filter(place => place.kind === 'blob');
		expect(blobPlaces).toContainEqual(expect.objectContaining({commit: commits.leak, author: 'Bo Leaker', path: 'src/config.js', line: 3, form: 'raw', text: `apiKey: '${mask(key)}',`}));
		expect(blobPlaces).toContainEqual(expect.objectContaining({commit: commits.branch, path: 'batch/settings.yaml', line: 2}));
		expect(blobPlaces.some(place => place.kind === 'blob' && place.path === 'src/debug.js')).toBe(true); // the stash's untracked files
		expect(blobPlaces).toContainEqual(expect.objectContaining({path: '.npmrc', form: 'base64'}));
		// A URL-safe key is unchanged by URL-encoding: that copy is found as it is.
		expect(blobPlaces).toContainEqual(expect.objectContaining({path: 'docs/call.md', form: 'raw'}));
		expect(result.history).toContainEqual(expect.objectContaining({kind: 'commit-message', commit: commits.message}));
		expect(result.history).toContainEqual(expect.objectContaining({kind: 'tag-message', tag: 'v1.0'}));
		expect(result.history.some(place => place.kind === 'reflog')).toBe(true); // the commit subject in .git/logs

		expect(result.firstExposure).toMatchObject({commit: commits.leak, author: 'Bo Leaker', date: '2026-01-10T09:30:00.000Z', where: 'src/config.js:3', pushed: true, remoteRefs: ['origin/main']});
		expect(result.worktree).toContainEqual(expect.objectContaining({path: '.env', line: 1, status: 'ignored', text: `CLOUDSIGHT_API_KEY=${mask(key)}`}));
		expect(result.worktree).toContainEqual(expect.objectContaining({path: '.npmrc', status: 'tracked', form: 'base64'}));
		expect(result.remotes).toEqual([{name: 'origin', url: expect.any(String), forge: null}]);

		// Nothing in the result carries the key in any form.
		const text = JSON.stringify(result) + lines.join('\n');
		for (const needle of keyNeedles(key)) expect(text).not.toContain(needle.bytes.toString('utf8'));
	});

	it('places every copy the same way when the history is too big to index alongside the object scan', async () => {
		const key = fakeCloudSightKey();
		const {repo} = plantedRepo(key);
		const indexed = await scanRepo(repo, key);
		// Two changes fit: the index overflows, and locate streams the mapping pass again afterwards.
		const streamed = await scanRepo(repo, key, {maxIndexedChanges: 2});
		expect(streamed.history).toEqual(indexed.history);
		expect(indexed.history.filter(place => place.kind === 'blob').length).toBeGreaterThan(3);
	});

	it('names history paths as they are (spaces, accents), not C-quoted', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'café config/app settings.js', `const k = '${key}';\n`);
		commit(repo, 'settings', '2026-02-01T00:00:00Z');
		const result = await scanRepo(repo, key);
		expect(result.history).toEqual([expect.objectContaining({kind: 'blob', path: 'café config/app settings.js', line: 1})]);
	});

	it('finds a URL-encoded copy of a key that has characters URL-encoding changes', async () => {
		const key = `gen+${fakeCloudSightKey()}/x=`;
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'call.sh', `curl "https://api.example.com/?token=${encodeURIComponent(key)}"\n`);
		commit(repo, 'call', '2026-02-01T00:00:00Z');
		const result = await scanRepo(repo, key);
		expect(result.worktree).toEqual([expect.objectContaining({path: 'call.sh', form: 'url-encoded', line: 1, text: `curl "https://api.example.com/?token=${mask(key)}"`})]);
	});

	it('finds nothing for another key, and says what it read', async () => {
		const {repo} = plantedRepo(fakeCloudSightKey());
		const result = await scanRepo(repo, fakeCloudSightKey());
		expect(result.history).toEqual([]);
		expect(result.worktree).toEqual([]);
		expect(result.firstExposure).toBeNull();
		expect(result.objects).toBeGreaterThan(20);
		expect(result.files).toBeGreaterThan(3);
	});

	it('handles a shallow clone (says what is missing), a bare repo, and a folder that is not a repo', async () => {
		const key = fakeCloudSightKey();
		const {repo, remote} = plantedRepo(key);
		const shallow = path.join(tempDir(), 'shallow');
		gitIn(tempDir(), ['clone', '-q', '--depth', '1', `file://${repo}`, shallow]);
		const shallowResult = await scanRepo(shallow, key);
		expect(shallowResult.shallow).toBe(true);
		expect(shallowResult.warnings.join('\n')).toMatch(/Shallow clone: history before .* is missing/);

		const bare = await scanRepo(remote, key);
		expect(bare.bare).toBe(true);
		expect(bare.worktree).toEqual([]);
		expect(bare.firstExposure).toMatchObject({author: 'Bo Leaker'});
		expect(bare.warnings.join('\n')).toMatch(/Bare repository/);

		await expect(scanRepo(tempDir(), key)).rejects.toThrow(/is not a git repository/);
		// The .git folder itself is not a working tree: said plainly, never scanned as one.
		await expect(scanRepo(path.join(repo, '.git'), key)).rejects.toThrow(/inside a repository's \.git folder/);
	});

	it('says which git call failed (a broken .git/config) as a clear error, not an internal one', async () => {
		const key = fakeCloudSightKey();
		const {repo} = plantedRepo(key);
		fs.appendFileSync(path.join(repo, '.git', 'config'), '[remote "broken"]\n\turl\n');
		await expect(scanRepo(repo, key)).rejects.toMatchObject({name: 'ExternalError', message: expect.stringMatching(/^git \S+ failed: .*remote\.broken\.url/)});
	});

	it('numbers the lines of matching blobs that together exceed one read (they are read in batches)', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		// Three 12 MB text files, each with the key on a different line: 36 MB, past the 32 MB batch.
		for (const [index, line] of [3, 5, 7].entries()) {
			const lines = Array.from({length: 12 * 1024}, (_, n) => (n === line - 1 ? `token=${key}` : `${index}:${'x'.repeat(1000)}`));
			fs.writeFileSync(path.join(repo, `dump${index}.txt`), `${lines.join('\n')}\n`);
		}
		commit(repo, 'dumps', '2026-02-01T00:00:00Z');
		const result = await scanRepo(repo, key);
		const places = result.history.filter(place => place.kind === 'blob').map(place => [place.path, place.kind === 'blob' ? place.line : 0]);
		expect(places.sort()).toEqual([['dump0.txt', 3], ['dump1.txt', 5], ['dump2.txt', 7]]);
	});

	it('takes a relative --repo path, and says plainly when the folder does not exist or the key is too short', async () => {
		const key = fakeCloudSightKey();
		const {repo} = plantedRepo(key);
		const previous = process.cwd();
		process.chdir(path.dirname(repo));
		try {
			const result = await scanRepo(path.basename(repo), key);
			expect(result.firstExposure).toMatchObject({author: 'Bo Leaker'});
		} finally {
			process.chdir(previous);
		}
		await expect(scanRepo(path.join(tempDir(), 'nope'), key)).rejects.toThrow(/no such folder/);
		await expect(scanRepo(repo, 'abc')).rejects.toThrow(/too short/);
	});

	it('places a key in a blob too large to number lines without reading it into memory', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		const big = Buffer.alloc(17 * 1024 * 1024, 'a');
		Buffer.from(`\n${key}\n`).copy(big, 9 * 1024 * 1024);
		fs.writeFileSync(path.join(repo, 'dump.sql'), big);
		commit(repo, 'dump', '2026-02-01T00:00:00Z');
		const result = await scanRepo(repo, key);
		expect(result.history).toEqual([expect.objectContaining({kind: 'blob', path: 'dump.sql', line: 0, text: '(a 17 MB file: too large to show lines)'})]);
	});

	it('reports a huge binary file by offset, without numbering lines', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		const blob = Buffer.alloc(3 * 1024 * 1024, 7);
		blob[10] = 0;
		Buffer.from(key).copy(blob, 2 * 1024 * 1024 + 5);
		fs.writeFileSync(path.join(repo, 'model.bin'), blob);
		write(repo, 'a.txt', 'nothing\n');
		commit(repo, 'binary', '2026-02-01T00:00:00Z');
		const result = await scanRepo(repo, key);
		expect(result.worktree).toEqual([expect.objectContaining({path: 'model.bin', binary: true, line: null, offset: 2 * 1024 * 1024 + 5, text: '(binary file)'})]);
		expect(result.history).toEqual([expect.objectContaining({kind: 'blob', path: 'model.bin', text: '(binary file)'})]);
	});
});
