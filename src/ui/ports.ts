// The UI's ports: every engine the screens reach, as types only. The real implementations (each
// importing its engine only when first used) are built in src/ui/enginePorts.ts and handed down
// by the composition root (src/ui/run.tsx) through the App's deps; tests hand in fakes. App.tsx,
// its hooks and useWork.ts call these and import no engine (issue 13). Keys cross a port as the
// text the engine needs (LeakedKey's raw form, or its secret half where files hold only that).
import type {RepoExposure} from '../core/exposure.js';
import type {ActionResult, HealthCheck, InventoryEntry, Store} from '../core/model.js';
import type {ScanProgress} from '../engines/scan/history.js';
import type {ProbeResult} from '../engines/probe.js';
import type {LogsOptions, LogsResult} from '../engines/logs/index.js';
import type {ProviderLogsCommand} from '../engines/logs/provider.js';
import type {DeactivationCommand} from '../engines/rotate.js';
import type {RevokeResult} from '../engines/revoke.js';
import type {AccessReading} from '../engines/access/index.js';
import type {HardenInput, HardenPorts, HardenRun} from '../engines/harden/flow.js';
import type {openIncidents} from '../engines/intake/open.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';

export type {DeactivationCommand, ProviderLogsCommand};

/** The exposure scan of one repository for the key (as entered). */
export type ScanPort = (repo: string, key: string, options: {signal: AbortSignal; onProgress: (progress: ScanProgress) => void}) => Promise<RepoExposure>;

/** `analyze: false`: liveness only (the new key: what it can do is not read). `baseUrl`: a loopback origin (tests, the demo). */
export type ProbePort = (provider: ProviderPlaybook, key: string, options?: {analyze?: boolean; baseUrl?: string}) => Promise<ProbeResult>;

/** What the probe will send, masked, as the consent question shows it (null: the provider has no probe). */
export type DescribeProbePort = (provider: ProviderPlaybook, key: string, baseUrl: string | undefined) => string | null;

export type LogsPort = (inputs: string[], options: LogsOptions) => Promise<LogsResult>;

/** Runs the provider's log command into a 0600 file; returns its path. */
export type FetchLogsPort = (command: ProviderLogsCommand, options: {signal: AbortSignal; redact: (text: string) => string}) => Promise<string>;

/** The provider's own log command (AWS CloudTrail) for a key id, from `since`; null when it cannot be built. */
export type LogsCommandPort = (provider: ProviderPlaybook, keyId: string | null, since: Date) => ProviderLogsCommand | null;

/** Discovery in repositories here: the variables, and the key's value (the secret half) in files. */
export type DiscoverPort = (repos: string[], options: {envVars: string[]; key?: string}) => Promise<{entries: InventoryEntry[]; warnings: string[]}>;

/** An organisation's repositories not cloned here: entries to confirm, and one line of what was searched. */
export type OrgSearchPort = (org: string, options: {envVars: string[]; keyId: string | null; key?: string}) => Promise<{entries: InventoryEntry[]; summary: string}>;

type Outcome = Omit<ActionResult, 'at'>;
type Run = {redact: (text: string) => string; cwd: string};

/** What a store holds now, read-only, with the new key's masked form where it would go. */
export type PreviewPort = (store: Store, newKeyMasked: string, options: Run) => Promise<string[]>;
/** Writes `value` (the new key, or the half the store holds) into the store. */
export type UpdatePort = (store: Store, value: string, options: Run & {stamp: string; backupDir: string}) => Promise<Outcome>;
export type RestartPort = (argv: string[], options: Run) => Promise<Outcome>;
export type HealthPort = (check: HealthCheck, options: Run) => Promise<Outcome>;

/** The playbook's deactivation command filled in (key id, IAM user); null when it cannot be built. */
export type DeactivationCommandPort = (spec: {bin: string; args: string[]} | undefined, keyId: string | null, userName: string | null) => Promise<DeactivationCommand | null>;
export type DeactivatePort = (command: DeactivationCommand, options: Run) => Promise<Outcome>;

/** The provider's revoke API: what it will send (masked), and sending it once. */
export type RevokePort = {
	describe(provider: ProviderPlaybook, key: string): Promise<string | null>;
	revoke(provider: ProviderPlaybook, key: string): Promise<RevokeResult>;
};

/** Rewrites the repository's history without the old key (git filter-repo); says what to do next. */
export type PurgePort = (repo: string, oldKey: string, options: {redact: (text: string) => string}) => Promise<string>;
/** Writes the ggshield ignore entry for the key's fingerprint; says what it wrote. */
export type GgshieldIgnorePort = (repo: string, fingerprint: string, name: string) => Promise<string>;

/** Who can read a store: the read-only commands it would run (shown first), and running them. */
export type AccessPort = {
	plan(store: Store): string[];
	read(store: Store, options: {redact: (text: string) => string; cwd?: string}): Promise<AccessReading>;
};

/** Keep the key out of code: the one harden flow (src/engines/harden/flow.ts), answered through its own ports. */
export type HardenPort = (input: HardenInput, ports: HardenPorts) => Promise<HardenRun>;

/** `leakfix --from`: one incident per picked secret (before the App; src/ui/fromReport.tsx). */
export type OpenIncidentsPort = typeof openIncidents;

export type Ports = {
	scan: ScanPort;
	probe: ProbePort;
	describeProbe: DescribeProbePort;
	logs: LogsPort;
	fetchLogs: FetchLogsPort;
	logsCommand: LogsCommandPort;
	discover: DiscoverPort;
	orgSearch: OrgSearchPort;
	preview: PreviewPort;
	update: UpdatePort;
	restart: RestartPort;
	health: HealthPort;
	deactivationCommand: DeactivationCommandPort;
	deactivate: DeactivatePort;
	revoke: RevokePort;
	purge: PurgePort;
	ggshieldIgnore: GgshieldIgnorePort;
	access: AccessPort;
	harden: HardenPort;
};

/** The demo's fake CloudSight dashboard: makes the new key, deactivates the old one. */
export type DemoDashboard = {issueKey(): string; deactivate(key: string): void};
