// Each test file keeps its own record of requests per token (machine-ledger.ts): test files run side by
// side against emulators and mock servers that may share an address and a token, and one file's
// requests must not count against another's limit. Stacks and plugins a file starts inherit it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

if (!process.env.CLOUDFLARE_SHARING_RATE_DIR) {
  process.env.CLOUDFLARE_SHARING_RATE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "rate-record-"));
}
