// A stack of a Pulumi YAML program on the plugin, configured for `emulator` through the plugin's own
// config (token as a secret, base URL), with fast polling: the set-up most plugin engine tests share.

import * as fs from "node:fs";
import type { RunningEmulator } from "../../../emulator";
import { FAST_TUNING, TOKEN } from "../fixtures";
import { createTestStack, TestStack } from "../harness";
import { writeProgramDir } from "./yaml-program";

/**
 * Creates the stack from the Pulumi.yaml text `program` (see yamlProgram) against `emulator`.
 *
 * @example
 * testStack = await yamlTestStack(emulator, yamlProgram({ share }, outputs));
 */
export async function yamlTestStack(emulator: RunningEmulator, program: string): Promise<TestStack> {
  const source = writeProgramDir(program);
  try {
    return await createTestStack({
      program: source,
      config: { "cloudflare-sharing:apiToken": { value: TOKEN, secret: true }, "cloudflare-sharing:baseUrl": { value: emulator.url } },
      env: { CLOUDFLARE_SHARING_TUNING: FAST_TUNING },
    });
  } finally {
    fs.rmSync(source, { recursive: true, force: true });
  }
}
