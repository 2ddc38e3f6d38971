import type { FastifyRequest } from 'fastify';

/** The client's address as stored (IPv4 without the IPv6 mapping prefix). */
export function clientIp(request: FastifyRequest): string | null {
  const ip = request.ip;
  if (!ip) return null;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
