// The HTML report in a real browser (headless Chromium): the headline and the summary are above
// the fold at 1280×800, and printing to PDF cuts no table row across pages. Skipped, with a
// message, only where Chromium or pdftotext is not installed (.ci/run installs both).
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {renderReport} from '../../src/core/report.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

function which(names: string[]): string | null {
	for (const name of names) {
		const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], {encoding: 'utf8'});
		if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
	}
	return null;
}

const chromium = which(['chromium', 'chromium-browser', 'google-chrome']);
const pdftotext = which(['pdftotext']);
const missing = [chromium ? '' : 'chromium', pdftotext ? '' : 'pdftotext (poppler-utils)'].filter(Boolean);
if (missing.length > 0) console.warn(`report-html browser test skipped: ${missing.join(' and ')} not installed (bash .ci/run installs them)`);

const T = (h: number, m: number) => new Date(Date.UTC(2026, 10, 27, h, m)).toISOString();

/** A finished incident with a long timeline: each note holds a start and an end marker. */
function longIncident(key: string): Session {
	let session = makeSession(key, T(9, 0));
	const probe = (status: 'live' | 'revoked', at: string) => ({status, reason: status === 'live' ? 'HTTP 404: accepted' : 'HTTP 401: rejected', request: 'GET …', provider: 'cloudsight', at});
	session = transition(session, {type: 'probe.completed', result: probe('live', T(9, 1)), at: T(9, 1)});
	const filler = 'the responder wrote a long note here so that the row wraps over several lines of the table and would be cut by a page break if rows could break '.repeat(6);
	for (let i = 0; i < 90; i++) {
		const item = ['confirm-key', 'check-live', 'find-copies'][i % 3]!;
		session = transition(session, {type: 'item.noted', step: 'assess', item, note: `start-${String(i).padStart(3, '0')} ${filler} end-${String(i).padStart(3, '0')}`, at: T(9, 2 + (i % 50))});
	}
	session = transition(session, {type: 'oldkey.deactivated', how: 'CloudSight dashboard', at: T(11, 0)});
	return transition(session, {type: 'verify.probed', which: 'old', result: probe('revoked', T(11, 5)), at: T(11, 5)});
}

function chrome(args: string[]): string {
	return execFileSync(chromium!, ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', '--no-first-run', '--no-default-browser-check', ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000});
}

describe.skipIf(missing.length > 0)('the HTML report in a browser', () => {
	const key = fakeCloudSightKey();
	const html = renderReport(longIncident(key), 'html', T(12, 0), createRedactor([key]));
	/** A fresh folder with the report in it (temp folders are removed after each test). */
	const setup = () => {
		const dir = tempDir();
		const file = path.join(dir, 'report.html');
		fs.writeFileSync(file, html);
		return {dir, file};
	};

	it('shows the headline and the whole summary above the fold at 1280×800', () => {
		const {dir, file} = setup();
		// A copy of the page with a script that measures where the summary ends.
		const probe = path.join(dir, 'probe.html');
		const script = `<script>addEventListener('load',()=>{const h=document.querySelector('.headline').getBoundingClientRect();const s=[...document.querySelectorAll('h2')].find(e=>e.textContent==='Summary');const list=s.nextElementSibling.getBoundingClientRect();document.body.setAttribute('data-fold',JSON.stringify({headline:h.bottom,summary:list.bottom,height:innerHeight,width:innerWidth}))})</script>`;
		fs.writeFileSync(probe, html.replace('</body>', `${script}</body>`));
		const dom = chrome(['--window-size=1280,800', '--virtual-time-budget=3000', '--dump-dom', `file://${probe}`]);
		const fold = JSON.parse(/data-fold="([^"]+)"/.exec(dom)![1]!.replace(/&quot;/g, '"')) as {headline: number; summary: number; height: number; width: number};
		expect(fold.width).toBe(1280);
		expect(fold.headline).toBeLessThan(fold.height);
		expect(fold.summary).toBeLessThan(Math.min(fold.height, 800));
		chrome(['--window-size=1280,800', `--screenshot=${path.join(dir, 'fold.png')}`, `file://${file}`]);
		expect(fs.statSync(path.join(dir, 'fold.png')).size).toBeGreaterThan(1000);
	});

	it('prints to PDF over several pages without cutting a table row', () => {
		const {dir, file} = setup();
		const pdf = path.join(dir, 'report.pdf');
		chrome(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${file}`]);
		const pages = execFileSync(pdftotext!, ['-layout', pdf, '-'], {encoding: 'utf8'}).split('\f');
		expect(pages.length).toBeGreaterThan(3);
		const pageOf = (marker: string) => pages.findIndex(page => page.includes(marker));
		for (let i = 0; i < 90; i++) {
			const n = String(i).padStart(3, '0');
			const start = pageOf(`start-${n}`);
			expect(start, `row ${n} printed`).toBeGreaterThanOrEqual(0);
			expect(pageOf(`end-${n}`), `row ${n} on one page`).toBe(start);
		}
		// Times never wrap: every timeline time is whole on its line.
		expect(pages.join('\n')).not.toMatch(/2026-11-27\s*\n\s*\d\d:\d\d/);
	});
});
