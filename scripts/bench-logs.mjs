// A generated access log for the logs bench: `bytes` of nginx combined or JSON lines, the key in
// 1% of lines (from ~300 addresses; the rest are other keys' from everywhere), a month of hours. Kept between runs.
import fs from 'node:fs';

export function generateLog(file, {bytes, key, format}) {
	if (fs.existsSync(`${file}.done`)) return JSON.parse(fs.readFileSync(`${file}.done`, 'utf8'));
	const out = fs.openSync(`${file}.tmp`, 'w');
	const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	const pad = n => String(n).padStart(2, '0');
	const start = Date.UTC(2026, 9, 1);
	let state = 7;
	const rand = () => (state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
	const others = Array.from({length: 50}, (_, i) => `other${i}_${'x'.repeat(20)}`.slice(0, key.length));
	let written = 0;
	let lines = 0;
	let keyLines = 0;
	const perLine = format === 'jsonl' ? 230 : 200;
	const total = Math.ceil(bytes / perLine);
	while (written < bytes) {
		let chunk = '';
		for (let i = 0; i < 20_000; i++) {
			const t = start + Math.floor((lines / total) * 30 * 86_400_000);
			const d = new Date(t);
			const mine = lines % 100 === 0;
			// Other keys' lines come from everywhere; this key's from ~300 addresses (a fleet and its users).
			const ip = mine ? `203.0.${(lines >> 10) % 3}.${(lines >> 7) % 100}` : `${(lines * 7) % 223 + 1}.${(lines * 13) % 255}.${(lines >> 4) % 255}.${lines % 17}`;
			if (mine) keyLines++;
			const k = mine ? key : others[lines % 50];
			const status = rand() < 0.95 ? 200 : 401;
			if (format === 'jsonl') {
				chunk += `{"time":"${d.toISOString()}","remote_addr":"${ip}","request":"GET /v1/images/${lines.toString(36)}?key=${k} HTTP/1.1","status":${status},"user_agent":"image-tagger/2.3 (+node 20)","bytes":${lines % 9000}}\n`;
			} else {
				chunk += `${ip} - - [${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000] "GET /v1/images/${lines.toString(36)}?key=${k} HTTP/1.1" ${status} ${lines % 9000} "-" "image-tagger/2.3 (+node 20)"\n`;
			}
			lines++;
		}
		fs.writeSync(out, chunk);
		written += Buffer.byteLength(chunk);
	}
	fs.closeSync(out);
	fs.renameSync(`${file}.tmp`, file);
	const info = {bytes: written, lines, keyLines, format};
	fs.writeFileSync(`${file}.done`, JSON.stringify(info));
	return info;
}
