// How CLI commands (and other local tools) talk to a running bridge: find it through
// bridge.json, send the token, turn failures into typed errors.
import { ScriptwrightError } from "../../adapters/shared/errors.js";
import { type BridgeInfo, NoBridgeError, readBridgeFile } from "../discovery.js";
import { type HttpAnswer, httpRequest } from "./http.js";

/** The bridge answered with an error: its status, and the code and message of its body. */
export class BridgeHttpError extends ScriptwrightError {
  override name = "BridgeHttpError";
  constructor(status: number, code: string, message: string) {
    super(code, message, { status });
  }
}

export class BridgeClient {
  constructor(readonly info: BridgeInfo) {}

  static fromDataDir(dataDir: string): BridgeClient {
    return new BridgeClient(readBridgeFile(dataDir));
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", path, undefined, signal);
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>("POST", path, body, signal);
  }

  delete<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>("DELETE", path, undefined, signal);
  }

  /** Opens a server-sent event stream (session events). */
  async events(path: string, signal?: AbortSignal, lastEventId = 0): Promise<ReadableStream<Uint8Array>> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.info.url), {
        headers: {
          authorization: `Bearer ${this.info.token}`,
          accept: "text/event-stream",
          "last-event-id": String(lastEventId),
        },
        signal,
      });
    } catch (error) {
      throw new NoBridgeError(`cannot reach the bridge at ${this.info.url} (${(error as Error).message})`);
    }
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => ({}))) as {
        error?: { code?: string; message?: string };
      };
      throw new BridgeHttpError(
        response.status,
        body.error?.code ?? "http",
        body.error?.message ?? `HTTP ${response.status}`,
      );
    }
    return response.body;
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let response: HttpAnswer;
    try {
      response = await httpRequest(new URL(path, this.info.url), {
        method,
        headers: {
          authorization: `Bearer ${this.info.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new NoBridgeError(
        `cannot reach the bridge at ${this.info.url} (${cause}); is \`scriptwright serve\` running?`,
      );
    }
    const { status, text } = response;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new BridgeHttpError(status, "bad-response", `the bridge answered ${status} with non-JSON`);
    }
    if (status < 200 || status > 299) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new BridgeHttpError(status, error?.code ?? "http", error?.message ?? `HTTP ${status}`);
    }
    return parsed as T;
  }
}
