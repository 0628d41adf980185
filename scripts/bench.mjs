// npm run bench: start-up and package figures, each as a ratio to a baseline measured in the same
// run on the same machine (never absolute thresholds in tests).
//
//   --help        node bin/leakfix.js --help            vs  node -e 0
//   first frame   the wizard's first frame in a pty      vs  node -e 0 in the same pty wrapper
//                 and vs a bare Ink 6.8 "hello" bundled the same way (the target: no slower)
//   package       npm pack size; npx of the packed tarball on a cold npm cache
//   scan          leakfix scan on generated repos    vs  cat-file --batch-all-objects | grep -c -F
//                 and on a repository past the in-memory caps (BENCH_BIG_COMMITS, default 85000:
//                 ~9 M changes, like git/git), key found and key absent, with leakfix's peak RSS;
//                 and on git/git itself with a key planted, when BENCH_GITGIT=<a clone of it>
//   logs          leakfix logs on a generated 1 GB log (combined, JSON lines; the key in 1%)
//                                                    vs  grep -F -c KEY, and cat > /dev/null
//   floor         (scan, logs) a bare Node script that only spawns the helpers and reads their
//                 output, doing nothing with it: what any Node tool of this shape pays
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {build} from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const work = path.join(root, '.bench');
// Generated repositories are kept between runs (they are slow to make); the rest is rewritten.
fs.mkdirSync(work, {recursive: true});
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const median = values => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};
const ms = value => `${value.toFixed(0)} ms`;

/** Wall time of a command to exit. */
function timeExit(cmd, args, env = process.env) {
	const start = process.hrtime.bigint();
	const result = spawnSync(cmd, args, {env, stdio: ['ignore', 'ignore', 'ignore']});
	if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}`);
	return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Wall time until `marker` appears on the output of a command run in a pty (util-linux script). */
function timeToOutput(command, marker, env) {
	return new Promise((resolve, reject) => {
		const start = process.hrtime.bigint();
		// A pty of 100x30, like a real terminal (script's pty starts with zero columns).
		const child = spawn('script', ['-qfec', `stty cols 100 rows 30; ${command}`, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'ignore'], detached: true});
		let seen = '';
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
			reject(new Error(`no "${marker}" within 10 s; output: ${seen.slice(-300)}`));
		}, 10_000);
		child.stdout.on('data', chunk => {
			seen += chunk.toString('utf8');
			if (seen.includes(marker)) {
				const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
				clearTimeout(timer);
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {}
				resolve(elapsed);
			}
		});
		child.on('error', reject);
	});
}

/**
 * Runs baseline and subject as pairs, RUNS times (after one warm-up each), alternating which
 * goes first, so drift on a busy machine hits both alike; returns the median times and the
 * median of the paired ratios.
 */
async function paired(baseline, subject, runs = RUNS) {
	await baseline();
	await subject();
	const base = [];
	const sub = [];
	const ratios = [];
	for (let i = 0; i < runs; i++) {
		// Alternate which goes first (ABBA), so neither always runs on a warmer machine.
		let b;
		let t;
		if (i % 2 === 0) {
			b = await baseline();
			t = await subject();
		} else {
			t = await subject();
			b = await baseline();
		}
		base.push(b);
		sub.push(t);
		ratios.push(t / b);
	}
	return {base: median(base), subject: median(sub), ratio: median(ratios)};
}

const env = {...process.env, FORCE_COLOR: '0', LEAKFIX_HOME: path.join(work, 'home')};
delete env.CI;
const node = process.execPath;
const bin = path.join(root, 'bin', 'leakfix.js');
const q = text => `'${text.replace(/'/g, `'\\''`)}'`;
// GNU grep treats stdout on /dev/null like -q and stops at the first match (even with -c): a
// baseline that "finishes" in 5 ms. Every grep baseline writes its answer to a real file instead.
const sink = path.join(work, 'grep.out');

execFileSync(node, [path.join(root, 'scripts', 'build.mjs')], {stdio: 'ignore'});

// Peak memory of leakfix's own process. (/usr/bin/time's %M is the largest of the process and
// its children: on a big repository that is git cat-file's pack mappings, not ours.) A preload
// prints process.resourceUsage().maxRSS at exit; it runs in a separate, untimed run.
const rssPreload = path.join(work, 'rss-preload.mjs');
fs.writeFileSync(rssPreload, "import fs from 'node:fs';\nprocess.on('exit', () => fs.writeSync(2, `\\nleakfix-max-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n");
/**
 * The floor for any Node tool built this way: a bare Node script that only spawns the helper(s)
 * and reads their output, doing nothing with it (no leakfix code at all).
 */
