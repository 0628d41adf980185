// IP addresses and CIDR allowlists, IPv4 and IPv6. Pure.

/** An address as a number: IPv4 in 32 bits, IPv6 in 128 (IPv4-mapped IPv6 counts as IPv4). */
export type Address = {v: 4 | 6; value: bigint; n?: number};

/** IPv4 as an unsigned 32-bit number (plain numbers: BigInt is slow on the hot path). */
function parseV4Number(text: string): number | null {
	let value = 0;
	let part = 0;
	let digits = 0;
	let dots = 0;
	for (let index = 0; index <= text.length; index++) {
		const code = index === text.length ? 46 : text.charCodeAt(index);
		if (code === 46) {
			if (digits === 0 || part > 255) return null;
			value = value * 256 + part;
			dots++;
			part = 0;
			digits = 0;
		} else if (code >= 48 && code <= 57 && digits < 3) {
			part = part * 10 + code - 48;
			digits++;
		} else return null;
	}
	return dots === 4 ? value : null;
}

function parseV4(text: string): bigint | null {
	const value = parseV4Number(text);
	return value === null ? null : BigInt(value);
}

function parseV6(text: string): bigint | null {
	let body = text;
	const zone = body.indexOf('%');
	if (zone !== -1) body = body.slice(0, zone);
	let tail: bigint | null = null;
	// A trailing dotted quad (::ffff:1.2.3.4) is the last two groups.
	const lastColon = body.lastIndexOf(':');
	if (body.includes('.', lastColon)) {
		tail = parseV4(body.slice(lastColon + 1));
		if (tail === null) return null;
		body = `${body.slice(0, lastColon + 1)}0:0`;
	}
	const halves = body.split('::');
	if (halves.length > 2) return null;
	const groups = (half: string) => (half === '' ? [] : half.split(':'));
	const head = groups(halves[0]!);
	const rest = halves.length === 2 ? groups(halves[1]!) : [];
	const missing = 8 - head.length - rest.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
	const all = [...head, ...Array.from({length: halves.length === 2 ? missing : 0}, () => '0'), ...rest];
	let value = 0n;
	for (const group of all) {
		if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
		value = (value << 16n) | BigInt(Number.parseInt(group, 16));
	}
	if (tail !== null) value = (value & ~0xffffffffn) | tail;
	return value;
}

export function parseAddress(text: string): Address | null {
	const v4 = parseV4Number(text);
	if (v4 !== null) return {v: 4, value: BigInt(v4), n: v4};
	const trimmed = text.trim().replace(/^\[|\]$/g, '');
	if (trimmed.includes(':')) {
		const value = parseV6(trimmed);
		if (value === null) return null;
		if (value >> 32n === 0xffffn) return {v: 4, value: value & 0xffffffffn, n: Number(value & 0xffffffffn)};
		return {v: 6, value};
	}
	return null;
}

export type Cidr = {text: string; v: 4 | 6; network: bigint; bits: number; n?: {network: number; mask: number}};

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Throws on nonsense. */
export function parseCidr(text: string): Cidr {
	const [addressText, bitsText] = text.trim().split('/');
	const address = parseAddress(addressText ?? '');
	if (!address) throw new Error(`"${text}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`);
	const width = address.v === 4 ? 32 : 128;
	const bits = bitsText === undefined ? width : Number(bitsText);
	if (!Number.isInteger(bits) || bits < 0 || bits > width || (bitsText !== undefined && !/^\d+$/.test(bitsText))) {
		throw new Error(`"${text}": the prefix length must be 0–${width}`);
	}
	const shift = BigInt(width - bits);
	const network = (address.value >> shift) << shift;
	const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
	return {text: text.trim(), v: address.v, network, bits, ...(address.v === 4 ? {n: {network: Number(network), mask}} : {})};
}

export function inCidr(address: Address, cidr: Cidr): boolean {
	if (address.v !== cidr.v) return false;
	if (address.n !== undefined && cidr.n !== undefined) return ((address.n & cidr.n.mask) >>> 0) === cidr.n.network;
	const shift = BigInt((cidr.v === 4 ? 32 : 128) - cidr.bits);
	return (address.value >> shift) << shift === cidr.network;
}

/** Private, loopback and link-local ranges: never "foreign", but still listed. */
const INTERNAL = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '100.64.0.0/10', '::1/128', 'fc00::/7', 'fe80::/10'].map(parseCidr);

export function isInternal(address: Address): boolean {
	return INTERNAL.some(cidr => inCidr(address, cidr));
}

/**
 * One spelling per address, so the same client is one row: ports dropped (`1.2.3.4:5555`,
 * `[2001:db8::1]:443`), IPv6 lower-case and compressed, IPv4-mapped IPv6 as IPv4. Text that is
 * not an address (CloudTrail's `ec2.amazonaws.com`) is kept as it is.
 */
export function canonicalIp(text: string): string {
	let candidate = text.trim();
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
	if (bracketed) candidate = bracketed[1]!;
	else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(candidate)) candidate = candidate.slice(0, candidate.lastIndexOf(':'));
	const address = parseAddress(candidate);
	if (!address) return text;
	if (address.v === 4 && candidate === text && /^\d{1,3}(\.\d{1,3}){3}$/.test(text) && !/(^|\.)0\d/.test(text)) return text; // already canonical: no new string
	if (address.v === 4) {
		const n = Number(address.value);
		return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
	}
	const groups: string[] = [];
	for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((address.value >> shift) & 0xffffn).toString(16));
	// The longest run of two or more zero groups becomes "::".
	let best = {start: -1, length: 0};
	for (let start = 0; start < 8; ) {
		if (groups[start] !== '0') {
			start++;
			continue;
		}
		let end = start;
		while (end < 8 && groups[end] === '0') end++;
		if (end - start > best.length && end - start >= 2) best = {start, length: end - start};
		start = end;
	}
	if (best.start === -1) return groups.join(':');
	return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}
