// The `cloudflare-sharing` policy pack: `pulumi preview --policy-pack <this folder>`.
// The policies are written in TypeScript in provider/policy/ and compiled into dist/.
"use strict";

require("../dist/provider/policy/pack");
