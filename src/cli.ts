// argv -> command. `--help` and `--version` answer before anything heavy is imported; the
// interactive commands check the terminal before Ink is loaded; the rest print text or JSON.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {ExternalError, UserError} from './infra/errors.js';
import {safeJson, visible, visibleBlock} from './core/text.js';

export const HELP = `leakfix — walk through a leaked API key incident, step by step

Usage
  leakfix                     start a new incident (or resume an unfinished one)
  leakfix resume [<id>]       pick up an incident where you left off
  leakfix demo                a throwaway demo incident with a fake key (no real key needed)
  leakfix --from FILE         start from a scanner report (gitleaks JSON or SARIF, TruffleHog
                              JSON lines, ggshield JSON, Kingfisher JSON, SARIF): pick the
                              secrets, one incident each, linked as a group
  leakfix --from-github OWNER/REPO[#ALERT]
                              start from GitHub secret-scanning alerts (read with your gh api)
  leakfix intake (--from FILE | --from-github OWNER/REPO[#ALERT]) [--json]
                              what leakfix reads there, by secret, masked (exit 2 when a
                              finding holds no secret: the key must be typed)
  leakfix list [--json]       incidents on this machine: id, name, provider, status, last change
  leakfix export [<id>] --out FILE
                              hand the incident over: checklist, timeline, findings, inventory
                              (no secret: only the key's fingerprint and masked form)
  leakfix import FILE [--as-new]
                              open a handed-over incident here (the key is asked again and
                              checked against its fingerprint); the same incident is updated
                              only when the file holds all of it and more, never overwritten
  leakfix report [<id>] [--format md|json|html|status|ics] [--out FILE] [--told WHO]
                              the incident's checklist and timeline (default: latest, md);
                              ics: the next rotation as a calendar reminder
  leakfix harden [--repo PATH]... --key-stdin [--provider ID] [--env-var NAME]
                 [--store env|aws-sm|vault|conjur] [--store FILE=STORE]... [--address ADDR]
                 [--ci github|gitlab|shell] [--dry-run] [--json]
                              every committed copy of the key rewritten to read the variable
                              (JavaScript/TypeScript, Python, Go, Java, Ruby), .env.example and
                              .gitignore, and pre-commit and pre-push guards that refuse the key
                              by its sha256; --ci adds a CI job doing the same for pushed
                              commits; --dry-run prints the diffs and changes nothing
  leakfix status [--json]     follow-ups due across incidents (re-check the logs after 24 h
                              and 7 d), rotations scheduled, and incidents still open
                              (exit 1 when one is due)
  leakfix access [<id>] [--read] [--mark ENTRY#N=expected|to-fix]... [--json]
                              who can read each store's copy of the key (resource policies,
                              Vault policies, shared repositories and admins, Kubernetes
                              RBAC, file modes); --read runs the read-only commands (each
                              printed first) and saves what they found
  leakfix schedule [<id>] [--days N] [--ics] [--out FILE] [--json]
                              sets the key's next rotation, N days after the rotation's end
                              (default: the provider's interval, else 90); --ics exports it
                              as a calendar file (RFC 5545), the key masked
  leakfix rotate [<id>] --dry-run
                              every command step 4 would run for the incident, in order,
                              with the key masked; nothing runs
  leakfix providers [--json]  the provider playbooks leakfix knows
  leakfix identify --key-stdin [--env-var NAME]... [--json]
                              which provider issued a key: candidates with confidence and the
                              reason (prefix, shape, context); the key is never printed
                              (exit 0 a candidate, 1 none)
  leakfix verify --provider ID --key-stdin [--json]
                              is the key live? one read-only, never-billed request to the
                              provider (exit 0 live, 3 revoked, 4 unknown, 2 error)
  leakfix revoke --provider ID --key-stdin [--dry-run] [--yes] [--json]
                              revoke the key through the provider's API where it has one
                              (GitHub, Slack, GitLab, npm; AWS deactivates), shown masked and
                              sent only with --yes; else the dashboard path (exit 0 revoked or
                              accepted, 4 not proven or no API, 2 not confirmed)
  leakfix scan [--repo PATH]... --key-stdin [--json]
                              every copy of the key in the working tree and the whole git
                              history (exit 0 not found, 1 found, 2 error)
  leakfix scan (--image NAME | --tar FILE) --key-stdin [--json]
                              every layer of a container image (exported with your docker or
                              podman, or a docker save archive) and its config: layer, path and
                              line of each copy, masked; files a later layer deleted are named
  leakfix inventory [--repo PATH]... (--provider ID | --env-var NAME...) [--key-stdin] [--json]
  leakfix inventory --org ORG (--provider ID | --env-var NAME...) [--key-stdin] [--json]
                              every service that consumes the key: code and config reading its
                              variables, .env files, CI secrets, Kubernetes secretKeyRefs,
                              Terraform secrets, copies of the key itself (with --key-stdin);
                              --org: repositories not cloned here, through gh search code, src
                              search (SRC_ENDPOINT) and the org's secret-scanning alerts
  leakfix logs FILE... (--key-stdin | --key-id ID | --all-lines) [--since T] [--allow CIDR]...
               [--business-hours 08-19] [--tz ZONE] [--format F] [--field NAME=PATH]... [--json]
                              the key's requests in access logs (nginx/Apache, JSON lines,
                              CloudTrail, CSV; plain or .gz): unfamiliar addresses, odd hours,
                              spikes, error bursts (exit 0 nothing suspicious, 1 findings, 2 error)

Options
  --key-stdin    read the leaked key from stdin instead of typing it (new or resume)
  --json         machine-readable output (list, providers)
  --format F     report format: md (default), json, html, status (a short update to paste),
                 or ics (the next rotation, for a calendar)
  --days N       schedule: rotate again N days after the rotation's end
  --ics          schedule: print the reminder as an RFC 5545 calendar (with --out: to FILE)
  --out FILE     write the report to FILE (mode 0600) instead of stdout
  --repo PATH    a repository to scan (repeatable; default: the current folder)
  --provider ID  the provider whose probe to use (see leakfix providers)
  --key-id ID    logs: lines whose key-id field is ID (an AWS access key id), not the secret
  --all-lines    logs: every line is this key's (a provider's usage export)
  --since T      logs: the exposure start ("3d ago", 2026-11-20 14:00, ISO); before it is the baseline;
                 a date or time without a zone is read in --tz
  --allow CIDR   logs: addresses that are yours (repeatable): never unfamiliar
  --business-hours FROM-TO   logs: working hours, Monday to Friday (default 08-19)
  --tz ZONE      logs: the time zone of those hours and of --since (default: this machine's)
  --field NAME=PATH          logs: where a JSON/CSV field lives, e.g. --field ip=client.addr
  --env-var NAME inventory: a variable name to look for, besides the provider's (repeatable)
  --address ADDR harden: where the store keeps it (aws-sm SECRET_ID[#JSON_KEY], vault
                 MOUNT/PATH#FIELD, conjur VARIABLE_ID): with the store's client already in the
                 project (boto3, hvac, aws-sdk-secretsmanager) the code reads it directly
  --ci KIND      harden: a CI job too, shown as a diff (github: .github/workflows/leakfix-guard.yml,
                 gitlab: jobs appended to .gitlab-ci.yml, shell: scripts/leakfix-guard.sh)
  -h, --help     this help
  -v, --version  the version

The five steps: 1 assess risk · 2 check logs · 3 service inventory · 4 rotate · 5 verify.
Every action is saved at once; the key itself is never written anywhere (only its sha256
fingerprint and a masked form). Sessions live in $LEAKFIX_HOME/incidents
(default ~/.config/leakfix/incidents).

Exit codes: 0 ok (verify: live) · 1 found (scan), findings (logs), a follow-up due (status) · 2 a usage or input problem (the message
says what to do) · 3 revoked, 4 unknown (verify)
`;

