// One repository on one registry, over HTTP(S) with undici. It answers the registry's
// auth challenge the way the distribution spec describes: Basic with the credentials, or
// Bearer with a token fetched from the challenge's realm (with the credentials, when
// there are any) for the repository's pull or pull,push scope. The Authorization header
// is kept for later requests and renewed once on a 401 (tokens expire). Bodies are given
// as functions so a request refused for auth can be sent again.
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { CancelledError } from '../errors.js';
import { Masker } from '../log/mask.js';
import { parseChallenge, tokenUrl } from './challenge.js';
import type { Credentials } from './credentials.js';
import { networkError, statusError, type FailureContext } from './registry-errors.js';

export interface ClientOptions {
  registry: string;
  repository: string;
  credentials?: Credentials;
  dispatcher: Dispatcher;
  /** http:// instead of https:// (--plain-http). */
  plainHttp?: boolean;
  /** Push needs pull,push; pull needs pull. */
  access: 'pull' | 'push';
  signal?: AbortSignal;
  /** The proxy requests go through, masked (http://***:***@host:3128), for messages; absent: direct. */
  proxy?: string;
  /** Debug lines (method, path, status); never carries credentials. */
  trace?: (line: string) => void;
}

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path under the registry (/v2/...) or an absolute URL (an upload's Location). */
  path: string;
  headers?: Record<string, string>;
  body?: () => Buffer | Readable;
  /** Statuses that are answers, not failures. */
  expect: number[];
  /** For messages: "pushing blob sha256:...". */
  doing: string;
  bytes?: number;
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** The URL answered, to resolve a relative Location against. */
  url: string;
}

export class RegistryClient {
  readonly base: string;
  masker: Masker;
  private readonly secrets: string[];
  private authorization?: string;

  constructor(readonly options: ClientOptions) {
    this.base = `${options.plainHttp ? 'http' : 'https'}://${options.registry}`;
    const { credentials } = options;
    this.secrets = credentials ? [credentials.password, Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')] : [];
    this.masker = new Masker(this.secrets);
  }

  get repository(): string {
    return this.options.repository;
  }

  /** The request, authorised; a status outside `expect` is thrown as E_REGISTRY with its fix. */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    let response = await this.attempt(req);
    if (response.status === 401) {
      const challenge = headerText(response.headers['www-authenticate']);
      const body = await response.body.text();
      const renewed = await this.authorize(challenge, req);
      if (renewed) response = await this.attempt(req);
      else throw statusError(401, body, this.context(req));
    }
    if (!req.expect.includes(response.status)) {
      const body = await response.body.text().catch(() => '');
      throw statusError(response.status, body, this.context(req));
    }
    return response;
  }

  context(req: Pick<RegistryRequest, 'doing' | 'bytes'>): FailureContext {
    return {
      registry: this.options.registry,
      repository: this.options.repository,
      doing: req.doing,
      masker: this.masker,
      ...(this.options.proxy ? { proxy: this.options.proxy } : {}),
      ...(this.authorization && this.options.credentials ? { credentialSource: this.options.credentials.source } : {}),
      ...(req.bytes !== undefined ? { bytes: req.bytes } : {}),
    };
  }

  /** An absolute URL for a path or a Location header (which may be relative). */
  resolve(location: string, against = this.base): string {
    return new URL(location, against).toString();
  }

  private async attempt(req: RegistryRequest): Promise<RegistryResponse> {
    const url = this.resolve(req.path);
    const headers: Record<string, string> = { 'user-agent': 'kiln', ...req.headers };
    if (this.authorization) headers.authorization = this.authorization;
    this.options.trace?.(`${req.method} ${new URL(url).pathname}`);
    try {
      const response = await request(url, {
        method: req.method,
        headers,
        body: req.body?.() ?? null,
        dispatcher: this.options.dispatcher,
        signal: this.options.signal,
        maxRedirections: req.method === 'GET' || req.method === 'HEAD' ? 5 : 0,
      });
      this.options.trace?.(`${req.method} ${new URL(url).pathname} -> ${response.statusCode}`);
      return { status: response.statusCode, headers: response.headers, body: response.body, url };
    } catch (error) {
      if (this.options.signal?.aborted) throw new CancelledError();
      throw networkError(error, this.context(req));
    }
  }

  /** Sets the Authorization header a challenge asks for; false when there is nothing (new) to send. */
  private async authorize(header: string | undefined, req: RegistryRequest): Promise<boolean> {
    const challenge = parseChallenge(header);
    const { credentials } = this.options;
    const basic = credentials && `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    if (challenge?.scheme === 'basic') {
      if (!basic || this.authorization === basic) return false;
      this.authorization = basic;
      return true;
    }
    if (challenge?.scheme === 'bearer' && challenge.params.realm) {
      const scope = `repository:${this.options.repository}:${this.options.access === 'push' ? 'pull,push' : 'pull'}`;
      const doing = `getting a token for ${req.doing}`;
      let answer;
      try {
        answer = await request(tokenUrl(challenge, [scope]), {
          headers: { 'user-agent': 'kiln', ...(basic ? { authorization: basic } : {}) },
          dispatcher: this.options.dispatcher,
          signal: this.options.signal,
        });
      } catch (error) {
        if (this.options.signal?.aborted) throw new CancelledError();
        throw networkError(error, this.context({ doing }));
      }
      const text = await answer.body.text();
      if (answer.statusCode !== 200) throw statusError(answer.statusCode, text, { ...this.context({ doing }), ...(basic ? { credentialSource: credentials!.source } : {}) });
      const { token, access_token: accessToken } = JSON.parse(text) as { token?: string; access_token?: string };
      const bearer = token ?? accessToken;
      if (!bearer) throw statusError(502, 'the token endpoint answered without a token', this.context({ doing }));
      this.secrets.push(bearer);
      this.masker = new Masker(this.secrets);
      const next = `Bearer ${bearer}`;
      if (this.authorization === next) return false;
      this.authorization = next;
      return true;
    }
    return false;
  }
}

export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
