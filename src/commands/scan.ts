// `leakfix scan`: the exposure scan without the UI. Exit 0 nothing found, 1 found, 2 error.
import {leakedKey, splitPair} from '../core/leaked-key.js';
import path from 'node:path';
import {describePlace, describeRefs, describeRemoval, foundAnything, type RepoExposure} from '../core/exposure.js';
import {safeJson, visible, visibleBlock} from '../core/text.js';
import {formatDuration} from '../core/time.js';
import {scanRepo, type ScanProgress} from '../engines/scan/index.js';
import type {ImageScan} from '../engines/scan/image.js';
import {UserError} from '../infra/errors.js';
import type {CommandIo, Values} from './options.js';
import {readKey} from './stdin.js';

export function progressLine(progress: ScanProgress): string {
	const seconds = Math.max(progress.elapsedMs / 1000, 0.001);
	if (progress.phase === 'worktree') return `scanning the working tree: ${progress.objects} files`;
	if (progress.phase === 'locate') return 'mapping matches to commits…';
	const mb = progress.bytes / 1024 / 1024;
	const rate = mb / seconds;
	const done = progress.totalObjects > 0 ? Math.min(progress.objects / progress.totalObjects, 1) : 0;
	const eta = done > 0.01 ? ` · ETA ${formatDuration(progress.elapsedMs / done - progress.elapsedMs + 59_999)}` : '';
	return `scanning history: ${progress.objects}/${progress.totalObjects} objects · ${mb.toFixed(1)} MB · ${rate.toFixed(1)} MB/s${eta}`;
}

/** Every name, path, author, ref and line in it is outside text: shown with its controls visible. */
export function renderScanText(results: RepoExposure[]): string {
	const lines: string[] = [];
	for (const result of results) {
		lines.push(`${visible(result.repo)}: scanned ${result.objects} objects (${(result.bytes / 1024 / 1024).toFixed(1)} MB read) and ${result.files} files in ${(result.durationMs / 1000).toFixed(1)} s`);
		for (const warning of result.warnings) lines.push(`  ! ${visible(warning)}`);
		for (const remote of result.remotes) lines.push(`  remote ${visible(remote.name)}: ${visible(remote.url)}${remote.forge ? ` (a public forge, ${remote.forge}: confirm whether the repository is public)` : ''}`);
		if (!foundAnything(result)) {
			lines.push('  The key was not found.');
			continue;
		}
		if (result.firstExposure) {
			const first = result.firstExposure;
			lines.push(`  First exposure: ${first.commit.slice(0, 10)} on ${first.date.slice(0, 16).replace('T', ' ')} UTC by ${visible(first.author)} (${visible(first.where)})`);
			lines.push(`  ${first.pushed ? `Pushed: reachable from ${visible(first.remoteRefs.join(', '))}` : 'Not reachable from any remote-tracking branch (not pushed, as far as this clone knows)'}`);
			if (first.refs) lines.push(`  That commit is ${visible(describeRefs(first.refs, 8))}`);
			if (first.removedIn !== undefined) lines.push(`  In that file: ${visible(describeRemoval(first.removedIn))}`);
		}
		if (result.history.length > 0) {
			lines.push(`  In history (${result.history.length}):`);
			for (const place of result.history) lines.push(`    ${visible(describePlace(place))}`);
		}
		if (result.worktree.length > 0) {
			lines.push(`  In the working tree now (${result.worktree.length}):`);
			for (const hit of result.worktree) {
				lines.push(`    ${visible(hit.path)}${hit.line === null ? ` @${hit.offset}` : `:${hit.line}`} (${hit.status}${hit.form === 'raw' ? '' : `, ${hit.form}`})  ${visible(hit.text)}`);
			}
		}
	}
	return visibleBlock(`${lines.join('\n')}\n`);
}

export async function runScan(repos: string[], key: string, options: {signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void}): Promise<RepoExposure[]> {
	const results: RepoExposure[] = [];
	for (const repo of repos) results.push(await scanRepo(repo, key, options));
	return results;
}

