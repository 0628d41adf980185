// A generated repository past the scan's in-memory caps, for `npm run bench`: many commits that
// each rewrite every file of one folder (every change is a line of the mapping pass, `git log
// --all --reflog -c --raw`: `commits × filesPerDir` changes, millions, from a few hundred blobs,
// so it is quick to make), feature
// branches merged with --no-ff (merge sides, `-m`), and a fake key planted in old history (added,
// then deleted), in new history (still there) and on a commit reachable only through an annotated
// tag. Streamed into git fast-import; kept under .bench/ between runs (a marker file says it is
// complete). Sizes: BENCH_BIG_COMMITS (default 85000), BENCH_BIG_FILES (files per folder, 100).
import {spawn, execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';

export async function generateBigRepo(repo, {key, commits = 85_000, filesPerDir = 100, dirs = 40, noteBytes = 4096}) {
	const marker = `${repo}/leakfix-bench-done`;
	if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8'));
	fs.rmSync(repo, {recursive: true, force: true});
	execFileSync('git', ['init', '-q', '--bare', '-b', 'main', repo]);
	const git = spawn('git', ['-C', repo, 'fast-import', '--quiet', '--depth=50'], {stdio: ['pipe', 'ignore', 'inherit']});
	const exited = new Promise((resolve, reject) => git.on('exit', code => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)))));
	let pending = '';
	const out = async text => {
		pending += text;
		if (pending.length < 1 << 20) return;
		const chunk = pending;
		pending = '';
		if (!git.stdin.write(chunk)) await new Promise(resolve => git.stdin.once('drain', resolve));
	};
	let mark = 0;
	// Two versions of every file: a commit flips a whole folder from one to the other.
	const variant = [];
	for (let f = 0; f < filesPerDir; f++) {
		const pair = [];
		for (const side of ['a', 'b']) {
			const content = `file ${f} version ${side}\n${'lorem ipsum dolor sit amet '.repeat(4 + (f % 7))}\n`;
			await out(`blob\nmark :${++mark}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
			pair.push(mark);
		}
		variant.push(pair);
	}
	const keyBlob = async text => {
		await out(`blob\nmark :${++mark}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
		return mark;
	};
	const mainState = new Array(dirs).fill(0); // which version each folder holds on main
	const start = 1_500_000_000;
	let when = start;
	let changes = 0;
	let merges = 0;
	let mainTip = 0;
	let made = 0;
	const commit = async (ref, message, body, from) => {
		when += 300;
		await out(`commit ${ref}\nmark :${++mark}\ncommitter Bench <bench@example.com> ${when} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n${from ? `from :${from}\n` : ''}${body}\n`);
		made++;
		return mark;
	};
	/** The lines that set folder `d` to version `side` (one change a file, when `counted`). */
	const folder = (d, side, counted = true) => {
		if (counted) changes += filesPerDir;
		let body = '';
		for (let f = 0; f < filesPerDir; f++) body += `M 100644 :${variant[f][side]} d${d}/f${f}.txt\n`;
		return body;
	};
	// Each commit also writes a note of its own (`noteBytes` of random text): new objects in every
	// commit, as in a real history, so the object stream is not all shared trees.
	const flip = async (state, d) => {
		state[d] ^= 1;
		const note = randomBytes(noteBytes / 2).toString('hex');
		await out(`blob\nmark :${++mark}\ndata ${note.length}\n${note}\n`);
		changes += 1;
		return `${folder(d, state[d])}M 100644 :${mark} d${d}/notes.txt\n`;
	};
	const oldAt = Math.floor(commits * 0.05);
	const tagAt = Math.floor(commits * 0.5);
	const newAt = commits - 20;
	const planted = new Set();
	const due = (name, at) => made >= at && !planted.has(name) && planted.add(name);
	while (made < commits) {
		const n = made;
		if (due('old', oldAt)) {
			mainTip = await commit('refs/heads/main', 'add deploy settings', `M 100644 :${await keyBlob(`DEPLOY_TOKEN=${key}\n`)} secrets/deploy.env\n`, mainTip);
			mainTip = await commit('refs/heads/main', 'remove deploy settings', 'D secrets/deploy.env\n', mainTip);
			changes += 2;
		} else if (due('tag', tagAt)) {
			// A commit no branch holds: reachable only through the tag v-leak.
			const tip = await commit('refs/heads/leak-tmp', 'debug build', `M 100644 :${await keyBlob(`debug key ${key}\n`)} debug/keys.txt\n`, mainTip);
			await out(`tag v-leak\nfrom :${tip}\ntagger Bench <bench@example.com> ${when} +0000\ndata 6\ndebug\n`);
			changes += 1;
		} else if (due('new', newAt)) {
			mainTip = await commit('refs/heads/main', 'configure the app', `M 100644 :${await keyBlob(`[app]\napi_key = ${key}\n`)} config/app.ini\n`, mainTip);
			changes += 1;
		} else if (n % 50 === 10 && n + 6 < commits) {
			// A feature branch of four commits (four folders), merged with --no-ff after main moved on once.
			const feature = [...mainState];
			let tip = mainTip;
			const branch = `refs/heads/feature/${n}`;
			const touched = [0, 7, 14, 21].map(offset => (n + offset) % dirs);
			for (const d of touched) tip = await commit(branch, `feature ${n}: ${d}`, await flip(feature, d), tip);
			mainTip = await commit('refs/heads/main', `main ${n}`, await flip(mainState, (n + 3) % dirs), mainTip);
			// The merge takes the feature's folders: its result equals a parent at every path, so its
			// combined diff (what the scan reads) is empty; `git log -m` would list 5 folders again.
			let body = `merge :${tip}\n`;
			for (const d of touched) {
				mainState[d] = feature[d];
				body += folder(d, feature[d], false);
			}
			mainTip = await commit('refs/heads/main', `Merge feature ${n}`, body, mainTip);
			merges++;
		} else {
			mainTip = await commit('refs/heads/main', `commit ${n}`, await flip(mainState, n % dirs), mainTip || undefined);
		}
	}
	git.stdin.end(pending);
	await exited;
	execFileSync('git', ['-C', repo, 'update-ref', '-d', 'refs/heads/leak-tmp']);
	const objects = Number(/in-pack: (\d+)/.exec(execFileSync('git', ['-C', repo, 'count-objects', '-v'], {encoding: 'utf8'}))?.[1] ?? 0);
	const packMb = Number(/size-pack: (\d+)/.exec(execFileSync('git', ['-C', repo, 'count-objects', '-v'], {encoding: 'utf8'}))?.[1] ?? 0) / 1024;
	const info = {commits: made, merges, changes, objects, packMb: Math.round(packMb)};
	fs.writeFileSync(marker, JSON.stringify(info));
	return info;
}
