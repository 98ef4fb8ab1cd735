import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ephemeralPortsFrom, freePort } from "../../dev/netlify-dev.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server on a port the kernel picks, as every emulator listens. */
async function listenAnywhere(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

describe("freePort", () => {
  it("hands out ports no server listening on port 0 can be given meanwhile, each once", async () => {
    const ephemeralFrom = ephemeralPortsFrom();
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    const taken = await Promise.all(Array.from({ length: 20 }, () => listenAnywhere()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeLessThan(ephemeralFrom);
    expect(taken.filter((port) => ports.includes(port))).toEqual([]);
  });
});
