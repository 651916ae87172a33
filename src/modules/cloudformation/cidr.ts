import { templateError } from './template-errors.js';

/**
 * Fn::Cidr: `count` consecutive subnets of `cidrBits` host bits (so a prefix of 32 − cidrBits, or
 * 128 − cidrBits for IPv6) carved from the start of `block`.
 */

const parseIpv4 = (address: string): bigint | undefined => {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
};

const formatIpv4 = (value: bigint): string =>
  [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');

const parseIpv6 = (address: string): bigint | undefined => {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (text: string) => (text === '' ? [] : text.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
};

const formatIpv6 = (value: bigint): string => {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  // The longest run of zero groups (two or more) becomes `::`, as RFC 5952 writes addresses.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  if (bestLength < 2) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
};

export const cidrSubnets = (block: string, count: number, cidrBits: number): string[] => {
  const [address, prefixText] = block.split('/');
  const prefix = Number(prefixText);
  const v4 = address === undefined ? undefined : parseIpv4(address);
  const v6 = v4 === undefined && address !== undefined ? parseIpv6(address) : undefined;
  const width = v4 !== undefined ? 32 : 128;
  const base = v4 ?? v6;
  if (
    base === undefined ||
    prefixText === undefined ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > width
  ) {
    throw templateError(`Fn::Cidr: ${block} is not an IPv4 or IPv6 address block in CIDR notation`);
  }
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw templateError('Fn::Cidr: the count of subnets must be an integer from 1 to 256');
  }
  const subnetPrefix = width - cidrBits;
  if (!Number.isInteger(cidrBits) || cidrBits < 0 || subnetPrefix < prefix) {
    throw templateError(`Fn::Cidr: ${cidrBits} subnet bits do not fit in ${block}`);
  }
  const available = 1n << BigInt(subnetPrefix - prefix);
  if (BigInt(count) > available) {
    throw templateError(
      `Fn::Cidr: ${block} holds only ${available} subnets of ${cidrBits} bits, not ${count}`,
    );
  }
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - prefix)) - 1n);
  const start = base & mask;
  const step = 1n << BigInt(cidrBits);
  const format = v4 !== undefined ? formatIpv4 : formatIpv6;
  return Array.from({ length: count }, (_, i) => `${format(start + BigInt(i) * step)}/${subnetPrefix}`);
};
