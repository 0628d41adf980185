// Every way the scan maps matching blobs to commits and paths gives the same places: a small
// history's pass kept whole and read again (the usual path here), the index's candidates
// confirmed by one git log of those commits (the path past 4 MB of pass), the same with the
// fingerprints narrowed to one byte (many more candidates), the index overflowing (one git log of
// the whole history, filtered in Node), git's output read from a plain pipe instead of a
// named one, and the pass stopped part-way with the rest read as after a split (the commits that
// are not merges filtered in git with --find-object, or in Node).
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {scanRepo} from '../../src/engines/scan/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {commit, gitIn, plantedRepo, write} from '../helpers/repo.js';

/** How many changes the mapping pass sees (every ref and reflog; a merge's combined line is one per parent). */
function changesIn(repo: string): number {
	return gitIn(repo, ['log', '--all', '--reflog', '-c', '--raw', '--no-abbrev', '--no-renames', '--format=%H'])
		.split('\n')
		.reduce((sum, line) => sum + (/^:+/.exec(line)?.[0].length ?? 0), 0);
}

describe('scan: the mapping pass, every path to the same places', () => {
	it('planted repository: fingerprints of 4 bytes and of 1 byte, and an index that overflows', async () => {
		const key = fakeCloudSightKey();
		const {repo} = plantedRepo(key);
		const normal = await scanRepo(repo, key, {fifo: true});
		expect(normal.history.filter(place => place.kind === 'blob').length).toBeGreaterThan(3);
		expect(normal.history.some(place => place.kind === 'blob' && place.removedIn)).toBe(true);
		const changes = changesIn(repo);
		expect(changes).toBeGreaterThan(3);
		// The fingerprints, 4 bytes of each id, and narrowed to one byte (4 would not fit).
		const fingerprints = await scanRepo(repo, key, {indexKeepBytes: 0, fifo: true});
		expect(fingerprints.history).toEqual(normal.history);
		const narrow = await scanRepo(repo, key, {indexBudget: changes * 2, indexKeepBytes: 0, fifo: true});
		expect(narrow.history).toEqual(normal.history);
		// One byte short of that: even one byte does not fit, the index overflows (one whole git log, filtered).
		const overflowBudget = await scanRepo(repo, key, {indexBudget: changes * 2 - 2});
		expect(overflowBudget.history).toEqual(normal.history);
		// git's output read from a plain pipe (a small repository, or no mkfifo), the index overflowing or not.
		const piped = await scanRepo(repo, key, {fifo: false});
		expect(piped.history).toEqual(normal.history);
		expect((await scanRepo(repo, key, {fifo: false, maxIndexedChanges: 2})).history).toEqual(normal.history);
		const overflowCount = await scanRepo(repo, key, {maxIndexedChanges: 2});
		expect(overflowCount.history).toEqual(normal.history);
		expect(overflowCount.firstExposure).toEqual(normal.firstExposure);
		// The pass stopped after none, one, half and all but one of the commits: the rest is read
		// after it, filtered in git (--find-object) or in Node.
		const commits = Number(gitIn(repo, ['rev-list', '--all', '--reflog', '--count']).trim());
		for (const indexHeadLimit of [0, 1, Math.floor(commits / 2), commits - 1]) {
			for (const [fifo, indexFindObjectMax] of [[true, undefined], [false, 0]] as const) {
				const how: string[] = [];
				const split = await scanRepo(repo, key, {indexHeadLimit, indexKeepBytes: 0, fifo, ...(indexFindObjectMax === undefined ? {} : {indexFindObjectMax}), onMapping: path => how.push(path)});
				expect(how).toEqual(['candidates+tail']);
				expect(split.history, `head ${indexHeadLimit} of ${commits}, fifo ${fifo}, find-object max ${indexFindObjectMax}`).toEqual(normal.history);
				expect(split.firstExposure).toEqual(normal.firstExposure);
			}
		}
	});

	it('merges: only what a merge itself wrote is a place (its combined diff), every path giving the same places', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'README.md', 'x\n');
		commit(repo, 'start', '2026-01-01T00:00:00Z');
		gitIn(repo, ['checkout', '-q', '-b', 'side']);
		write(repo, 'side.env', `S=${key}\n`);
		const side = commit(repo, 'side key', '2026-01-01T12:00:00Z');
		gitIn(repo, ['checkout', '-q', 'main']);
		for (let n = 0; n < 12; n++) {
			write(repo, `conf/f${n % 5}.env`, `# ${n}\nK=${key}\n`);
			commit(repo, `edit ${n}`, new Date(Date.UTC(2026, 0, 2, 0, n)).toISOString());
		}
		// The merge carries side.env over (not a place of its own) and writes the key into a file
		// neither parent had that way (a place: the merge wrote it).
		const env = {GIT_AUTHOR_DATE: '2026-01-03T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-03T00:00:00Z'};
		gitIn(repo, ['merge', '-q', '--no-ff', '--no-commit', 'side'], env);
		write(repo, 'README.md', `merged with ${key}\n`);
		gitIn(repo, ['add', 'README.md']);
		gitIn(repo, ['commit', '-q', '-m', 'merge side'], env);
		const merge = gitIn(repo, ['rev-parse', 'HEAD']).trim();
		for (let n = 0; n < 5; n++) fs.rmSync(path.join(repo, 'conf', `f${n}.env`));
		commit(repo, 'remove them', '2026-01-04T00:00:00Z');
		const normal = await scanRepo(repo, key, {fifo: true});
		const blobs = normal.history.flatMap(place => (place.kind === 'blob' ? [place] : []));
		expect(blobs.filter(place => place.path === 'side.env').map(place => place.commit)).toEqual([side]);
		expect(blobs.filter(place => place.path === 'README.md').map(place => place.commit)).toEqual([merge]);
		// Each copy was replaced by another one, followed on to the commit that took the files out.
		const conf = blobs.filter(place => place.path.startsWith('conf/'));
		expect(conf).toHaveLength(12);
		expect(conf.every(place => place.removedIn?.date === '2026-01-04T00:00:00.000Z')).toBe(true);
		const commits = Number(gitIn(repo, ['rev-list', '--all', '--reflog', '--count']).trim());
		const splits = [1, 5, commits - 3].flatMap(indexHeadLimit => [{indexHeadLimit, indexKeepBytes: 0, fifo: true}, {indexHeadLimit, indexKeepBytes: 0, indexFindObjectMax: 0}]);
		for (const options of splits) {
			const how: string[] = [];
			expect((await scanRepo(repo, key, {...options, onMapping: path => how.push(path)})).history).toEqual(normal.history);
			expect(how).toEqual(['candidates+tail']);
		}
		for (const options of [{maxIndexedChanges: 1, fifo: true}, {indexKeepBytes: 0}, {indexBudget: changesIn(repo) * 2, indexKeepBytes: 0, fifo: true}, {fifo: false}]) {
			expect((await scanRepo(repo, key, options)).history, JSON.stringify(options)).toEqual(normal.history);
		}
	});
});