/** `leakfix scan --image/--tar`: layer, path and line of each copy (masked), whiteouts named; outside text made visible. */
export function renderImageText(result: ImageScan): string {
	const lines: string[] = [];
	const searched = result.layers.filter(layer => layer.searched);
	const files = searched.reduce((sum, layer) => sum + layer.files, 0);
	const megabytes = result.layers.reduce((sum, layer) => sum + layer.bytes, 0) / 1024 / 1024;
	const name = result.source.kind === 'image' ? `image ${visible(result.source.name)} (exported with ${result.source.engine ?? 'docker'} save)` : `archive ${visible(result.source.name)}`;
	lines.push(`${name}${result.tags.length > 0 ? `, tagged ${visible(result.tags.join(', '))}` : ''}: searched ${searched.length} of ${result.layers.length} layer(s), ${files} files, ${megabytes.toFixed(1)} MB, and the image config in ${(result.durationMs / 1000).toFixed(1)} s`);
	for (const warning of result.warnings) lines.push(`  ! ${visible(warning)}`);
	if (result.hits.length === 0) lines.push('  The key was not found.');
	else {
		lines.push(`  Found (${result.hits.length}):`);
		for (const hit of result.hits) {
			const where = hit.layer === 0 ? 'image config' : `layer ${hit.layer} (${visible(hit.layerId)})`;
			const at = hit.line === null ? ` @${hit.offset}` : `:${hit.line}`;
			const removed = hit.removed ? ` — ${hit.removed.how === 'whiteout' ? 'deleted' : 'replaced'} in layer ${hit.removed.layer}, but still in layer ${hit.layer}: anyone who pulls the image can read it` : '';
			lines.push(`    ${where}: ${visible(hit.path)}${at} (${hit.form})${removed}${hit.text ? `  ${visible(hit.text)}` : ''}`);
		}
		if (result.hits.some(hit => hit.layer > 0)) lines.push('  Rebuild the image without the file (a build secret, RUN --mount=type=secret, instead of COPY or ARG), push it, and delete the old tags and digests from every registry: deleting a file in a later layer does not remove it.');
		if (result.hits.some(hit => hit.layer === 0)) lines.push('  The image config holds it (an ENV value, or a build ARG recorded in its history): anyone can read it with docker inspect or docker history.');
	}
	if (result.whiteoutCount > 0) lines.push(`  Whiteouts (paths a layer deleted from the ones below it): ${result.whiteoutCount}${result.whiteoutCount > result.whiteouts.length ? `, the first ${result.whiteouts.length}` : ''}: ${visible(result.whiteouts.slice(0, 20).map(entry => `${entry.path} (layer ${entry.layer})`).join(', '))}${result.whiteouts.length > 20 ? ', …' : ''}`);
	return visibleBlock(`${lines.join('\n')}\n`);
}

/** leakfix scan: a repository's tree and history, or a container image (exit 1 found). */
export async function run(values: Values, _rest: string[], io: CommandIo): Promise<number> {
	if (values['key-stdin'] !== true) throw new UserError('leakfix scan needs the key on stdin: --key-stdin.', 'Example: pass show cloudsight/key | leakfix scan --key-stdin --json');
	if (values.image !== undefined || values.tar !== undefined) {
		if (values.image !== undefined && values.tar !== undefined) throw new UserError('Scan one image at a time: --image NAME or --tar FILE, not both.');
		if (values.repo !== undefined) throw new UserError('--image and --tar search a container image, --repo a repository: run them one at a time.');
		const key = await readKey(io);
		const {scanImage, scanImageTar} = await import('../engines/scan/image.js');
			const {createRedactor} = await import('../core/secrets.js');
		const result = values.image !== undefined ? await scanImage(values.image, key) : await scanImageTar(path.resolve(values.tar!), key, {kind: 'tar', name: values.tar!});
		// Paths in an image are outside text and could hold the key itself: masked on the way out.
		io.stdout.write(createRedactor([key]).text(values.json ? `${safeJson({found: result.hits.length > 0, image: result}, 2)}\n` : renderImageText(result)));
		return result.hits.length > 0 ? 1 : 0;
	}
	// A key that is an AWS pair (AKIA…:secret) is searched by its secret half, which every copy holds.
	const entered = await readKey(io);
	const key = leakedKey(entered, splitPair(entered) ? 'aws-pair' : 'single').secret;
	const controller = new AbortController();
	const onInterrupt = () => controller.abort();
	process.once('SIGINT', onInterrupt);
	const showProgress = (io.stderr as {isTTY?: boolean}).isTTY === true && !values.json;
	try {
		const results = await runScan(values.repo ?? [process.cwd()], key, {
			signal: controller.signal,
			...(showProgress ? {onProgress: progress => io.stderr.write(`\r\u001B[2K${progressLine(progress)}`)} : {}),
		});
		if (showProgress) io.stderr.write('\r\u001B[2K');
		if (controller.signal.aborted) throw new UserError('Scan cancelled.');
		io.stdout.write(values.json ? `${safeJson({found: results.some(foundAnything), repos: results}, 2)}\n` : renderScanText(results));
		return results.some(foundAnything) ? 1 : 0;
	} finally {
		process.off('SIGINT', onInterrupt);
	}
}