export type Io = {
	stdout: {write(text: string): unknown; isTTY?: boolean};
	stderr: {write(text: string): unknown};
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
};

function version(): string {
	const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	return pkg.version;
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
	return Buffer.concat(chunks).toString('utf8');
}

async function readKey(io: Io, {pair = false}: {pair?: boolean} = {}): Promise<string> {
	if (io.stdin.isTTY) throw new UserError('--key-stdin expects the key on stdin, but stdin is a terminal.', 'Pipe it in: some-secret-manager get key | leakfix --key-stdin');
	let key = (await readStdin(io.stdin)).trim();
	if (key.length === 0) throw new UserError('--key-stdin: nothing arrived on stdin.');
	// An AWS pair may come as two lines (id, then secret): one "id:secret" key from here on.
	if (pair) key = key.replace(/\s+/, ':');
	if (/\s/.test(key)) throw new UserError('--key-stdin: expected one key, got text with spaces or several lines.');
	return key;
}

const NOT_A_TERMINAL = `leakfix's wizard needs an interactive terminal (stdin and stdout must be a TTY).
For scripts and CI use the non-interactive commands:
  leakfix verify --provider ID --key-stdin --json
  leakfix scan --key-stdin --json
  leakfix logs FILE... --key-stdin --since T --json
  leakfix list --json
  leakfix intake --from FILE --json     (a scanner report, read and masked)
  leakfix report [<id>] --format md|json|html|status [--out FILE]
  leakfix providers --json
`;

