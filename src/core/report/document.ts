// The report as one document: headline and summary first, then the decisions and the evidence,
// then the checklist, then the timeline. Markdown and HTML render this same document, so they
// cannot say different things; text in it is plain (each renderer escapes and makes control
// characters visible).
import {LEAK_PLACE_LABELS} from '../model.js';
import {blastRadiusLine} from '../scopes.js';
import {formatDuration, formatTime} from '../time.js';
import type {JsonReport} from './model.js';

/** Inline text: plain, `code` (a key's masked form, a commit) or strong. */
export type Inline = string | {code: string} | {strong: string};
export type Rich = Inline[];
export type Fact = {label?: string; text: Rich; check?: 'done' | 'open' | 'skipped'; sub?: Rich[]};
export type Block =
	| {kind: 'headline'; text: string}
	| {kind: 'note'; text: Rich}
	| {kind: 'p'; text: Rich}
	| {kind: 'facts'; items: Fact[]}
	| {kind: 'table'; head: string[]; rows: Rich[][]; /** Columns that hold times: never wrapped. */ times?: number[]}
	| {kind: 'pre'; lines: string[]};
export type Section = {title: string; level: 2 | 3; blocks: Block[]};
export type ReportDocument = {title: string; top: Block[]; sections: Section[]};

const STEP_STATUS_WORDS = {todo: 'not started', 'in-progress': 'in progress', complete: 'complete'} as const;
const FROM = {env: 'the environment', 'aws-sm': 'AWS Secrets Manager', vault: 'HashiCorp Vault', conjur: 'CyberArk Conjur'} as const;

/** The severity's reasons, the one that set the level first (misuse in the logs outranks "revoked now"). */
function severityReasons(reasons: string[]): string {
	return [...reasons.filter(reason => /suspicious/.test(reason)), ...reasons.filter(reason => !/suspicious/.test(reason))].join('; ');
}

type TimelineEntry = JsonReport['timeline'][number];
/** A timeline line: consecutive identical events in a minute, and a run of the responder's own ticks in one step, are one line. */
export type FoldedEntry = TimelineEntry & {times: number};

export function foldedTimeline(timeline: TimelineEntry[]): FoldedEntry[] {
	const folded: FoldedEntry[] = [];
	const routine = (entry: TimelineEntry) => entry.kind === 'item.done' && entry.text.startsWith('Done: ') && !entry.text.includes('(leakfix: ');
	for (const entry of timeline) {
		const last = folded.at(-1);
		if (last && last.text === entry.text && last.step === entry.step && last.by === entry.by && last.at.slice(0, 16) === entry.at.slice(0, 16)) last.times++;
		else if (last && routine(entry) && last.step === entry.step && last.by === entry.by && (last.kind === 'item.done.folded' || routine(last))) {
			const titles = last.kind === 'item.done.folded' ? last.text.replace(/^Ticked \d+ items: /, '') : last.text.replace(/^Done: /, '');
			const count = last.kind === 'item.done.folded' ? Number(/^Ticked (\d+)/.exec(last.text)![1]) + 1 : 2;
			folded[folded.length - 1] = {...last, kind: 'item.done.folded', item: null, text: `Ticked ${count} items: ${titles}; ${entry.text.replace(/^Done: /, '')}`};
		} else folded.push({...entry, times: 1});
	}
	return folded;
}

