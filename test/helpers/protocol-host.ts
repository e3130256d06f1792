// A minimal host that speaks protocol v1 over a real ws client. It runs no app: each test
// decides what it answers, so the bridge's side of the protocol can be driven exactly.
import WebSocket from "ws";
import type { BridgeMessage, Run } from "../../bridge/protocol/messages.js";

export type RunAnswer =
  | { output: string }
  | { fail: string }
  /** Never answer (a hung script). */
  | "hang";

export interface ProtocolHostOptions {
  url: string;
  token: string;
  app?: string;
  name?: string;
  language?: string;
  /** Other languages the host runs besides `language`. */
  capabilities?: string[];
  protocol?: number;
  instance?: string;
  /** Answer each run; default echoes the code back as the output. */
  onRun?: (run: Run) => RunAnswer | Promise<RunAnswer>;
  wsOptions?: WebSocket.ClientOptions;
}

export class ProtocolHost {
  readonly received: BridgeMessage[] = [];
  readonly runs: Run[] = [];
  hostId = "";
  private constructor(readonly socket: WebSocket) {}

  static async connect(options: ProtocolHostOptions): Promise<ProtocolHost> {
    const socket = new WebSocket(`${options.url.replace(/^http/, "ws")}/ws/host`, options.wsOptions);
    const host = new ProtocolHost(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
      socket.once("unexpected-response", (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
    });
    socket.on("message", (data) => {
      const message = JSON.parse(data.toString()) as BridgeMessage;
      host.received.push(message);
      if (message.type === "run") {
        host.runs.push(message);
        void host.answer(message, options.onRun);
      }
    });
    const welcome = host.next("welcome");
    socket.send(
      JSON.stringify({
        type: "hello",
        protocol: options.protocol ?? 1,
        token: options.token,
        app: options.app ?? "testapp",
        appVersion: "1.0",
        language: options.language ?? "echo",
        name: options.name ?? "protocol-host",
        document: null,
        capabilities: options.capabilities ?? [],
        ...(options.instance ? { instance: options.instance } : {}),
      }),
    );
    const message = await welcome;
    if (message.type === "welcome") host.hostId = message.hostId;
    return host;
  }

  /** Resolves with the next message of this type (or an `error`, which is always interesting). */
  next(type: BridgeMessage["type"], timeoutMs = 5000): Promise<BridgeMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off("message", onMessage);
        reject(new Error(`no ${type} message within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString()) as BridgeMessage;
        if (message.type === type || message.type === "error") {
          clearTimeout(timer);
          this.socket.off("message", onMessage);
          resolve(message);
        }
      };
      this.socket.on("message", onMessage);
    });
  }

  /** The first message of this type received so far, or the next one to arrive. */
  async seen(type: BridgeMessage["type"], timeoutMs = 5000): Promise<BridgeMessage> {
    return this.received.find((message) => message.type === type) ?? this.next(type, timeoutMs);
  }

  sendResult(id: string, output: string): void {
    this.socket.send(JSON.stringify({ type: "result", id, ok: true, output, durationMs: 0 }));
  }

  close(): void {
    this.socket.close();
  }

  closed(): Promise<{ code: number }> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve({ code: -1 });
    return new Promise((resolve) => this.socket.once("close", (code) => resolve({ code })));
  }

  private async answer(run: Run, onRun: ProtocolHostOptions["onRun"]): Promise<void> {
    const answer = onRun ? await onRun(run) : { output: run.code };
    if (answer === "hang" || this.socket.readyState !== WebSocket.OPEN) return;
    const frame =
      "output" in answer
        ? { type: "result", id: run.id, ok: true, output: answer.output, durationMs: 1 }
        : { type: "result", id: run.id, ok: false, error: { message: answer.fail }, durationMs: 1 };
    this.socket.send(JSON.stringify(frame));
  }
}
