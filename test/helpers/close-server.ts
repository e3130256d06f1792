// Stops a test's HTTP server. Open connections are dropped too, so a stalled stream cannot keep
// the test process alive.
import type { Server } from "node:http";

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  if (!server.listening) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