function incidentFacts(report: JsonReport): Fact[] {
	const {incident} = report;
	const complete = report.steps.filter(step => step.status === 'complete').length;
	const facts: Fact[] = [
		{label: 'Incident', text: [{code: incident.id}, ` (${incident.status === 'complete' ? 'complete' : `open, ${complete} of ${report.steps.length} steps complete`})`]},
		{label: 'Provider', text: [incident.provider.name]},
		{label: 'Key', text: [{code: incident.key.masked}, ' (sha256 ', {code: `${incident.key.fingerprint.slice(0, 16)}…`}, ')']},
		{label: 'Leaked in', text: [`${LEAK_PLACE_LABELS[incident.leak.where as keyof typeof LEAK_PLACE_LABELS] ?? incident.leak.where}${incident.leak.url ? ` — ${incident.leak.url}` : ''}`]},
		{label: 'Noticed', text: [formatTime(incident.leak.noticedAt)]},
		{label: 'Opened', text: [`${formatTime(incident.createdAt)}; last change ${formatTime(incident.updatedAt)}`]},
	];
	if (incident.closedAt) facts.push({label: 'Completed', text: [`${formatTime(incident.closedAt)} (${formatDuration(Date.parse(incident.closedAt) - Date.parse(incident.leak.noticedAt))} after it was noticed)`]});
	if (report.severity) facts.push({label: 'Severity now', text: [`${report.severity.level.toUpperCase()} — ${severityReasons(report.severity.reasons)}`]});
	if (report.peakSeverity && report.severity && report.peakSeverity.level !== report.severity.level) facts.push({label: 'Severity at its peak', text: [`${report.peakSeverity.level.toUpperCase()} (${formatTime(report.peakSeverity.at)}) — ${report.peakSeverity.reasons}`]});
	if (report.severity?.containFirst) facts.push({label: 'Contain first', text: [report.severity.containFirst.replace(/^Contain first: /, '')]});
	facts.push({label: 'Report generated', text: [formatTime(report.generatedAt)]});
	return facts;
}

/** Everyone who acted, in the order they first did. */
function respondersFact(report: JsonReport): Fact[] {
	const who = [...new Set(report.timeline.map(entry => entry.by).filter((by): by is string => by !== undefined))];
	return who.length === 0 ? [] : [{label: who.length === 1 ? 'Responder' : 'Responders', text: [who.join('; ')]}];
}

/** The scanner or alert the incident started from, and where it found the key. */
function originSection(report: JsonReport): Section | null {
	const origin = report.origin;
	if (!origin) return null;
	const facts: Fact[] = [
		{label: 'Found by', text: [`${origin.scanner}${origin.rule ? ` (rule ${origin.rule})` : ''}${origin.source ? `, ${origin.source}` : ''}`]},
		{label: "The scanner's verdict", text: [`${origin.validity}${origin.validityText ? ` (${origin.validityText})` : ''}`]},
	];
	if (report.group) facts.push({label: 'Group', text: [`secret ${report.group.index} of ${report.group.size} from one report (${report.group.id})`]});
	if (origin.redacted) facts.push({text: ['The report held no secret: the responder typed the key.']});
	const blocks: Block[] = [{kind: 'facts', items: facts}];
	if (origin.places.length > 0) {
		blocks.push({
			kind: 'table',
			head: ['Repository', 'File', 'Line', 'Commit', 'Author', 'Date'],
			rows: origin.places.map(place => [[place.repo ?? ''], [place.file ?? ''], [place.line === undefined ? '' : String(place.line)], place.commit ? [{code: place.commit.slice(0, 10)}] : [''], [place.author ?? ''], [place.date ?? '']]),
		});
		if (origin.placesTotal > origin.places.length) blocks.push({kind: 'p', text: [`… and ${origin.placesTotal - origin.places.length} more place(s) in the scanner's report.`]});
	}
	return {title: 'Where the scanner found it', level: 2, blocks};
}

function timesFacts(report: JsonReport): Fact[] {
	const times = report.times;
	const facts: Fact[] = [];
	if (times.detectMs !== null) facts.push({label: 'To detect', text: [`${formatDuration(times.detectMs)} (first exposure → noticed)`]});
	if (times.containMs !== null) facts.push({label: 'To contain', text: [`${formatDuration(times.containMs)} (noticed → old key deactivated)`]});
	if (times.recoverMs !== null) facts.push({label: 'To recover', text: [`${formatDuration(times.recoverMs)} (noticed → old key proven dead, new key live)`]});
	return facts;
}