function nodeFloor(script) {
	return () => timeExit(node, ['--input-type=module', '-e', script], env);
}

/** Peak RSS in MB of leakfix itself, and of the largest child it ran. */
function peakRss(args, input) {
	const result = spawnSync('/usr/bin/time', ['-f', 'children-max-rss-kb %M', node, '--import', rssPreload, bin, ...args], {env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	const own = Number(/leakfix-max-rss-kb (\d+)/.exec(result.stderr)?.[1]);
	const any = Number(/children-max-rss-kb (\d+)/.exec(result.stderr)?.[1]);
	return {own: own / 1024, largest: any / 1024};
}

// A bare Ink hello, bundled and minified like ours: the reference for the first frame.
fs.writeFileSync(path.join(work, 'hello.jsx'), "import {render, Text} from 'ink';\nrender(<Text>hello from ink</Text>);\n");
await build({
	entryPoints: [path.join(work, 'hello.jsx')],
	outfile: path.join(work, 'hello.mjs'),
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	minify: true,
	jsx: 'automatic',
	nodePaths: [path.join(root, 'node_modules')],
	define: {'process.env.NODE_ENV': '"production"'},
	banner: {js: "import {createRequire} from 'node:module';const require=createRequire(import.meta.url);"},
	plugins: [
		{
			name: 'stub-devtools',
			setup(b) {
				b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'x', namespace: 'stub'}));
				b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {}', loader: 'js'}));
			},
		},
	],
	logLevel: 'error',
});

const only = process.env.BENCH_ONLY; // 'startup' | 'scan' | 'logs' | undefined (all)
const x = value => `${value.toFixed(2)}×`;
const rows = [];
const results = {runs: RUNS};

if (only === undefined || only === 'startup') {
	const nodeExit = () => timeExit(node, ['-e', '0'], env);
	const nodePty = () => timeToOutput(`${q(node)} -e "process.stdout.write('ready')"`, 'ready', env);
	const helloPty = () => timeToOutput(`${q(node)} ${q(path.join(work, 'hello.mjs'))}`, 'hello from ink', env);
	const wizardPty = () => timeToOutput(`${q(node)} ${q(bin)}`, 'Name this incident', env);
	results.help = await paired(nodeExit, () => timeExit(node, [bin, '--help'], env));
	results.version = await paired(nodeExit, () => timeExit(node, [bin, '--version'], env));
	results.hello = await paired(nodePty, helloPty);
	results.wizard = await paired(nodePty, wizardPty);
	results.wizardVsHello = await paired(helloPty, wizardPty);

	// The package: what npm would publish, and npx of it on a cold cache.
	const pack = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {cwd: root, encoding: 'utf8', env: {...env, npm_config_loglevel: 'silent'}}))[0];
	const tarball = path.join(work, pack.filename);
	const npxTimes = [];
	for (let i = 0; i < 3; i++) {
		const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'leakfix-npx-cache-'));
		npxTimes.push(timeExit('npx', ['--yes', '--cache', cache, '--package', tarball, 'leakfix', '--version'], {...env, npm_config_update_notifier: 'false'}));
		fs.rmSync(cache, {recursive: true, force: true});
	}
	results.npxCold = median(npxTimes);
	results.pack = {file: pack.filename, size: pack.size, unpackedSize: pack.unpackedSize, files: pack.entryCount};
	rows.push(
		['node -e 0 (baseline)', ms(results.help.base), '1.00×', ''],
		['leakfix --help', ms(results.help.subject), x(results.help.ratio), 'target ≤ 1.5×'],
		['leakfix --version', ms(results.version.subject), x(results.version.ratio), ''],
		['node -e write, in a pty (baseline)', ms(results.wizard.base), '1.00×', ''],
		['bare Ink 6.8 hello, bundled: first frame', ms(results.hello.subject), x(results.hello.ratio), 'reference'],
		['leakfix wizard: first frame', ms(results.wizard.subject), x(results.wizard.ratio), `target ≤ 3.5× and ≤ hello; ${x(results.wizardVsHello.ratio)} of hello`],
		['npx packed tarball, cold cache', ms(results.npxCold), '', 'target < 1000 ms'],
		[`package ${pack.filename}`, `${(pack.size / 1024).toFixed(0)} KiB`, '', `${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${pack.entryCount} files, 0 runtime dependencies`],
	);
}

