import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request the fake received, as sent. */
export interface ResultsRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: Buffer;
}

/** An artifact as the fake keeps it: what CreateArtifact and FinalizeArtifact were sent, and the blob. */
export interface FakeResultsArtifact {
  readonly id: number;
  readonly name: string;
  /** CreateArtifact's JSON request (proto field names: workflow_run_backend_id, expires_at, ...). */
  readonly create: Record<string, unknown>;
  /** FinalizeArtifact's JSON request, once finalized. */
  finalize?: Record<string, unknown>;
  /** The bytes committed to the signed upload URL (the zip), once committed. */
  blob?: Buffer;
}

/** How CreateArtifact answers instead of creating: a status and a JSON body. */
export interface FakeFailure {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * The Actions results service as @actions/artifact uploads to it, on 127.0.0.1 at a random
 * port: the Twirp JSON endpoints CreateArtifact (answering a signed upload URL on this same
 * fake) and FinalizeArtifact, and Azure block blob storage behind the signed URL (Put Block,
 * Put Block List, and a single Put Blob), keeping what was uploaded and recording every request.
 */
export interface FakeActionsResults extends AsyncDisposable {
  /** For ACTIONS_RESULTS_URL. */
  readonly url: string;
  readonly requests: ResultsRequest[];
  readonly artifacts: FakeResultsArtifact[];
  /** Makes every later CreateArtifact answer this. */
  failCreate(failure: FakeFailure): void;
}

const TWIRP_PATH = /^\/twirp\/github\.actions\.results\.api\.v1\.ArtifactService\/(\w+)$/;
/** Path-style, as Azure's client parses an IP address: account, container, blob. */
const BLOB_PATH = /^\/fakeaccount\/actions-results\/(\d+)\.zip$/;

/** Starts a {@link FakeActionsResults}. */
export async function startFakeActionsResults(): Promise<FakeActionsResults> {
  const requests: ResultsRequest[] = [];
  const artifacts: FakeResultsArtifact[] = [];
  /** Staged blocks of each blob, by block id (base64), not yet committed. */
  const staged = new Map<number, Map<string, Buffer>>();
  let nextId = 7000;
  let createFailure: FakeFailure | undefined;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body,
      });
      try {
        handle(request, body, response);
      } catch (error) {
        send(response, 500, { code: 'internal', msg: String(error) });
      }
    });
  });

  function handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const twirp = TWIRP_PATH.exec(url.pathname);
    if (twirp !== null && request.method === 'POST') return handleTwirp(twirp[1]!, url, body, response);
    const blob = BLOB_PATH.exec(url.pathname);
    if (blob !== null && request.method === 'PUT') return handleBlob(Number(blob[1]), url, body, response);
    send(response, 404, { code: 'not_found', msg: `no route ${request.method} ${url.pathname}` });
  }

  function handleTwirp(method: string, url: URL, body: Buffer, response: ServerResponse): void {
    const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (method === 'CreateArtifact') {
      if (createFailure !== undefined) return send(response, createFailure.status, createFailure.body);
      const id = nextId++;
      artifacts.push({ id, name: String(json['name']), create: json });
      staged.set(id, new Map());
      return send(response, 200, {
        ok: true,
        signed_upload_url: `${url.origin}/fakeaccount/actions-results/${id}.zip?sv=2024-01-01&sig=fake-signature`,
      });
    }
    if (method === 'FinalizeArtifact') {
      const artifact = artifacts.find((candidate) => candidate.name === json['name']);
      if (artifact === undefined || artifact.blob === undefined) {
        return send(response, 404, { code: 'not_found', msg: 'no uploaded artifact of that name' });
      }
      artifact.finalize = json;
      // int64 is a string in proto3 JSON.
      return send(response, 200, { ok: true, artifact_id: String(artifact.id) });
    }
    send(response, 404, { code: 'bad_route', msg: `no method ${method}` });
  }

  function handleBlob(id: number, url: URL, body: Buffer, response: ServerResponse): void {
    const artifact = artifacts.find((candidate) => candidate.id === id);
    const blocks = staged.get(id);
    if (artifact === undefined || blocks === undefined) return blobAnswer(response, 404);
    const comp = url.searchParams.get('comp');
    if (comp === 'block') {
      blocks.set(url.searchParams.get('blockid') ?? '', body);
      return blobAnswer(response, 201);
    }
    if (comp === 'blocklist') {
      // <BlockList><Latest>id</Latest>...</BlockList>: the blob is those blocks, in that order.
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map(
        (match) => match[1]!,
      );
      const parts = ids.map((blockId) => blocks.get(blockId));
      if (parts.some((part) => part === undefined)) return blobAnswer(response, 400);
      artifact.blob = Buffer.concat(parts as Buffer[]);
      return blobAnswer(response, 201);
    }
    if (comp === null) {
      artifact.blob = body;
      return blobAnswer(response, 201);
    }
    blobAnswer(response, 400);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    artifacts,
    failCreate(failure) {
      createFailure = failure;
    },
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** As Azure storage answers a write: no body, a request id and an etag. */
function blobAnswer(response: ServerResponse, status: number): void {
  response.writeHead(status, {
    'x-ms-request-id': 'fake-request',
    'x-ms-version': '2024-01-01',
    etag: '"0x1"',
    'last-modified': new Date().toUTCString(),
    'content-length': 0,
  });
  response.end();
}
