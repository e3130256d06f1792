// One HTTP request to the local bridge, on node:http. Not fetch: a process's first fetch()
// loads and compiles undici (about 0.3 s and 40 MiB), which would be most of a CLI command's
// start-up (`hosts`, `exec`) and delay `mcp`'s answer to `initialize`.
import { request } from "node:http";

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Rejects with the socket's error (its `code`, e.g. ECONNREFUSED) when there is no answer. */
export function httpRequest(url: URL, options: HttpOptions = {}): Promise<HttpAnswer> {
  if (url.protocol !== "http:") return Promise.reject(new Error(`not an http: URL: ${url.href}`));
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: { ...options.headers, ...(body ? { "content-length": String(body.length) } : {}) },
        signal: options.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
