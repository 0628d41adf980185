// Step 1's work, for the App: the exposure scan (with progress, cancelled by Esc) and the liveness
// probe (what it will send, masked, for the consent question). Both through ports, both as jobs.
import {summarize} from '../core/exposure.js';
import type {LeakedKey} from '../core/leaked-key.js';
import type {Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import type {SessionEvent} from '../core/session.js';
import type {ScanProgress} from '../engines/scan/history.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {ProbeState} from './AssessPanel.js';
import type {ScanState} from './ExposurePanel.js';
import type {ProbePort, Ports} from './ports.js';
import {useJob} from './useJob.js';

type Options = {
	getSession(): Session | undefined;
	provider: ProviderPlaybook | undefined;
	key: LeakedKey | undefined;
	ports: Ports;
	/** The probe, bound to this incident's origin (a demo's loopback CloudSight, or the setting). */
	probe: ProbePort;
	probeBaseUrl: string | undefined;
	redactor: Redactor;
	apply(event: SessionEvent): void;
	now(): string;
	cwd: string;
};

export function useAssess({getSession, provider, key, ports, probe, probeBaseUrl, redactor, apply, now, cwd}: Options) {
	const scanJob = useJob<ScanProgress>(redactor.text);
	const probeJob = useJob(redactor.text);

	const startScan = () => {
		const current = getSession();
		if (!current || key === undefined) return;
		const repo = current.repoPath ?? cwd;
		void scanJob.run(repo, async job => {
			const result = await ports.scan(repo, key.secret, {signal: job.signal, onProgress: job.progress});
			if (result.cancelled) return 'scan cancelled';
			apply({type: 'scan.completed', at: now(), summary: summarize([result], now())});
		});
	};

	// What the probe will send, masked, as the consent question shows it (null: no probe).
	const probeRequest = provider?.probe && key !== undefined ? ports.describeProbe(provider, key.raw, probeBaseUrl) : null;

	const runProbe = (consented: boolean) => {
		if (!provider || key === undefined || probeJob.running()) return;
		if (getSession()?.demo && probeBaseUrl === undefined) {
			probeJob.say('this demo incident\'s fake CloudSight is not running, so nothing was sent (a demo never probes the real one)', true);
			return;
		}
		if (consented && probeRequest) apply({type: 'probe.consented', at: now(), request: probeRequest});
		void probeJob.run('probe', async () => {
			const result = await probe(provider, key.raw);
			apply({type: 'probe.completed', at: now(), result: {...result, at: now()}});
		});
	};

	const scanState: ScanState = scanJob.state.kind === 'running' ? {kind: 'running', repo: scanJob.state.what, ...(scanJob.state.progress ? {progress: scanJob.state.progress} : {})} : scanJob.state;
	const probeState: ProbeState = probeJob.state.kind === 'idle' ? {kind: 'idle'} : probeJob.state.kind === 'running' ? {kind: 'running'} : probeJob.state;
	return {scan: scanState, startScan, cancelScan: scanJob.cancel, probe: probeState, probeRequest, runProbe};
}
