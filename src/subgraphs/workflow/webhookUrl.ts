import { BlockList, isIP } from 'node:net';
import { badInput } from '../../shared/errors';

/**
 * Where a webhook may point. The hub POSTs from inside the political-legal network, so a target is
 * an SSRF risk: a registration must never make it call the cloud's metadata service or a
 * link-local address. Private ranges stay allowed (the receiving units' systems sit on the 政务外网,
 * an intranet), over https; plain http only to loopback, in dev and tests.
 */

/** Never a target: unspecified, link-local (the cloud metadata services: 169.254.169.254, Alibaba Cloud's 100.100.100.200, AWS's fd00:ec2::254), multicast, broadcast. */
const NEVER = new BlockList();
NEVER.addSubnet('0.0.0.0', 8, 'ipv4');
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addAddress('100.100.100.200', 'ipv4');
NEVER.addSubnet('224.0.0.0', 4, 'ipv4');
NEVER.addSubnet('240.0.0.0', 4, 'ipv4');
NEVER.addAddress('::', 'ipv6');
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addSubnet('ff00::', 8, 'ipv6');
NEVER.addAddress('fd00:ec2::254', 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

// BlockList judges an IPv4 address written as IPv6 (`::ffff:a9fe:a9fe`) by the IPv4 rules.
const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

export function isLoopback(address: string): boolean {
  return LOOPBACK.check(address, family(address));
}

/** Why the hub may not connect to `address` (an IP), or null. Checked on the literal at registration and on every address DNS gives at delivery. */
export function addressProblem(address: string, allowLoopback: boolean): string | null {
  if (NEVER.check(address, family(address))) return 'a link-local, metadata, multicast or unspecified address';
  if (!allowLoopback && isLoopback(address)) return 'a loopback address (allowed in dev and tests only)';
  return null;
}

/**
 * The target URL, normalised, or BAD_USER_INPUT naming `argument`: https (http only to loopback when
 * `allowLoopback`), no credentials in it, and no forbidden IP literal. A host name is checked again
 * on every delivery, on the addresses it resolves to then (a name can be re-pointed).
 */
export function checkWebhookUrl(argument: string, raw: string, allowLoopback: boolean): string {
  if (raw.length > 2000) throw badInput(argument, 'at most 2000 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput(argument, 'not an absolute URL');
  }
  if (url.username || url.password) throw badInput(argument, 'must not carry a user name or password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host) !== 0;
  const loopback = host === 'localhost' || (literal && isLoopback(host));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && allowLoopback))
    throw badInput(argument, allowLoopback ? 'must be https (http only to 127.0.0.1, ::1 or localhost)' : 'must be https');
  if (loopback && !allowLoopback) throw badInput(argument, 'must not be a loopback address');
  const problem = literal ? addressProblem(host, allowLoopback) : null;
  if (problem) throw badInput(argument, `must not be ${problem}`);
  url.hash = '';
  return url.href;
}