export async function main(argv: string[], io: Io): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				help: {type: 'boolean', short: 'h'},
				version: {type: 'boolean', short: 'v'},
				json: {type: 'boolean'},
				'key-stdin': {type: 'boolean'},
				format: {type: 'string'},
				out: {type: 'string'},
				repo: {type: 'string', multiple: true},
				provider: {type: 'string'},
				'key-id': {type: 'string'},
				'all-lines': {type: 'boolean'},
				since: {type: 'string'},
				allow: {type: 'string', multiple: true},
				'business-hours': {type: 'string'},
				tz: {type: 'string'},
				field: {type: 'string', multiple: true},
				'env-var': {type: 'string', multiple: true},
				'dry-run': {type: 'boolean'},
				yes: {type: 'boolean'},
				store: {type: 'string', multiple: true},
				address: {type: 'string'},
				ci: {type: 'string'},
				image: {type: 'string'},
				tar: {type: 'string'},
				days: {type: 'string'},
				ics: {type: 'boolean'},
				read: {type: 'boolean'},
				mark: {type: 'string', multiple: true},
				from: {type: 'string'},
				'from-github': {type: 'string'},
				'as-new': {type: 'boolean'},
				told: {type: 'string'},
				org: {type: 'string'},
			},
		});
	} catch (error) {
		throw new UserError((error as Error).message, 'See leakfix --help.');
	}
	const {values, positionals} = parsed;
	const [command = 'start', ...rest] = positionals;
	if (values.help || command === 'help') {
		io.stdout.write(HELP);
		return 0;
	}
	if (values.version) {
		io.stdout.write(`${version()}\n`);
		return 0;
	}

	const maxArgs: Record<string, number> = {start: 0, resume: 1, demo: 0, list: 0, report: 1, providers: 0, identify: 0, scan: 0, verify: 0, revoke: 0, logs: Number.POSITIVE_INFINITY, inventory: 0, status: 0, rotate: 1, harden: 0, schedule: 1, access: 1, intake: 0, export: 1, import: 1};
	if (!(command in maxArgs)) throw new UserError(`Unknown command "${command}".`, 'See leakfix --help.');
	if (rest.length > maxArgs[command]!) throw new UserError(`Too many arguments for ${command}: ${rest.join(' ')}`, 'See leakfix --help.');
	// An option that does not apply is a mistake worth saying, not something to ignore.
	const allowed: Record<string, string[]> = {
		start: ['key-stdin', 'from', 'from-github'],
		resume: ['key-stdin'],
		demo: [],
		list: ['json'],
		report: ['format', 'out', 'told'],
		providers: ['json'],
		identify: ['key-stdin', 'env-var', 'json'],
		scan: ['key-stdin', 'json', 'repo', 'image', 'tar'],
		verify: ['key-stdin', 'json', 'provider'],
		revoke: ['key-stdin', 'json', 'provider', 'dry-run', 'yes'],
		inventory: ['repo', 'env-var', 'provider', 'key-stdin', 'json', 'org'],
		status: ['json'],
		schedule: ['days', 'ics', 'out', 'json'],
		access: ['read', 'mark', 'json'],
		harden: ['repo', 'key-stdin', 'provider', 'env-var', 'store', 'address', 'ci', 'dry-run', 'json'],
		rotate: ['dry-run'],
		intake: ['from', 'from-github', 'json'],
		export: ['out'],
		import: ['as-new'],
		logs: ['key-stdin', 'key-id', 'all-lines', 'since', 'allow', 'business-hours', 'tz', 'format', 'field', 'json'],
	};
	const extra = Object.keys(values).filter(option => !allowed[command]!.includes(option));
	if (extra.length > 0) throw new UserError(`${command === 'start' ? 'leakfix' : `leakfix ${command}`} does not take --${extra.join(', --')}.`, 'See leakfix --help.');

	switch (command) {
		case 'start':
		case 'resume':
		case 'demo': {
			const keyStdin = values['key-stdin'] === true;
			if (command === 'demo' && keyStdin) throw new UserError('The demo plants its own fake key; --key-stdin does not apply.');
			const fromReport = values.from !== undefined || values['from-github'] !== undefined;
			if (fromReport && keyStdin) throw new UserError('--from and --from-github read the keys from the report or the alerts; --key-stdin does not apply.');
			if (values.from !== undefined && values['from-github'] !== undefined) throw new UserError('Start from one source: --from FILE or --from-github OWNER/REPO[#ALERT], not both.');
			if (!io.stdout.isTTY || (!io.stdin.isTTY && !keyStdin)) {
				io.stderr.write(NOT_A_TERMINAL);
				return 2;
			}
			const pipedKey = keyStdin ? await readKey(io) : undefined;
			// Read before the wizard starts: a bad report is a message and exit 2, not a screen.
			const intake = fromReport ? await readIntake(values.from, values['from-github']) : undefined;
			// A real terminal wins over a CI variable inherited by the shell: under CI, Ink would
			// draw nothing until exit. (Ink reads it when first imported, just below.)
			delete process.env.CI;
			delete process.env.CONTINUOUS_INTEGRATION;
			const {runInteractive} = await import('./ui/run.js');
			return runInteractive({command, ...(rest[0] === undefined ? {} : {id: rest[0]}), ...(pipedKey === undefined ? {} : {pipedKey}), ...(intake === undefined ? {} : {intake})});
		}

		case 'intake': {
			if ((values.from === undefined) === (values['from-github'] === undefined)) throw new UserError('leakfix intake needs one of --from FILE (a scanner report) or --from-github OWNER/REPO[#ALERT].', 'Example: leakfix intake --from gitleaks.json --json');
			const read = await readIntake(values.from, values['from-github']);
			const {intakeJson, renderIntakeText} = await import('./commands/intake.js');
			const {createRedactor} = await import('./core/secrets.js');
			// Belt and braces: every secret read is masked wherever it might appear (a path, a URL).
			const redactor = createRedactor(read.secrets.flatMap(secret => (secret.secret === null ? [] : [secret.secret])));
			io.stdout.write(redactor.text(values.json ? `${safeJson(intakeJson(read), 2)}\n` : renderIntakeText(read)));
			const redacted = read.secrets.filter(secret => secret.secret === null).length;
			if (redacted > 0) {
				io.stderr.write(`leakfix: ${redacted} of ${read.secrets.length} secret${read.secrets.length === 1 ? '' : 's'} came without the secret (the scanner redacted it): the key must be typed when its incident is opened.\n`);
				return 2;
			}
			return 0;
		}

		case 'list': {
			const {openStore} = await import('./commands/context.js');
			const {listRows, renderListText} = await import('./commands/list.js');
			const {sessions, quarantined, unreadable, newer} = openStore().list();
			if (values.json) {
				io.stdout.write(`${safeJson({incidents: listRows(sessions), quarantined, unreadable, newer}, 2)}\n`);
			} else {
				io.stdout.write(renderListText(listRows(sessions), quarantined, newer, unreadable));
			}
			// An incident that is there but cannot be read is an I/O problem to fix: exit 2.
			return unreadable.length > 0 ? 2 : 0;
		}

		case 'export': {
			if (!values.out) throw new UserError('leakfix export needs a file to write: --out FILE.', 'The file holds no secret; hand it to the next responder.');
			const [{openStore}, {exportIncident}, {createRedactor}] = await Promise.all([import('./commands/context.js'), import('./commands/handover.js'), import('./core/secrets.js')]);
			const store = openStore();
			const id = rest[0] ?? store.list().sessions[0]?.id;
			if (id === undefined) throw new UserError('No incidents to export.');
			const session = exportIncident(store, id, values.out, createRedactor(), new Date().toISOString());
			io.stderr.write(`Wrote incident ${session.id} to ${visible(values.out)} (no secret in it). On the next machine: leakfix import ${visible(path.basename(values.out))}, then leakfix resume ${session.id}.\n`);
			return 0;
		}

		case 'import': {
			const file = rest[0];
			if (file === undefined) throw new UserError('leakfix import needs the file leakfix export wrote.', 'leakfix import FILE');
			const [{openStore}, {importIncident}] = await Promise.all([import('./commands/context.js'), import('./commands/handover.js')]);
			const outcome = importIncident(openStore(), file, {asNew: values['as-new'] === true});
			const said = {
				new: `Imported incident ${outcome.id} (${outcome.added} timeline events).`,
				'fast-forward': `Incident ${outcome.id} brought up to date: ${outcome.added} new timeline event(s) from the file.`,
				'nothing-new': `Incident ${outcome.id} here already holds everything in the file: nothing changed.`,
				copy: `Imported as a copy, incident ${outcome.id}: the one here was left as it was.`,
			}[outcome.what];
			io.stdout.write(`${said} Carry on with: leakfix resume ${outcome.id} (the key is asked again and checked against its fingerprint).\n`);
			return 0;
		}

		case 'report': {
			const {openStore} = await import('./commands/context.js');
			const {REPORT_FORMATS, renderReport} = await import('./core/report.js');
			const {createRedactor} = await import('./core/secrets.js');
			const format = values.format ?? 'md';
			if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UserError(`Unknown report format "${format}".`, 'Use --format md, json, html, status or ics.');
			const store = openStore();
			let id = rest[0];
			if (id === undefined) {
				const listed = store.list();
				for (const entry of listed.unreadable) io.stderr.write(`leakfix: note: incident ${entry.id} cannot be read (${entry.reason}); reporting on the latest readable one.\n`);
				const latest = listed.sessions[0];
				if (!latest) throw new UserError('No incidents to report on.', 'Start one with `leakfix` (or `leakfix demo`).');
				id = latest.id;
			}
			const session = store.load(store.resolveId(id));
			if (format === 'ics' && !session.schedule) throw new UserError(`Incident ${session.id} has no rotation scheduled: the calendar would be empty.`, `Set one first: leakfix schedule ${session.id} [--days N]`);
			const redactor = createRedactor();
			redactor.addFingerprint(session.key);
			if (values.told !== undefined && format !== 'status') throw new UserError('--told goes with --format status: it records who the status update was sent to.');
			let reported = session;
			if (values.told !== undefined) {
				// Who was told, when: recorded on the incident (its lock held while writing).
				const {transition} = await import('./core/session.js');
				const {currentActor} = await import('./infra/actor.js');
				const lock = store.lock(session.id);
				try {
					reported = transition(store.load(session.id), {type: 'status.shared', to: values.told, at: new Date().toISOString()}, currentActor(session.repoPath));
					store.save(reported);
				} finally {
					lock.release();
				}
			}
			const text = renderReport(reported, format as 'md', new Date().toISOString(), redactor);
			if (values.out) {
				// Whole or not at all, mode 0600, never through a symbolic link (refused with a message).
				const {writeFileWhole} = await import('./infra/files.js');
				writeFileWhole(values.out, text, {mode: 0o600});
				io.stderr.write(`Wrote the ${format} report of incident ${session.id} to ${visible(values.out)}\n`);
			} else {
				io.stdout.write(text);
			}
			return 0;
		}

		case 'scan': {
			if (values['key-stdin'] !== true) throw new UserError('leakfix scan needs the key on stdin: --key-stdin.', 'Example: pass show cloudsight/key | leakfix scan --key-stdin --json');
			if (values.image !== undefined || values.tar !== undefined) {
				if (values.image !== undefined && values.tar !== undefined) throw new UserError('Scan one image at a time: --image NAME or --tar FILE, not both.');
				if (values.repo !== undefined) throw new UserError('--image and --tar search a container image, --repo a repository: run them one at a time.');
				const key = await readKey(io);
				const {scanImage, scanImageTar} = await import('./engines/scan/image.js');
				const {renderImageText} = await import('./commands/scan.js');
				const {createRedactor} = await import('./core/secrets.js');
				const result = values.image !== undefined ? await scanImage(values.image, key) : await scanImageTar(path.resolve(values.tar!), key, {kind: 'tar', name: values.tar!});
				// Paths in an image are outside text and could hold the key itself: masked on the way out.
				io.stdout.write(createRedactor([key]).text(values.json ? `${safeJson({found: result.hits.length > 0, image: result}, 2)}\n` : renderImageText(result)));
				return result.hits.length > 0 ? 1 : 0;
			}
			const key = await readKey(io);
			const {runScan, renderScanText, progressLine} = await import('./commands/scan.js');
			const {foundAnything} = await import('./core/exposure.js');
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

		case 'harden': {
			if (values['key-stdin'] !== true) throw new UserError('leakfix harden needs the key on stdin: --key-stdin (it finds the copies by their value).');
			// --store S for every file, and --store FILE=S for one file's service (repeatable).
			const stores = ['env', 'aws-sm', 'vault', 'conjur'];
			let store = 'env';
			const perFile = new Map<string, string>();
			for (const option of values.store ?? []) {
				const [file, chosen] = option.includes('=') ? (option.split('=', 2) as [string, string]) : [null, option];
				if (!stores.includes(chosen)) throw new UserError(`Unknown store "${chosen}".`, 'Use --store env, aws-sm, vault or conjur (or FILE=STORE for one file).');
				if (file === null) store = chosen;
				else perFile.set(file, chosen);
			}
			const {CI_KINDS, ciPlan} = await import('./engines/harden/ci.js');
			const ciKind = values.ci as (typeof CI_KINDS)[number] | undefined;
			if (ciKind !== undefined && !CI_KINDS.includes(ciKind)) throw new UserError(`Unknown CI "${ciKind}".`, 'Use --ci github, gitlab or shell.');
			const {loadPlaybooks, findProvider} = await import('./playbooks/load.js');
			const provider = values.provider === undefined ? undefined : findProvider(await loadPlaybooks(), values.provider);
			const variable = values['env-var']?.[0] ?? provider?.envVars[0];
			if (!variable) throw new UserError('leakfix harden needs the variable name the services will read: --provider ID (its convention) or --env-var NAME.');
			const raw = await readKey(io, {pair: provider?.keyFormat === 'aws-pair'});
			const key = provider?.keyFormat === 'aws-pair' ? raw.split(':')[1]! : raw;
			const {createRedactor} = await import('./core/secrets.js');
			const redactor = createRedactor(provider?.keyFormat === 'aws-pair' ? [raw, key] : [key]);
			const {findHardcoded, planChanges, configHygiene, guardPlan, scannersOnPath, projectLibraries, applyHardening, committedGuard} = await import('./engines/harden/index.js');
			const {parseAddress} = await import('./core/harden.js');
			const repos = (values.repo ?? [process.cwd()]).map(repo => path.resolve(repo));
			const places = await findHardcoded(repos, key);
			const changes = repos.flatMap(repo =>
				[...new Set(places.filter(place => place.repo === repo).map(place => place.file))].flatMap(file => {
					const own = (perFile.get(file) ?? store) as 'env';
					return planChanges(places.filter(place => place.repo === repo && place.file === file), key, variable, own, parseAddress(own, values.address), projectLibraries(repo));
				}),
			);
			const apply = values['dry-run'] !== true;
			// Where the guard goes is checked before any file is changed.
			const guards = await Promise.all(repos.map(repo => guardPlan(repo, key)));
			// The CI job, as a diff first (written with the rest, or by hand when the file is not leakfix's).
			const ciPlans = ciKind === undefined ? [] : repos.map(repo => ciPlan(repo, ciKind, committedGuard(repo, key)));
			const out: string[] = [];
			const report: Array<Record<string, unknown>> = [];
			out.push(`${places.length} committed line(s) hold the key, in ${changes.length} file(s).${apply ? '' : ' Dry run: nothing is changed.'}`);
			for (const change of changes) {
				const where = `${visible(change.file)} (${change.language ?? 'unknown language'}, line${change.lines.length === 1 ? '' : 's'} ${change.lines.join(', ')})`;
				if (change.diff) out.push(`\n${where}: ${apply ? 'rewritten' : 'would be rewritten'}\n${change.diff}`);
				for (const refusal of change.refused) out.push(`\n${visible(change.file)}:${refusal.line}: not rewritten: ${visible(refusal.reason)}. Paste instead:\n${change.snippet}`);
				report.push({file: change.file, language: change.language, lines: change.lines, status: change.diff ? (apply ? 'rewritten' : 'planned') : 'manual', ...(change.diff ? {diff: change.diff} : {}), refused: change.refused, ...(change.refused.length > 0 ? {snippet: change.snippet} : {})});
			}
			for (const [index, repo] of repos.entries()) {
				const guard = guards[index]!;
				if (apply) {
					// Each repository's rewrites, config and guard are written whole, or not at all.
					const done = await applyHardening({repo, variable, key, changes: changes.filter(change => change.repo === repo), extras: true, ci: ciKind ?? null});
					for (const line of done.config) out.push(`done: ${line}`);
					if (done.guardByHand) out.push(`guard: by hand: ${done.guardByHand} (the guard script is written; only the hook line is yours to add)`);
					if (done.guard) out.push(`guard installed in ${done.guard.where}: ${done.guard.how}`);
				} else {
					for (const line of await configHygiene(repo, variable, null)) out.push(`would: ${line}`);
					out.push(guard.refused ? `guard: by hand: ${guard.refused}` : `guard would go in ${guard.where}: ${guard.how}`);
					out.push(guard.prePush.refused ? `pre-push guard: by hand: ${guard.prePush.refused}` : `pre-push guard would go in ${guard.prePush.where}: ${guard.prePush.how}`);
				}
				const ci = ciPlans[index];
				if (ci?.refused) out.push(`\nCI: by hand: ${ci.refused}. The job:\n${ci.diff}`);
				else if (ci?.unchanged) out.push(`CI: the job is already in ${ci.file}`);
				else if (ci) out.push(`\n${ci.file}: ${apply ? 'written' : 'would be written'} (${ci.how})\n${ci.diff}`);
			}
			const scanners = await scannersOnPath();
			if (scanners.length > 0) out.push('Secret scanners on this machine (wire them as well):', ...scanners.map(text => `  ${text}`));
			const ciReport = ciPlans.map(ci => ({kind: ci.kind, file: ci.file, status: ci.refused ? 'manual' : ci.unchanged ? 'present' : apply ? 'written' : 'planned', diff: ci.diff, how: ci.how, scanners: ci.scanners, ...(ci.refused ? {refused: ci.refused} : {})}));
			io.stdout.write(redactor.text(values.json ? `${safeJson({variable, store, stores: Object.fromEntries(perFile), applied: apply, changes: report, ...(ciKind === undefined ? {} : {ci: ciReport})}, 2)}\n` : visibleBlock(`${out.join('\n')}\n`)));
			return 0;
		}

		case 'status': {
			const {openStore} = await import('./commands/context.js');
			const {listRows, dueRows, renderStatusText} = await import('./commands/list.js');
			const {sessions, unreadable} = openStore().list();
			// Its follow-ups cannot be counted: never hidden.
			for (const entry of unreadable) io.stderr.write(`leakfix: note: incident ${entry.id} cannot be read (${entry.reason}); its follow-ups are not counted.${entry.hint ? ` ${entry.hint}` : ''}\n`);
			const rows = dueRows(sessions, new Date());
			// The next regular rotations, due like the follow-ups.
			const {rotationRows} = await import('./core/schedule.js');
			const {renderRotationsText} = await import('./commands/schedule.js');
			const rotations = rotationRows(sessions, new Date());
			if (values.json) io.stdout.write(`${safeJson({followUps: rows, rotations, open: listRows(sessions).filter(row => row.status === 'open')}, 2)}\n`);
			else io.stdout.write(renderStatusText(rows, listRows(sessions)) + renderRotationsText(rotations));
			return rows.some(row => row.overdue) || rotations.some(row => row.overdue) ? 1 : 0;
		}

		case 'access': {
			const {openStore} = await import('./commands/context.js');
			const {runAccess} = await import('./commands/access.js');
			const {accessPlan, readAccess} = await import('./engines/access/index.js');
			const {createRedactor} = await import('./core/secrets.js');
			const redactor = createRedactor();
			return runAccess(openStore(), rest[0], {read: values.read === true, marks: values.mark ?? [], json: values.json === true, readers: {plan: entry => accessPlan(entry.store), read: (entry, cwd) => readAccess(entry.store, {redact: redactor.text, ...(cwd ? {cwd} : {})})}}, io);
		}

		case 'schedule': {
			const {openStore} = await import('./commands/context.js');
			const {runSchedule} = await import('./commands/schedule.js');
			const {loadPlaybooks} = await import('./playbooks/load.js');
			return runSchedule(openStore(), rest[0], {...(values.days === undefined ? {} : {days: values.days}), ics: values.ics === true, ...(values.out === undefined ? {} : {out: values.out}), json: values.json === true, intervalDays: async providerId => (await loadPlaybooks()).providers.find(playbook => playbook.id === providerId)?.rotation.intervalDays}, io);
		}

		case 'rotate': {
			if (values['dry-run'] !== true) throw new UserError('leakfix rotate runs in the wizard (step 4); from a script it only shows the plan: --dry-run.', 'leakfix rotate <id> --dry-run');
			const {openStore} = await import('./commands/context.js');
			const {planUpdate, updateOrder} = await import('./core/stores.js');
			const {storeAddress} = await import('./core/inventory/address.js');
			const store = openStore();
			const id = rest[0] ?? store.list().sessions[0]?.id;
			if (id === undefined) throw new UserError('No incidents yet.');
			const session = store.load(store.resolveId(id));
			const entries = updateOrder(session.inventory ?? []);
			const label = session.rotation?.newKey?.masked ?? '<the new key>';
			const {loadPlaybooks, findProvider} = await import('./playbooks/load.js');
			const provider = findProvider(await loadPlaybooks(), session.provider.id);
			const {deactivationCommand} = await import('./engines/rotate.js');
			const deactivate = deactivationCommand(provider.rotation.deactivate?.command, provider.keyFormat === 'aws-pair' ? (session.key.masked.startsWith('AKIA') || session.key.masked.startsWith('ASIA') ? '<the old key id>' : null) : null, null);
			const deactivation = deactivate ? deactivate.display : provider.rotation.deactivate?.steps ?? `deactivate the old key ${session.key.masked} in ${provider.name}'s dashboard`;
			const out: string[] = [`Dry run for ${session.id} (${session.name}): nothing runs. The new key goes on stdin, never on a command line.`];
			if (session.severity?.containFirst && !session.rotation?.deactivatedAt) out.push(`0. Contain first (severity ${session.severity.level}): ${deactivation}`);
			out.push(`0. The new key: ${session.rotation?.newKey ? `${session.rotation.newKey.masked}, probed ${session.rotation.newKeyProbe?.status ?? 'not yet'}` : provider.rotation.create ?? provider.rotation.notes} (it must probe live before any update)`);
			if (entries.length === 0) out.push('The inventory is empty: add its consumers in step 3 (leakfix resume, then w).');
			entries.forEach((entry, index) => {
				const plan = planUpdate(entry.store, label);
				out.push(`${index + 1}. ${visible(entry.service)} [${entry.environment}] ${visible(storeAddress(entry.store))}${entry.update ? ` (last: ${entry.update.status})` : ''}`);
				for (const line of plan.kind === 'manual' ? [`by hand: ${plan.reason}`] : plan.display) out.push(`     ${line}`);
				if (entry.restart) out.push(`     then: ${entry.restart.join(' ')}`);
				if (entry.health) out.push(`     check: ${entry.health.type === 'http' ? `GET ${entry.health.url} (2xx)` : `${entry.health.argv.join(' ')} (exit 0)`}`);
			});
			const contained = session.severity?.containFirst && !session.rotation?.deactivatedAt;
			if (provider.rotation.pattern !== 'regenerate' && !contained) out.push(`${entries.length + 1}. Deactivate the old key: ${session.rotation?.deactivatedAt ? `done ${session.rotation.deactivatedAt}` : deactivation}`);
			io.stdout.write(visibleBlock(`${out.join('\n')}\n`));
			return 0;
		}

		case 'inventory': {
			const {loadPlaybooks, findProvider} = await import('./playbooks/load.js');
			const provider = values.provider === undefined ? undefined : findProvider(await loadPlaybooks(), values.provider);
			const envVars = [...new Set([...(provider?.envVars ?? []), ...(values['env-var'] ?? [])])];
			if (envVars.length === 0) throw new UserError('leakfix inventory needs variable names to look for: --provider ID (its playbook names them) or --env-var NAME.', 'Example: leakfix inventory --provider cloudsight --repo ~/src/shop');
			for (const name of envVars) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UserError(`--env-var ${name}: not an environment variable name.`);
			const key = values['key-stdin'] === true ? await readKey(io, {pair: provider?.keyFormat === 'aws-pair'}) : undefined;
			if (values.org !== undefined) {
				if (values.repo !== undefined) throw new UserError('--org searches the organisation through GitHub and Sourcegraph; --repo walks folders on this machine. Run them one at a time.');
				const {searchOrg} = await import('./engines/inventory/org.js');
				const {keyIdOf} = await import('./engines/logs/provider.js');
				const {renderOrgText} = await import('./commands/inventory-org.js');
				const {createRedactor} = await import('./core/secrets.js');
				const found = await searchOrg(values.org, {envVars, ...(key === undefined ? {} : {key}), keyId: provider && key !== undefined ? keyIdOf(provider, key) : null});
				const redactor = createRedactor(key === undefined ? [] : provider?.keyFormat === 'aws-pair' ? [key, ...key.split(':')] : [key]);
				io.stdout.write(redactor.text(values.json ? `${safeJson(found, 2)}\n` : renderOrgText(found)));
				return 0;
			}
			const {discoverInventory} = await import('./engines/inventory/index.js');
			const {renderInventoryText} = await import('./commands/inventory.js');
			const result = await discoverInventory(values.repo ?? [process.cwd()], {envVars, ...(key === undefined ? {} : {key: provider?.keyFormat === 'aws-pair' ? key.split(':')[1]! : key})});
			const {createRedactor} = await import('./core/secrets.js');
			const redactor = createRedactor(key === undefined ? [] : provider?.keyFormat === 'aws-pair' ? [key, ...key.split(':')] : [key]);
			io.stdout.write(redactor.text(values.json ? `${safeJson({envVars, ...result}, 2)}\n` : renderInventoryText(result, envVars)));
			return 0;
		}

		case 'logs': {
			const {runLogs} = await import('./commands/logs.js');
			const modes = [values['key-stdin'] === true, values['key-id'] !== undefined, values['all-lines'] === true].filter(Boolean).length;
			if (rest.length === 0) throw new UserError('leakfix logs needs at least one log file (or a glob such as logs/access.log*).', 'See leakfix --help.');
			if (modes !== 1) throw new UserError('leakfix logs needs exactly one of --key-stdin (lines holding the key), --key-id ID (lines of that key id) or --all-lines (a provider export: every line is this key\'s).');
			const key = values['key-stdin'] === true ? await readKey(io) : undefined;
			return runLogs(rest, {
				...(key === undefined ? {} : {key}),
				...(values['key-id'] === undefined ? {} : {keyId: values['key-id']}),
				...(values.since === undefined ? {} : {since: values.since}),
				allow: values.allow ?? [],
				...(values['business-hours'] === undefined ? {} : {businessHours: values['business-hours']}),
				...(values.tz === undefined ? {} : {tz: values.tz}),
				...(values.format === undefined ? {} : {format: values.format}),
				fields: values.field ?? [],
				json: values.json === true,
			}, io);
		}

		case 'revoke': {
			if (values.provider === undefined) throw new UserError('leakfix revoke needs --provider ID.', 'See leakfix providers for the ids.');
			if (values['key-stdin'] !== true) throw new UserError('leakfix revoke needs the key on stdin: --key-stdin.');
			const {loadPlaybooks, findProvider} = await import('./playbooks/load.js');
			const provider = findProvider(await loadPlaybooks(), values.provider);
			const key = await readKey(io, {pair: provider.keyFormat === 'aws-pair'});
			const {probeBaseUrl} = await import('./engines/probe-request.js');
			const {runRevoke} = await import('./commands/revoke.js');
			const baseUrl = probeBaseUrl();
			return runRevoke(io, provider, key, {dryRun: values['dry-run'] === true, yes: values.yes === true, json: values.json === true, ...(baseUrl === undefined ? {} : {baseUrl})});
		}

		case 'verify': {
			if (values.provider === undefined) throw new UserError('leakfix verify needs --provider ID.', 'See leakfix providers for the ids.');
			if (values['key-stdin'] !== true) throw new UserError('leakfix verify needs the key on stdin: --key-stdin.');
			const {loadPlaybooks, findProvider} = await import('./playbooks/load.js');
			const provider = findProvider(await loadPlaybooks(), values.provider);
			const key = await readKey(io, {pair: provider.keyFormat === 'aws-pair'});
			const {probeKey, probeBaseUrl} = await import('./engines/probe.js');
			const baseUrl = probeBaseUrl();
			const result = await probeKey(provider, key, baseUrl === undefined ? {} : {baseUrl});
			// The reason and details quote the provider's answer (team and user names, error text).
			if (values.json) io.stdout.write(`${safeJson(result, 2)}\n`);
			else {
				io.stdout.write(`${result.status}: ${visible(result.reason)}\n  request: ${visible(result.request)}\n`);
				for (const [name, value] of Object.entries(result.details ?? {})) io.stdout.write(`  ${visible(name)}: ${visible(String(value))}\n`);
				// What the key can do (src/core/scopes.ts): the provider's words, shown through visible().
				const blast = result.blastRadius;
				if (blast) {
					io.stdout.write(`  can do: ${visible(`${blast.power.toUpperCase()} (${blast.why})`)}\n`);
					for (const fact of blast.facts) io.stdout.write(`    ${visible(fact.label)}: ${visible(fact.value)}\n`);
					for (const note of blast.notes) io.stdout.write(`    note: ${visible(note)}\n`);
				}
			}
			return {live: 0, revoked: 3, unknown: 4}[result.status];
		}

		case 'providers': {
			const {loadPlaybooks} = await import('./playbooks/load.js');
			const {providerRows, renderProvidersText} = await import('./commands/providers.js');
			const playbooks = await loadPlaybooks();
			// A user's playbook folder is outside text: safeJson and visible() in renderProvidersText.
			io.stdout.write(values.json ? `${safeJson(providerRows(playbooks), 2)}\n` : renderProvidersText(playbooks));
			return 0;
		}

		case 'identify': {
			if (values['key-stdin'] !== true) throw new UserError('leakfix identify needs the key on stdin: --key-stdin.', 'Example: pbpaste | leakfix identify --key-stdin');
			const {runIdentify} = await import('./commands/identify.js');
			return runIdentify(io, {json: values.json === true, envVars: values['env-var'] ?? []});
		}
	}
	throw new UserError(`Unknown command "${command}".`);
}

