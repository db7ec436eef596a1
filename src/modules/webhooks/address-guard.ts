import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

/** What an address is, for the server-side request forgery guard of spec §10: only `public` may be the target of a webhook. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'unspecified'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'invalid';

type V4Range = [number, number, number, number, number, AddressClass];

// First match wins. `reserved`: broadcast, documentation, benchmarking and protocol ranges nobody should receive webhooks on.
const V4_RANGES: V4Range[] = [
  [0, 0, 0, 0, 8, 'unspecified'],
  [10, 0, 0, 0, 8, 'private'],
  [100, 64, 0, 0, 10, 'cgnat'],
  [127, 0, 0, 0, 8, 'loopback'],
  [169, 254, 0, 0, 16, 'link-local'],
  [172, 16, 0, 0, 12, 'private'],
  [192, 0, 0, 0, 24, 'reserved'],
  [192, 0, 2, 0, 24, 'reserved'],
  [192, 88, 99, 0, 24, 'reserved'],
  [192, 168, 0, 0, 16, 'private'],
  [198, 18, 0, 0, 15, 'reserved'],
  [198, 51, 100, 0, 24, 'reserved'],
  [203, 0, 113, 0, 24, 'reserved'],
  [224, 0, 0, 0, 4, 'multicast'],
  [240, 0, 0, 0, 4, 'reserved'],
];

const v4Number = (octets: number[]) => ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;

function classifyV4(octets: number[]): AddressClass {
  const n = v4Number(octets);
  for (const [a, b, c, d, bits, cls] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === (v4Number([a, b, c, d]) & mask) >>> 0) return cls;
  }
  return 'public';
}

function parseV4(text: string): number[] | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').map(Number);
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 becomes the last two). */
function parseV6(text: string): number[] | null {
  if (isIP(text) !== 6) return null;
  let s = text.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const o = parseV4(dotted[1])!;
    s = s.slice(0, -dotted[1].length) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16));
}

function classifyV6(g: number[]): AddressClass {
  const zeroUntil = (i: number) => g.slice(0, i).every((x) => x === 0);
  if (zeroUntil(8)) return 'unspecified';
  if (zeroUntil(7) && g[7] === 1) return 'loopback';
  const v4 = [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff];
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address they carry.
  if (zeroUntil(5) && g[5] === 0xffff) return classifyV4(v4);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(v4);
  // 6to4 (2002:a.b.c.d::/48) is routed to the IPv4 address in its second and third groups.
  if (g[0] === 0x2002) return classifyV4([g[1] >> 8, g[1] & 0xff, g[2] >> 8, g[2] & 0xff]);
  // Teredo (2001::/32) tunnels to an obfuscated IPv4 client, and the local-use NAT64 prefix (64:ff9b:1::/48) to an IPv4
  // address wherever the operator's translator puts it: neither is a place for a webhook receiver.
  if ((g[0] === 0x2001 && g[1] === 0) || (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1)) return 'reserved';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved';
  // Only 2000::/3 is global unicast; everything else (IPv4-compatible among them) is reserved.
  if ((g[0] & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/** Classifies an IP literal (IPv4, or IPv6 with an optional zone); anything else is `invalid`. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const v4 = parseV4(bare);
  if (v4) return classifyV4(v4);
  const v6 = parseV6(bare);
  return v6 ? classifyV6(v6) : 'invalid';
}

/** The host of a URL as DNS and WEBHOOK_ALLOWED_HOSTS see it: lower case, IPv6 without brackets. */
export const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');

export interface UrlRules {
  production: boolean;
  allowedHosts: string[];
}

/** What is wrong with a webhook URL before any lookup, or null: http(s) only, no credentials, https in production. */
export function urlProblem(text: string, rules: Pick<UrlRules, 'production'>): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an absolute http or https URL';
  if (url.username || url.password) return 'must not contain credentials (user:password@)';
  if (!url.hostname) return 'must name a host';
  // Spec §10: https in production, allowed host or not; the allow list lifts only the address rule. Deliveries carry NIPs and scores.
  if (rules.production && url.protocol !== 'https:') return 'must use https';
  return null;
}

export type Lookup = (host: string) => Promise<LookupAddress[]>;

const systemLookup: Lookup = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (e, addresses) => (e ? reject(e) : resolve(addresses))));

export type Target = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string };

/**
 * Where a webhook may connect: the host's addresses, every one public, unless the host is in WEBHOOK_ALLOWED_HOSTS.
 * The caller connects to the address answered here (pinned), so a second lookup cannot swap in another one.
 */
export async function resolveTarget(text: string, rules: UrlRules, lookup: Lookup = systemLookup): Promise<Target> {
  const problem = urlProblem(text, rules);
  if (problem) return { ok: false, reason: problem };
  const host = hostOf(new URL(text));
  let addresses: LookupAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host);
    } catch (e) {
      return { ok: false, reason: `host ${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? 'lookup failed'})` };
    }
  }
  if (!addresses.length) return { ok: false, reason: `host ${host} does not resolve` };
  if (!rules.allowedHosts.includes(host)) {
    for (const a of addresses) {
      const cls = classifyAddress(a.address);
      if (cls !== 'public') {
        // The class and the host as given, never a resolved address: the caller would learn what internal names point to.
        const what = isIP(host) ? `${host} is` : `host ${host} resolves to`;
        return { ok: false, reason: `${what} a non-public address (${cls}); only public addresses unless the host is in WEBHOOK_ALLOWED_HOSTS` };
      }
    }
  }
  return { ok: true, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}
