// `leakfix scan`: the exposure scan without the UI. Exit 0 nothing found, 1 found, 2 error.
import {describePlace, describeRefs, describeRemoval, foundAnything, type RepoExposure} from '../core/exposure.js';
import {visible, visibleBlock} from '../core/text.js';
import {formatDuration} from '../core/time.js';
import {scanRepo, type ScanProgress} from '../engines/scan/index.js';

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
		lines.push(`${visible(result.repo)}: read ${result.objects} objects (${(result.bytes / 1024 / 1024).toFixed(1)} MB) and ${result.files} files in ${(result.durationMs / 1000).toFixed(1)} s`);
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
