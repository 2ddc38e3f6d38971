import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError, forbidden, notFound, parseOrThrow, parseParams, parseRequest } from '../../platform/index.ts';
import { isUuid, type ApiClient } from '../tokens.ts';
import { parseFilterParam, type FilterNode } from './filter.ts';
import { collection, pageRequest, sendHal, type PageRequest, type Resource } from './hal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key's holder, set by the API's authentication hook on /api/v1 routes. */
    apiClient: ApiClient | null;
  }
}

export function clientOf(request: FastifyRequest): ApiClient {
  if (!request.apiClient) throw new DomainError('unauthenticated', 'API Key invalid or not present');
  return request.apiClient;
}

/** Route guard: the key must have the write scope. */
export async function requireWrite(request: FastifyRequest): Promise<void> {
  if (clientOf(request).scope !== 'write') {
    throw forbidden('This API key may only read. Ask an organiser for a key with the write scope.');
  }
}

/** Bodies are JSON (application/json or application/hal+json); anything else is refused before parsing. */
export async function jsonBodyOnly(request: FastifyRequest): Promise<void> {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/(hal\+)?json\b/.test(type)) {
    throw new DomainError('bad_request', 'Send the body as JSON, with Content-Type: application/json.');
  }
}

/** Checks a JSON body against its schema: 400 when it is not an object, 422 naming each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new DomainError('bad_request', 'The request body must be a JSON object.');
  return parseOrThrow(schema, body);
}

const pathParams = z.record(z.string(), z.string());
/** A collection's query string: `page`, `per_page` and `filter` are read by pageRequest and filterCondition. */
const collectionQuery = z.record(z.string(), z.unknown());

/** A resource id in the path (/people/<uuid>); anything else is simply not found. */
export function uuidParam(request: FastifyRequest, name: string, what: string): string {
  const value = parseParams(pathParams, request.params, what)[name] ?? '';
  if (!isUuid(value)) throw notFound(what);
  return value;
}

export function idParam(request: FastifyRequest, name: string, what: string): number {
  const value = parseParams(pathParams, request.params, what)[name] ?? '';
  if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647) throw notFound(what);
  return Number(value);
}

export interface PageSource {
  baseUrl: string;
  /** The collection's own URL. */
  url: string;
  rel: string;
  /** The filter is the owner's to translate, against the fields it exports. */
  load(filter: FilterNode | undefined, page: PageRequest): Promise<{ items: Resource[]; total: number }>;
}

/** Answers a collection request: page and filter from the query string, then one page of items. */
export async function sendPage(request: FastifyRequest, reply: FastifyReply, source: PageSource): Promise<FastifyReply> {
  const query = parseRequest(collectionQuery, request.query);
  const page = pageRequest(query);
  const filter = parseFilterParam(query.filter);
  const { items, total } = await source.load(filter, page);
  return sendHal(reply, collection({ baseUrl: source.baseUrl, url: source.url, query, rel: source.rel, items, total, page }));
}