/** A scanner report or GitHub's alerts, read and grouped by secret (src/commands/intake.ts). */
async function readIntake(from: string | undefined, github: string | undefined) {
	const {loadPlaybooks} = await import('./playbooks/load.js');
	const {readReportFile, readGithub} = await import('./commands/intake.js');
	const playbooks = await loadPlaybooks();
	return from !== undefined ? readReportFile(from, playbooks) : readGithub(github!, playbooks);
}

/** The process entry: one owner of the exit code; a user's mistake never shows a stack. */
export async function run(argv: string[]): Promise<void> {
	const io: Io = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin};
	// `leakfix logs … | head`: a reader that hung up is not an error worth a stack trace.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
		process.exit(process.exitCode ?? 0);
	});
	try {
		process.exitCode = await main(argv, io);
	} catch (error) {
		if (error instanceof UserError) {
			// Messages echo input (an argument, a file name, a provider's answer): controls made visible.
			io.stderr.write(visibleBlock(`leakfix: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`));
			process.exitCode = error.exitCode;
		} else if (error instanceof ExternalError) {
			io.stderr.write(visibleBlock(`leakfix: ${error.message}\n  command: ${visible(error.command)}\n${error.outputTail ? `  output: ${error.outputTail}\n` : ''}`));
			process.exitCode = 2;
		} else {
			io.stderr.write(visibleBlock(`leakfix: internal error (a bug in leakfix — please report it):\n${(error as Error).stack ?? String(error)}\n`));
			process.exitCode = 70;
		}
	}
}