if (only === undefined || only === 'scan') {
	const {generateRepo} = await import('./bench-repo.mjs');
	const key = 'bench' + '_' + 'Zq3xVt9LmP0wRk7YhN2c'; // a fake, built here: never a real key
	const sizes = [];
	for (const commits of [1000, ...String(process.env.BENCH_COMMITS ?? 4000).split(',').map(Number)]) {
		const repo = path.join(work, `repo-${commits}`);
		const info = generateRepo(repo, {commits, key});
		const scanRuns = Math.max(3, Math.floor(RUNS / 3));
		const scanEnv = {...env};
		const baseline = () => timeExit('bash', ['-c', `git -C ${q(repo)} cat-file --batch-all-objects --batch --unordered | grep -c -F ${q(key)} > ${q(sink)}`], scanEnv);
		const naive = () => timeExit('bash', ['-c', `git -C ${q(repo)} log --all -p | grep -F ${q(key)} > ${q(sink)}`], scanEnv);
		const ours = () => {
			const start = process.hrtime.bigint();
			const result = spawnSync(node, [bin, 'scan', '--repo', repo, '--key-stdin', '--json'], {env: scanEnv, input: key, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
			const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
			if (result.status !== 1) throw new Error(`leakfix scan exited ${result.status}: ${result.stderr.slice(-300)}`);
			ours.places = JSON.parse(result.stdout).repos[0].history.length;
			return elapsed;
		};
		const vsBaseline = await paired(baseline, ours, scanRuns);
		const vsNaive = await paired(naive, baseline, scanRuns);
		const floor = nodeFloor(`import {spawn} from 'node:child_process'; const git = spawn('git', ['-C', ${JSON.stringify(repo)}, 'cat-file', '--batch-all-objects', '--batch', '--unordered'], {stdio: ['ignore', 'pipe', 'inherit']}); for await (const chunk of git.stdout) {}`);
		const vsFloor = await paired(baseline, floor, scanRuns);
		const rss = peakRss(['scan', '--repo', repo, '--key-stdin', '--json'], key);
		sizes.push({commits, ...info, baselineMs: vsBaseline.base, oursMs: vsBaseline.subject, ratio: vsBaseline.ratio, naiveMs: vsNaive.base, naiveRatio: 1 / vsNaive.ratio, rssMb: rss.own, gitRssMb: rss.largest, places: ours.places, runs: scanRuns, floorMs: vsFloor.subject, floorRatio: vsFloor.ratio});
	}
	results.scan = sizes;

	/** Key found and key absent on a big repository, each paired with the baseline; the places checked. */
	const bigScan = async (repo, files) => {
		const absentKey = 'bench' + '_' + 'Nq8wEr5TyU1iOp4AsD6f'; // another fake: in no object
		const bigRuns = Number(process.env.BENCH_BIG_RUNS ?? 3);
		const baseline = () => timeExit('bash', ['-c', `git -C ${q(repo)} cat-file --batch-all-objects --batch --unordered | grep -c -F ${q(key)} > ${q(sink)}`], env);
		const scan = (which, expectedStatus) => {
			const run = () => {
				const start = process.hrtime.bigint();
				const result = spawnSync(node, [bin, 'scan', '--repo', repo, '--key-stdin', '--json'], {env, input: which, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
				const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
				if (result.status !== expectedStatus) throw new Error(`leakfix scan exited ${result.status}: ${result.stderr.slice(-300)}`);
				run.places = JSON.parse(result.stdout).repos[0].history;
				return elapsed;
			};
			return run;
		};
		const found = scan(key, 1);
		const absent = scan(absentKey, 0);
		const vsFound = await paired(baseline, found, bigRuns);
		const vsAbsent = await paired(baseline, absent, bigRuns);
		const blobPlaces = found.places.filter(place => place.kind === 'blob');
		for (const file of files) {
			if (!blobPlaces.some(place => place.path === file)) throw new Error(`leakfix scan did not place the key in ${file}`);
		}
		const rssFound = peakRss(['scan', '--repo', repo, '--key-stdin', '--json'], key);
		const rssAbsent = peakRss(['scan', '--repo', repo, '--key-stdin', '--json'], absentKey);
		return {runs: bigRuns, baselineMs: vsFound.base, foundMs: vsFound.subject, foundRatio: vsFound.ratio, absentMs: vsAbsent.subject, absentRatio: vsAbsent.ratio, foundRssMb: rssFound.own, absentRssMb: rssAbsent.own, gitRssMb: Math.max(rssFound.largest, rssAbsent.largest), places: found.places.length};
	};

	// Past every in-memory cap: millions of changes for the mapping pass (see bench-bigrepo.mjs).
	const bigCommits = Number(process.env.BENCH_BIG_COMMITS ?? 85_000);
	if (bigCommits > 0) {
		const {generateBigRepo} = await import('./bench-bigrepo.mjs');
		const repo = path.join(work, `bigrepo-${bigCommits}-${process.env.BENCH_BIG_FILES ?? 100}.git`);
		const info = await generateBigRepo(repo, {key, commits: bigCommits, filesPerDir: Number(process.env.BENCH_BIG_FILES ?? 100)});
		// The three planted files: old (deleted since), new, and the commit only the tag reaches.
		results.bigScan = {...info, ...(await bigScan(repo, ['secrets/deploy.env', 'config/app.ini', 'debug/keys.txt']))};
	}
	// A real one, when a clone of git/git is at hand (BENCH_GITGIT=<its path>): see bench-gitgit.mjs.
	if (process.env.BENCH_GITGIT) {
		const {plantGitGit} = await import('./bench-gitgit.mjs');
		const repo = path.join(work, 'gitgit.git');
		const info = plantGitGit(process.env.BENCH_GITGIT, repo, {key});
		results.gitgitScan = {...info, ...(await bigScan(repo, info.files))};
	}
	for (const size of sizes) {
		rows.push(
			[`repo: ${size.commits} commits, ${size.objects} objects, ${size.mb} MB, ${size.branches} branches, ${size.tags} tags`, '', '', ''],
			['  cat-file --batch-all-objects | grep -c -F (baseline)', ms(size.baselineMs), '1.00×', ''],
			['  git log --all -p | grep -F (naive)', ms(size.naiveMs), x(size.naiveRatio), ''],
			['  bare node: spawn cat-file, read only (floor)', ms(size.floorMs), x(size.floorRatio), 'no leakfix code: Node start + draining the stream'],
			['  leakfix scan (full result: commit, path, line)', ms(size.oursMs), x(size.ratio), `target ≤ 1.2×; peak RSS ${size.rssMb.toFixed(0)} MB (largest git child ${size.gitRssMb.toFixed(0)} MB); ${size.places} places`],
		);
	}
}

if (results.bigScan) {
	const big = results.bigScan;
	rows.push(
		[`repo: ${big.commits} commits, ${big.merges} merges, ${(big.changes / 1e6).toFixed(1)} M changes (git log --all --reflog -c --raw), ${big.objects} objects, ${big.packMb} MB packed`, '', '', ''],
		['  cat-file --batch-all-objects | grep -c -F (baseline)', ms(big.baselineMs), '1.00×', ''],
		['  leakfix scan, key found (old, new, only through a tag)', ms(big.foundMs), x(big.foundRatio), `target ≤ 1.5×; peak RSS ${big.foundRssMb.toFixed(0)} MB (target < 150 MB; largest git child ${big.gitRssMb.toFixed(0)} MB); ${big.places} places`],
		['  leakfix scan, key absent', ms(big.absentMs), x(big.absentRatio), `target ≤ 1.2×; peak RSS ${big.absentRssMb.toFixed(0)} MB`],
	);
}
if (results.gitgitScan) {
	const big = results.gitgitScan;
	rows.push(
		[`repo: git/git (BENCH_GITGIT), ${big.commits} commits, ${big.objects} objects, ${big.packMb} MB packed`, '', '', ''],
		['  cat-file --batch-all-objects | grep -c -F (baseline)', ms(big.baselineMs), '1.00×', ''],
		['  leakfix scan, key found (2006, since deleted; new)', ms(big.foundMs), x(big.foundRatio), `target ≤ 1.5×; peak RSS ${big.foundRssMb.toFixed(0)} MB (target < 150 MB; largest git child ${big.gitRssMb.toFixed(0)} MB); ${big.places} places`],
		['  leakfix scan, key absent', ms(big.absentMs), x(big.absentRatio), `target ≤ 1.2×; peak RSS ${big.absentRssMb.toFixed(0)} MB`],
	);
}

if (only === undefined || only === 'logs') {
	const {generateLog} = await import('./bench-logs.mjs');
	const key = 'bench' + '_' + 'Lg7vQ2mX9pR4tW8yK3nB'; // a fake, built here: never a real key
	const gb = Number(process.env.BENCH_LOG_MB ?? 1024);
	results.logs = [];
	for (const format of ['combined', 'jsonl']) {
		const file = path.join(work, `access-${gb}mb.${format === 'jsonl' ? 'jsonl' : 'log'}`);
		const info = generateLog(file, {bytes: gb * 1024 * 1024, key, format});
		const logRuns = Math.max(3, Math.floor(RUNS / 3));
		const grep = () => timeExit('bash', ['-c', `grep -F -c ${q(key)} ${q(file)} > ${q(sink)}`], env);
		const cat = () => timeExit('bash', ['-c', `cat ${q(file)} > /dev/null`], env);
		const ours = () => {
			const start = process.hrtime.bigint();
			const result = spawnSync(node, [bin, 'logs', file, '--key-stdin', '--since', '2026-10-20', '--tz', 'UTC', '--json'], {env, input: key, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
			const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
			if (result.status !== 0 && result.status !== 1) throw new Error(`leakfix logs exited ${result.status}: ${result.stderr.slice(-300)}`);
			ours.keyLines = JSON.parse(result.stdout).analysis.keyLines;
			return elapsed;
		};
		const vsGrep = await paired(grep, ours, logRuns);
		const vsCat = await paired(cat, ours, logRuns);
		const floor = nodeFloor(`import {spawn} from 'node:child_process'; const grep = spawn('grep', ['-F', '-a', '-b', ${JSON.stringify(key)}, ${JSON.stringify(file)}], {stdio: ['ignore', 'pipe', 'inherit']}); const wc = spawn('wc', ['-l', ${JSON.stringify(file)}], {stdio: ['ignore', 'pipe', 'inherit']}); for await (const chunk of grep.stdout) {} for await (const chunk of wc.stdout) {}`);
		const vsFloor = await paired(grep, floor, logRuns);
		const rss = peakRss(['logs', file, '--key-stdin', '--since', '2026-10-20', '--tz', 'UTC', '--json'], key);
		if (ours.keyLines !== info.keyLines) throw new Error(`leakfix logs counted ${ours.keyLines} lines for the key, the generator wrote ${info.keyLines}`);
		results.logs.push({format, ...info, grepMs: vsGrep.base, catMs: vsCat.base, oursMs: vsGrep.subject, vsGrep: vsGrep.ratio, vsCat: vsCat.ratio, rssMb: rss.own, childRssMb: rss.largest, floorMs: vsFloor.subject, floorRatio: vsFloor.ratio});
	}
	// Peak memory across sizes and compressions: the same whatever the size (target < 100 MB).
	results.logsMemory = [];
	for (const mb of [...new Set([300, gb])]) {
		const file = path.join(work, `access-${mb}mb.log`);
		generateLog(file, {bytes: mb * 1024 * 1024, key, format: 'combined'});
		const gz = `${file}.gz`;
		if (!fs.existsSync(gz)) execFileSync('bash', ['-c', `gzip -1 -c ${q(file)} > ${q(gz)}.tmp && mv ${q(gz)}.tmp ${q(gz)}`]);
		for (const [compression, target] of [['plain', file], ['gzip', gz]]) {
			// The larger of two runs (the peak varies a little with the garbage collector's timing).
			const peaks = [0, 1].map(() => peakRss(['logs', target, '--key-stdin', '--since', '2026-10-20', '--tz', 'UTC', '--json'], key).own);
			results.logsMemory.push({mb, compression, bytes: fs.statSync(target).size, rssMb: Math.max(...peaks)});
		}
	}
	for (const entry of results.logs) {
		rows.push(
			[`log: ${(entry.bytes / 1024 / 1024).toFixed(0)} MB ${entry.format}, ${entry.lines} lines, key in ${entry.keyLines}`, '', '', ''],
			['  grep -F -c KEY (baseline)', ms(entry.grepMs), '1.00×', ''],
			['  cat > /dev/null', ms(entry.catMs), '', ''],
			['  bare node: spawn grep -b + wc -l, read only (floor)', ms(entry.floorMs), x(entry.floorRatio), 'no leakfix code: Node start + the two helpers'],
			['  leakfix logs (full analysis)', ms(entry.oursMs), x(entry.vsGrep), `target ≤ 1.5× grep; ${x(entry.vsCat)} of cat; peak RSS ${entry.rssMb.toFixed(0)} MB (target < 100 MB)`],
		);
	}
}

if (results.logsMemory) {
	rows.push(['log: leakfix logs peak RSS (own process), combined, key in 1%', '', '', 'target < 100 MB whatever the size']);
	for (const entry of results.logsMemory) rows.push([`  ${entry.mb} MB ${entry.compression}${entry.compression === 'gzip' ? ` (${(entry.bytes / 1024 / 1024).toFixed(0)} MB on disk)` : ''}`, `${entry.rssMb.toFixed(0)} MB`, '', '']);
}

const width = rows.reduce((max, row) => Math.max(max, row[0].length), 0);
console.log(`leakfix bench — Node ${process.version}, ${os.cpus().length} cores, median of paired runs (ABBA), ${RUNS} start-up runs`);
for (const [name, time, r, note] of rows) console.log(`${name.padEnd(width)}  ${time.padStart(9)}  ${r.padStart(6)}  ${note}`);
fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify(results, null, 2));