function probeSection(report: JsonReport): Section | null {
	const facts: Fact[] = [];
	if (report.probe) facts.push({label: 'Liveness (assess)', text: [`${report.probe.status} at ${formatTime(report.probe.at)} — ${report.probe.reason} (${report.probe.request})`]});
	const r = report.rotation ?? {};
	const v = report.verification ?? {};
	if (r.newKey) facts.push({label: 'New key', text: [{code: r.newKey.masked}, ` entered ${formatTime(r.newKey.enteredAt)}${r.newKeyProbe ? `; probed ${r.newKeyProbe.status} (${r.newKeyProbe.reason})` : ''}`]});
	if (r.newKey || r.deactivatedAt) facts.push({label: 'Old key deactivated', text: [r.deactivatedAt ? `${formatTime(r.deactivatedAt)} — ${r.deactivation ?? ''}` : 'not yet']});
	if (v.oldKey) facts.push({label: 'Old key probe', text: [`${v.oldKey.status} at ${formatTime(v.oldKey.at)} (${v.oldKey.reason})`]});
	if (v.newKey) facts.push({label: 'New key probe', text: [`${v.newKey.status} at ${formatTime(v.newKey.at)}`]});
	if (v.rescan) facts.push({label: 'Re-scan', text: [`${v.rescan.remaining === 0 ? 'no copy of the old key left in the working tree' : `still in ${v.rescan.files.join(', ')}`} (${formatTime(v.rescan.at)})`]});
	if (v.verifiedAt) facts.push({label: 'Verified', text: [formatTime(v.verifiedAt)]});
	return facts.length > 0 ? {title: 'Probes, rotation and verification', level: 2, blocks: [{kind: 'facts', items: facts}]} : null;
}

/** What the key can do, as the provider told it after the assess probe (src/core/scopes.ts). */
function blastRadiusSection(report: JsonReport): Section | null {
	const blast = report.probe?.blastRadius;
	if (!blast) return null;
	const facts: Fact[] = [{label: 'Power', text: [blastRadiusLine(blast)]}];
	for (const fact of blast.facts) facts.push({label: fact.label, text: [fact.value]});
	if (blast.quarantine) facts.push({label: 'AWS quarantine', text: [`${blast.quarantine.policy} is attached to the key's user: do not detach it until the key is rotated`]});
	for (const note of blast.notes) facts.push({label: 'Note', text: [note]});
	return {title: 'What the key can do', level: 2, blocks: [{kind: 'facts', items: facts}]};
}

function exposureSection(report: JsonReport): Section | null {
	if (!report.exposure) return null;
	const blocks: Block[] = [];
	for (const repo of report.exposure.repos) {
		const facts: Fact[] = [{label: 'Repository', text: [`${repo.repo}: ${repo.historyCount} place(s) in history, ${repo.worktreeCount} in the working tree (${repo.objects} objects scanned, ${repo.files} files read)`]}];
		const first = repo.firstExposure;
		if (first) facts.push({label: 'First exposure', text: [{code: first.commit.slice(0, 10)}, ` on ${formatTime(first.date)} by ${first.author} (${first.where}); ${first.pushed ? `pushed (${first.remoteRefs.join(', ')})` : 'not on any remote-tracking branch'}`]});
		for (const remote of repo.remotes) facts.push({label: `Remote ${remote.name}`, text: [`${remote.url}${remote.forge ? ` (public forge: ${remote.forge})` : ''}`]});
		for (const warning of repo.warnings) facts.push({label: 'Warning', text: [warning]});
		blocks.push({kind: 'facts', items: facts});
		if (repo.places.length > 0) blocks.push({kind: 'pre', lines: repo.places});
		if (repo.worktreeFiles.length > 0) blocks.push({kind: 'p', text: [`Still in the working tree: ${repo.worktreeFiles.join(', ')}`]});
	}
	return {title: `Exposure (scanned ${formatTime(report.exposure.scannedAt)})`, level: 2, blocks};
}

