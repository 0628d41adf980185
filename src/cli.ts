// argv -> command. `--help` and `--version` answer before anything heavy is imported; each command
// is a module in src/commands/ (its options checked here, its run loaded only once they pass);
// the interactive commands check the terminal before Ink is loaded.
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {ExternalError, UserError} from './infra/errors.js';
import {visible, visibleBlock} from './core/text.js';
import {OPTIONS, type CommandIo, type OptionName, type Run} from './commands/options.js';

export type Io = CommandIo;

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

function version(): string {
	const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	return pkg.version;
}

type Command = {maxArgs: number; options: readonly OptionName[]; run: () => Promise<Run>};

// An option that does not apply is a mistake worth saying, not something to ignore.
const COMMANDS: Record<string, Command> = {
	start: {maxArgs: 0, options: ['key-stdin', 'from', 'from-github'], run: async () => (await import('./commands/interactive.js')).start},
	resume: {maxArgs: 1, options: ['key-stdin'], run: async () => (await import('./commands/interactive.js')).resume},
	demo: {maxArgs: 0, options: [], run: async () => (await import('./commands/interactive.js')).demo},
	list: {maxArgs: 0, options: ['json'], run: async () => (await import('./commands/list.js')).run},
	report: {maxArgs: 1, options: ['format', 'out', 'told'], run: async () => (await import('./commands/report.js')).run},
	providers: {maxArgs: 0, options: ['json'], run: async () => (await import('./commands/providers.js')).run},
	identify: {maxArgs: 0, options: ['key-stdin', 'env-var', 'json'], run: async () => (await import('./commands/identify.js')).run},
	scan: {maxArgs: 0, options: ['key-stdin', 'json', 'repo', 'image', 'tar'], run: async () => (await import('./commands/scan.js')).run},
	verify: {maxArgs: 0, options: ['key-stdin', 'json', 'provider'], run: async () => (await import('./commands/verify.js')).run},
	revoke: {maxArgs: 0, options: ['key-stdin', 'json', 'provider', 'dry-run', 'yes'], run: async () => (await import('./commands/revoke.js')).run},
	logs: {
		maxArgs: Number.POSITIVE_INFINITY,
		options: ['key-stdin', 'key-id', 'all-lines', 'since', 'allow', 'business-hours', 'tz', 'format', 'field', 'json'],
		run: async () => (await import('./commands/logs.js')).run,
	},
	inventory: {maxArgs: 0, options: ['repo', 'env-var', 'provider', 'key-stdin', 'json', 'org'], run: async () => (await import('./commands/inventory.js')).run},
	status: {maxArgs: 0, options: ['json'], run: async () => (await import('./commands/status.js')).run},
	rotate: {maxArgs: 1, options: ['dry-run'], run: async () => (await import('./commands/rotate.js')).run},
	harden: {
		maxArgs: 0,
		options: ['repo', 'key-stdin', 'provider', 'env-var', 'store', 'address', 'ci', 'dry-run', 'json'],
		run: async () => (await import('./commands/harden.js')).run,
	},
	schedule: {maxArgs: 1, options: ['days', 'ics', 'out', 'json'], run: async () => (await import('./commands/schedule.js')).run},
	access: {maxArgs: 1, options: ['read', 'mark', 'json'], run: async () => (await import('./commands/access.js')).run},
	intake: {maxArgs: 0, options: ['from', 'from-github', 'json'], run: async () => (await import('./commands/intake.js')).run},
	export: {maxArgs: 1, options: ['out'], run: async () => (await import('./commands/handover.js')).runExport},
	import: {maxArgs: 1, options: ['as-new'], run: async () => (await import('./commands/handover.js')).runImport},
};

export async function main(argv: string[], io: Io): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({args: argv, allowPositionals: true, strict: true, options: OPTIONS});
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

	const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command]! : undefined;
	if (entry === undefined) throw new UserError(`Unknown command "${command}".`, 'See leakfix --help.');
	if (rest.length > entry.maxArgs) throw new UserError(`Too many arguments for ${command}: ${rest.join(' ')}`, 'See leakfix --help.');
	const extra = Object.keys(values).filter(option => !(entry.options as readonly string[]).includes(option));
	if (extra.length > 0) throw new UserError(`${command === 'start' ? 'leakfix' : `leakfix ${command}`} does not take --${extra.join(', --')}.`, 'See leakfix --help.');
	const run = await entry.run();
	return run(values, rest, io);
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
