// Correctness of the exposure scan's answers, found on a real 85,000-commit repository and on
// hostile folder names: each case on a real git repository in a temp folder.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {describePlace, type ExposurePlace} from '../../src/core/exposure.js';
import {renderScanText} from '../../src/commands/scan.js';
import {scanRepo} from '../../src/engines/scan/index.js';
import {unquoteC} from '../../src/engines/scan/history.js';
import {refsReaching} from '../../src/engines/scan/places.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {commit, gitIn, plantedRepo, write} from '../helpers/repo.js';

const blobAt = (history: ExposurePlace[], commitId: string, file: string) =>
	history.find((place): place is Extract<ExposurePlace, {kind: 'blob'}> => place.kind === 'blob' && place.commit === commitId && place.path === file);

describe('scan correctness', () => {
	it('scans the working tree of a repository whose folder name holds a newline', async () => {
		const key = fakeCloudSightKey();
		const repo = path.join(tempDir(), 'odd\nname');
		fs.mkdirSync(repo);
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'README.md', 'hello\n');
		commit(repo, 'readme', '2026-02-01T00:00:00Z');
		write(repo, '.env', `KEY=${key}\n`);
		const result = await scanRepo(repo, key);
		expect(result.repo).toBe(repo);
		expect(result.files).toBeGreaterThanOrEqual(2);
		expect(result.worktree).toEqual([expect.objectContaining({path: '.env', line: 1, status: 'untracked'})]);
		expect(result.warnings).toEqual([]);
	});

	it('names a history path that holds a newline or a quote as it is (git C-quotes it)', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'we"ird\nname é.txt', `k=${key}\n`);
		commit(repo, 'odd file', '2026-02-01T00:00:00Z');
		const result = await scanRepo(repo, key);
		expect(result.history).toEqual([expect.objectContaining({kind: 'blob', path: 'we"ird\nname é.txt', line: 1})]);
		expect(unquoteC(Buffer.from('"a\\tb\\\\c\\303\\251\\"d"'))).toBe('a\tb\\cé"d');
	});

	it('breaks a tie between a parent and a child committed in the same second by ancestry: a bare and a normal clone agree', async () => {
		const key = fakeCloudSightKey();
		const origin = tempDir();
		gitIn(origin, ['init', '-q', '-b', 'main']);
		write(origin, 'README.md', 'x\n');
		commit(origin, 'start', '2026-03-01T09:00:00Z');
		write(origin, 'z-parent.txt', `k=${key}\n`);
		const parent = commit(origin, 'parent', '2026-03-01T10:00:00Z');
		write(origin, 'a-child.txt', `k=${key}\n`);
		const child = commit(origin, `child quotes ${key}`, '2026-03-01T10:00:00Z');
		const normal = path.join(tempDir(), 'normal');
		const bare = path.join(tempDir(), 'bare.git');
		gitIn(tempDir(), ['clone', '-q', `file://${origin}`, normal]);
		gitIn(tempDir(), ['clone', '-q', '--bare', `file://${origin}`, bare]);
		const answers = await Promise.all([origin, normal, bare].map(async repo => (await scanRepo(repo, key)).firstExposure));
		for (const answer of answers) expect(answer).toMatchObject({commit: parent, where: 'z-parent.txt:1', date: '2026-03-01T10:00:00.000Z'});
		expect(child).not.toBe(parent);
	});

	it('names the refs that reach each place: a commit reachable only through a tag names that tag', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'README.md', 'x\n');
		commit(repo, 'start', '2026-03-01T09:00:00Z');
		gitIn(repo, ['checkout', '-q', '-b', 'release-prep']);
		write(repo, 'build.cfg', `token=${key}\n`);
		const tagged = commit(repo, 'release build', '2026-03-02T09:00:00Z');
		gitIn(repo, ['tag', 'v0.9-rc']);
		gitIn(repo, ['checkout', '-q', 'main']);
		gitIn(repo, ['branch', '-q', '-D', 'release-prep']);
		const result = await scanRepo(repo, key);
		expect(result.firstExposure).toMatchObject({commit: tagged, refs: ['refs/tags/v0.9-rc'], pushed: false, remoteRefs: []});
		const place = blobAt(result.history, tagged, 'build.cfg')!;
		expect(place.refs).toEqual(['refs/tags/v0.9-rc']);
		expect(describePlace(place)).toContain('on tag v0.9-rc');
		expect(renderScanText([result])).toContain('That commit is on tag v0.9-rc');
	});

	it('reports the commit that took the key out of a path, and says when no commit did', async () => {
		const key = fakeCloudSightKey();
		const {repo, commits} = plantedRepo(key);
		const result = await scanRepo(repo, key);
		const leak = blobAt(result.history, commits.leak!, 'src/config.js')!;
		expect(leak.removedIn).toEqual({commit: commits.removed, author: 'Ada Dev', date: '2026-01-12T09:00:00.000Z'});
		expect(describePlace(leak)).toContain(`removed in ${commits.removed!.slice(0, 10)} on 2026-01-12`);
		expect(leak.refs).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/remotes/origin/main', 'refs/tags/v1.0']));
		expect(result.firstExposure).toMatchObject({commit: commits.leak, removedIn: {commit: commits.removed}, remoteRefs: ['origin/main']});
		// Still at the tip of feature/batch: no commit took it out.
		const branch = blobAt(result.history, commits.branch!, 'batch/settings.yaml')!;
		expect(branch.removedIn).toBeNull();
		expect(describePlace(branch)).toContain('still in the file');
		expect(branch.refs).toEqual(['refs/heads/feature/batch']);
		expect(renderScanText([result])).toContain(`  In that file: removed in ${commits.removed!.slice(0, 10)} on 2026-01-12 by Ada Dev`);
	});

	it('a deleted file counts as removed', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'secrets.txt', `k=${key}\n`);
		const added = commit(repo, 'add', '2026-03-01T09:00:00Z');
		fs.rmSync(path.join(repo, 'secrets.txt'));
		write(repo, 'other.txt', 'x\n');
		const deleted = commit(repo, 'delete', '2026-03-02T09:00:00Z');
		const result = await scanRepo(repo, key);
		expect(blobAt(result.history, added, 'secrets.txt')?.removedIn).toMatchObject({commit: deleted});
		// The same answer when the history is too big to index alongside the scan (the pass is streamed again).
		const streamed = await scanRepo(repo, key, {maxIndexedChanges: 1});
		expect(blobAt(streamed.history, added, 'secrets.txt')?.removedIn).toMatchObject({commit: deleted});
		expect(streamed.history).toEqual(result.history);
	});

	it('one copy of the key replaced by another is followed to the commit that took the key out', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'app.env', `K=${key}\n`);
		const first = commit(repo, 'add', '2026-03-01T09:00:00Z');
		write(repo, 'app.env', `# still here\nK=${key}\n`);
		const second = commit(repo, 'edit around it', '2026-03-02T09:00:00Z');
		write(repo, 'app.env', 'K=\n');
		const cleared = commit(repo, 'clear', '2026-03-03T09:00:00Z');
		const result = await scanRepo(repo, key);
		expect(blobAt(result.history, first, 'app.env')?.removedIn).toMatchObject({commit: cleared});
		expect(blobAt(result.history, second, 'app.env')?.removedIn).toMatchObject({commit: cleared});
		// Put back afterwards: that copy is still there.
		write(repo, 'app.env', `K=${key}\n`);
		const back = commit(repo, 'put back', '2026-03-04T09:00:00Z');
		const again = await scanRepo(repo, key);
		const returned = again.history.filter(place => place.kind === 'blob' && place.commit === back);
		expect(returned).toEqual([expect.objectContaining({removedIn: null})]);
	});

	it('gives commit- and tag-message hits their line, and the tag its tagger', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'README.md', 'x\n');
		const quoted = commit(repo, `Subject line\n\nSome context.\nold token ${key} (rotate)`, '2026-03-01T09:00:00Z');
		gitIn(repo, ['tag', '-a', 'v2', '-m', `Release\n\nnotes: ${key}`], {GIT_COMMITTER_NAME: 'Tess Tagger', GIT_COMMITTER_DATE: '2026-03-02T09:00:00Z'});
		const result = await scanRepo(repo, key);
		const message = result.history.find(place => place.kind === 'commit-message');
		expect(message).toMatchObject({commit: quoted, line: 4, text: expect.stringContaining('old token ')});
		expect(JSON.stringify(message)).not.toContain(key);
		const tag = result.history.find(place => place.kind === 'tag-message');
		expect(tag).toMatchObject({tag: 'v2', tagger: 'Tess Tagger', line: 3, date: '2026-03-02T09:00:00.000Z'});
		expect(describePlace(tag!)).toContain('Tess Tagger: tag message line 3');
		expect(result.firstExposure).toMatchObject({commit: quoted, where: 'commit message line 4'});
	});

	it('walks the graph once for the refs: through a merge\'s second parent, an annotated tag, none for a reflog-only commit; too big a graph is declined', async () => {
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'a.txt', '1\n');
		const base = commit(repo, 'base', '2026-03-01T09:00:00Z');
		gitIn(repo, ['checkout', '-q', '-b', 'side']);
		write(repo, 'b.txt', '2\n');
		const side = commit(repo, 'side', '2026-03-02T09:00:00Z');
		gitIn(repo, ['checkout', '-q', 'main']);
		write(repo, 'c.txt', '3\n');
		commit(repo, 'main work', '2026-03-03T09:00:00Z');
		gitIn(repo, ['merge', '-q', '--no-ff', '-m', 'merge side', 'side'], {GIT_AUTHOR_DATE: '2026-03-04T09:00:00Z', GIT_COMMITTER_DATE: '2026-03-04T09:00:00Z'});
		gitIn(repo, ['branch', '-q', '-D', 'side']);
		gitIn(repo, ['tag', '-a', 'v1', '-m', 'release', base]);
		write(repo, 'd.txt', '4\n');
		const dropped = commit(repo, 'dropped', '2026-03-05T09:00:00Z');
		gitIn(repo, ['reset', '-q', '--hard', 'HEAD~1']);
		const refs = await refsReaching(repo, [base, side, dropped]);
		expect(refs?.get(base)).toEqual(['refs/heads/main', 'refs/tags/v1']);
		expect(refs?.get(side)).toEqual(['refs/heads/main']);
		expect(refs?.get(dropped)).toEqual([]);
		expect(await refsReaching(repo, [base], undefined, undefined, 2)).toBeNull();
	});
});
