// Drives `warden mcp` with the official MCP TypeScript SDK client: lists
// the tools and calls each as the integration suite asks. Usage:
//   node mcp-client.mjs WARDEN CALLS.json [server args...]
// CALLS.json: [{"name": "scan", "arguments": {...}}, ...]. Prints one JSON
// object: {"tools": [...], "calls": [{"name", "ok", "result"|"error"}]}.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [warden, callsFile, ...serverArgs] = process.argv.slice(2);
const calls = JSON.parse(readFileSync(callsFile, "utf8"));
const transport = new StdioClientTransport({ command: warden, args: ["mcp", ...serverArgs],
  env: { ...process.env }, stderr: "inherit" });
const client = new Client({ name: "warden-test", version: "1.0.0" });
await client.connect(transport);
const out = { server: client.getServerVersion(), tools: (await client.listTools()).tools, calls: [] };
for (const c of calls) {
  try {
    const result = await client.callTool({ name: c.name, arguments: c.arguments }, undefined,
      { timeout: 300000 });
    out.calls.push({ name: c.name, ok: true, result });
  } catch (e) {
    out.calls.push({ name: c.name, ok: false, error: String(e && e.message || e), code: e && e.code });
  }
}
await client.close();
console.log(JSON.stringify(out));
