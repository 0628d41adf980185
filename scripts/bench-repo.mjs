// A generated repository for the scan bench: `commits` commits over several branches, tens of MB
// of blobs, annotated tags, and a fake key planted in a few old blobs, a branch and a message.
// Built with git fast-import (seconds, not minutes), then packed like a real clone.
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';

export function generateRepo(repo, {commits, key, branches = 5, tags = 10, blobBytes = 6000}) {
	if (fs.existsSync(`${repo}/.git/leakfix-bench-done`)) return JSON.parse(fs.readFileSync(`${repo}/.git/leakfix-bench-done`, 'utf8'));
	fs.rmSync(repo, {recursive: true, force: true});
	fs.mkdirSync(repo, {recursive: true});
	execFileSync('git', ['init', '-q', '-b', 'main', repo]);
	const chunks = [];
	let mark = 0;
	const perBranch = Math.ceil(commits / branches);
	const plantAt = new Set([Math.floor(commits * 0.2), Math.floor(commits * 0.5), commits - 3]);
	let made = 0;
	let mainTip = 0; // mark of main's last commit: each feature branch starts there
	for (let b = 0; b < branches; b++) {
		const branch = b === 0 ? 'main' : `feature/${b}`;
		for (let i = 0; i < perBranch && made < commits; i++, made++) {
			const files = [];
			for (let f = 0; f < 2; f++) {
				let content = randomBytes(blobBytes / 2).toString('hex');
				if (plantAt.has(made) && f === 0) content = `${content.slice(0, 100)}\nconst KEY = '${key}';\n${content.slice(100)}`;
				chunks.push(`blob\nmark :${++mark}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
				files.push({mark, path: `src/m${made % 200}/f${f}.txt`});
			}
			const message = made === commits - 2 ? `oops, key was ${key}` : `commit ${made}`;
			const when = 1_700_000_000 + made * 600;
			chunks.push(`commit refs/heads/${branch}\nmark :${++mark}\ncommitter Bench <bench@example.com> ${when} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`);
			if (i === 0 && b > 0) chunks.push(`from :${mainTip}\n`);
			for (const file of files) chunks.push(`M 100644 :${file.mark} ${file.path}\n`);
			chunks.push('\n');
			if (b === 0) mainTip = mark;
			if (made % Math.ceil(commits / tags) === 0) chunks.push(`tag v${made}\nfrom :${mark}\ntagger Bench <bench@example.com> ${when} +0000\ndata 7\nrelease\n`);
		}
	}
	execFileSync('git', ['-C', repo, 'fast-import', '--quiet'], {input: chunks.join(''), maxBuffer: 1 << 30});
	execFileSync('git', ['-C', repo, 'repack', '-adq']);
	execFileSync('git', ['-C', repo, 'checkout', '-q', 'main']);
	const objects = Number(/in-pack: (\d+)/.exec(execFileSync('git', ['-C', repo, 'count-objects', '-v'], {encoding: 'utf8'}))?.[1] ?? 0);
	const raw = execFileSync('bash', ['-c', `git -C '${repo}' cat-file --batch-all-objects --batch-check='%(objectsize)' | awk '{s+=$1} END {print s}'`], {encoding: 'utf8'});
	const info = {objects, mb: (Number(raw) / 1024 / 1024).toFixed(0), branches, tags};
	fs.writeFileSync(`${repo}/.git/leakfix-bench-done`, JSON.stringify(info));
	return info;
}