function logsSection(report: JsonReport): Section | null {
	const logs = report.logs;
	if (!logs) return null;
	const facts: Fact[] = [{label: 'Read', text: [`${logs.source}: ${logs.lines} line(s), ${logs.keyLines} request(s) with the key (${logs.baselineLines} before the exposure, ${logs.exposureLines} after), ${logs.distinctIps} address(es)`]}];
	if (logs.window.first) facts.push({label: 'Window', text: [`${formatTime(logs.window.first)} → ${formatTime(logs.window.last!)}${logs.window.exposureStart ? `; exposure from ${formatTime(logs.window.exposureStart)}` : ''}`]});
	facts.push({label: 'Business hours', text: [`${logs.businessHours} Mon–Fri, ${logs.timeZone}${logs.allow.length > 0 ? `; allowlist ${logs.allow.join(', ')}` : ''}`]});
	if (logs.malformed.count > 0) facts.push({label: 'Malformed lines skipped', text: [String(logs.malformed.count)]});
	for (const note of logs.notes) facts.push({label: 'Note', text: [note]});
	const blocks: Block[] = [{kind: 'facts', items: facts}];
	if (logs.findings.length === 0) blocks.push({kind: 'p', text: ['No findings.']});
	else {
		const order = {suspicious: 0, open: 1, expected: 2} as const;
		blocks.push({
			kind: 'table',
			head: ['Verdict', 'Finding', 'First seen', 'Last seen', 'Note'],
			times: [2, 3],
			rows: [...logs.findings]
				.sort((a, b) => order[a.verdict] - order[b.verdict])
				.map(finding => [
					finding.verdict === 'open' ? ['not reviewed'] : finding.verdict === 'suspicious' ? [{strong: 'suspicious'}] : ['expected'],
					[`${finding.title}${finding.detail ? ` (${finding.detail})` : ''}`],
					[formatTime(finding.firstSeen)],
					[formatTime(finding.lastSeen)],
					[finding.note ?? ''],
				]),
		});
	}
	return {title: `Logs (analysed ${formatTime(logs.analyzedAt)})`, level: 2, blocks};
}

function inventorySection(report: JsonReport): Section | null {
	if (report.inventory.length === 0) return null;
	const result = (value: {status: string; detail: string} | undefined) => (value ? `${value.status}: ${value.detail}` : '—');
	return {
		title: 'Inventory and updates',
		level: 2,
		blocks: [
			{
				kind: 'table',
				head: ['Service', 'Env', 'Where the key lives', 'Owner', 'Update', 'Restart', 'Health'],
				rows: report.inventory.map(entry => [
					[entry.service],
					[entry.environment],
					[entry.address],
					[entry.owner ?? ''],
					[`${result(entry.update)}${entry.updateRetry ? `; a later re-run ${entry.updateRetry.status}: ${entry.updateRetry.detail}` : ''}`],
					[entry.restart ? result(entry.restarted) : 'none'],
					[entry.health ? `${result(entry.healthResult)}${entry.verifyHealth ? `; verify ${result(entry.verifyHealth)}` : ''}` : entry.verifyHealth ? `verify ${result(entry.verifyHealth)}` : 'none'],
				]),
			},
		],
	};
}

/** Who can read each store's copy (the access readers), with the responder's verdict, and what was not read. */
function accessSection(report: JsonReport): Section | null {
	const read = report.inventory.filter(entry => entry.access);
	if (read.length === 0) return null;
	const verdicts = {open: 'not reviewed', expected: 'expected', 'to-fix': 'to fix'} as const;
	const blocks: Block[] = [];
	const rows = read.flatMap(entry => entry.access!.findings.map(finding => [[entry.service], [finding.who], [finding.how], [verdicts[finding.verdict]], [finding.note ?? '']] as Rich[]));
	if (rows.length > 0) blocks.push({kind: 'table', head: ['Service', 'Who can read it', 'How', 'Verdict', 'Note'], rows});
	const unread = read.flatMap(entry => entry.access!.unread.map(line => ({label: 'Not read', text: [`${entry.service}: ${line}`]})));
	const checked = read.map(entry => ({label: 'Read', text: [`${entry.service} (${entry.address}) ${formatTime(entry.access!.checkedAt)}: ${entry.access!.commands.join('; ') || 'no command'}`]}));
	blocks.push({kind: 'facts', items: [...checked, ...unread]});
	return {title: 'Who can read it', level: 2, blocks};
}

function hardeningSection(report: JsonReport): Section | null {
	const h = report.hardening;
	if (!h) return null;
	const facts: Fact[] = [{label: 'Services read', text: [{code: h.variable}, ` (from ${h.store === 'env' ? 'the environment' : `${FROM[h.store]}, through the environment`}), ${formatTime(h.at)}`]}];
	for (const file of h.files) {
		const text = `${file.file} (line${file.lines.length === 1 ? '' : 's'} ${file.lines.join(', ')})${file.store ? `, reads from ${FROM[file.store]}` : ''}${file.reason ? ` — ${file.reason}` : ''}`;
		facts.push(file.status === 'rewritten' ? {text: [`De-hard-coded ${text}`]} : {label: 'By hand', text: [text]});
	}
	if ((h.readers ?? []).length > 0) facts.push({label: 'Read the variable', text: [(h.readers ?? []).join(', ')]});
	for (const change of h.config) facts.push({text: [change]});
	for (const change of h.configPending ?? []) facts.push({label: 'Not written', text: [change]});
	facts.push({label: 'Guard', text: [h.guard ? `${h.guard.where} — ${h.guard.how}` : 'none installed']});
	return {title: 'Prevent recurrence', level: 2, blocks: [{kind: 'facts', items: facts}]};
}

function checklistSections(report: JsonReport): Section[] {
	return report.steps.map(step => ({
		title: `${step.number}. ${step.title} — ${STEP_STATUS_WORDS[step.status]}`,
		level: 3 as const,
		blocks: [
			{
				kind: 'facts' as const,
				items: step.items.map(item => {
					const tags = [item.required ? '' : '(optional)', item.source === 'generic' ? '' : `(${item.source})`].filter(Boolean).join(' ');
					const text: Rich = [`${item.title}${tags ? ` ${tags}` : ''}`];
					if (item.status === 'skipped') text.push(' — ', {strong: 'skipped:'}, ` ${item.reason ?? ''}`);
					return {check: item.status, text, ...(item.note ? {sub: [[`Note: ${item.note}`]]} : {})};
				}),
			},
		],
	}));
}

export function reportDocument(report: JsonReport): ReportDocument {
	const top: Block[] = [];
	if (report.incident.demo) top.push({kind: 'note', text: ['Demo incident: the key is a fake planted by ', {code: 'leakfix demo'}, '.']});
	top.push({kind: 'headline', text: report.summary.headline});
	const sections: Section[] = [
		{title: 'Summary', level: 2, blocks: [{kind: 'facts', items: [...report.summary.lines.map(line => ({text: [line]})), ...timesFacts(report), ...respondersFact(report)]}]},
		{title: 'Incident', level: 2, blocks: [{kind: 'facts', items: incidentFacts(report)}]},
		...[originSection(report), probeSection(report), blastRadiusSection(report), exposureSection(report), logsSection(report), inventorySection(report), accessSection(report), hardeningSection(report)].filter((section): section is Section => section !== null),
	];
	if (report.followUps.length > 0) {
		sections.push({title: 'Follow-ups', level: 2, blocks: [{kind: 'facts', items: report.followUps.map(followUp => ({check: followUp.doneAt ? 'done' : 'open', text: [`${followUp.title} — due ${formatTime(followUp.due)}${followUp.doneAt ? `, done ${formatTime(followUp.doneAt)}` : ''}`]}))}]});
	}
	if (report.schedule) {
		sections.push({title: 'Next rotation', level: 2, blocks: [{kind: 'facts', items: [{text: [`Rotate the key again ${formatTime(report.schedule.nextRotation)} (every ${report.schedule.days} days${report.schedule.from ? `, counted from ${formatTime(report.schedule.from)}` : ''}; set ${formatTime(report.schedule.setAt)})`]}]}]});
	}
	sections.push({title: 'Checklist', level: 2, blocks: []}, ...checklistSections(report));
	sections.push({
		title: 'Timeline',
		level: 2,
		blocks: [
			{
				kind: 'table',
				head: ['Time (UTC)', 'Step', 'What happened', 'Who'],
				times: [0],
				rows: foldedTimeline(report.timeline).map(entry => {
					const step = report.steps.find(candidate => candidate.id === entry.step);
					return [[formatTime(entry.at).replace(' UTC', '')], [step ? `${step.number}. ${step.title}` : ''], [`${entry.text}${entry.times > 1 ? ` (×${entry.times})` : ''}`], [entry.by ?? '']];
				}),
			},
		],
	});
	return {title: `Incident report: ${report.incident.name}`, top, sections};
}
