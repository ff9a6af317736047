// The generated Python and Go classes of ShareRecipient and ShareResource ask the engine to delete
// before replacing unless the program says otherwise, as the TypeScript classes do
// (provider/resources/resource-base.ts, replacedOnePerKey). The API keeps one recipient per target
// and one share resource per object on a share, so a replacement that keeps the key must remove the
// old record first; the plugin's diff says so when the engine asks, but for `pulumi up --replace`
// the engine (3.259) asks no provider, and only the resource option decides.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

/** The resources the API holds once per natural key on a share, and what it keeps one of. */
const ONE_PER_KEY = [
  { python: "share_recipient.py", go: "shareRecipient.go", onePer: "one recipient per target" },
  { python: "share_resource.py", go: "shareResource.go", onePer: "one share resource per object" },
];

const PYTHON_ANCHOR = "        opts = pulumi.ResourceOptions.merge(_utilities.get_resource_opts_defaults(), opts)\n";
const GO_ANCHOR = "\topts = internal.PkgResourceDefaultOpts(opts)\n";

/** `text` with `addition` after its one `anchor`; throws when the generator's code no longer has exactly one. */
function insertAfter(text, anchor, addition, file) {
  const at = text.indexOf(anchor);
  if (at < 0 || text.indexOf(anchor, at + 1) >= 0) throw new Error(`${file}: expected exactly one line ${JSON.stringify(anchor.trim())} to add the deleteBeforeReplace default after`);
  return text.slice(0, at + anchor.length) + addition + text.slice(at + anchor.length);
}

function patchPython(file, onePer) {
  const addition = [
    "        if opts.delete_before_replace is None:",
    `            # The API keeps ${onePer} on a share, and \`pulumi up --replace\` asks the provider nothing:`,
    "            # delete the old record first unless the program says otherwise.",
    "            opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True))",
    "",
  ].join("\n");
  fs.writeFileSync(file, insertAfter(fs.readFileSync(file, "utf8"), PYTHON_ANCHOR, addition, file));
}

function patchGo(file, onePer) {
  const addition = [
    `\t// The API keeps ${onePer} on a share, and \`pulumi up --replace\` asks the provider nothing:`,
    "\t// delete the old record first unless the program says otherwise (a later option wins).",
    "\topts = append([]pulumi.ResourceOption{pulumi.DeleteBeforeReplace(true)}, opts...)",
    "",
  ].join("\n");
  fs.writeFileSync(file, insertAfter(fs.readFileSync(file, "utf8"), GO_ANCHOR, addition, file));
}

/**
 * Makes the ShareRecipient and ShareResource classes of the SDK generated into `target` (for
 * `language`, "python" or "go") default to delete-before-replace.
 *
 * @example
 * deleteBeforeReplaceByDefault("python", path.join(root, "sdk", "python"));
 */
function deleteBeforeReplaceByDefault(language, target) {
  for (const resource of ONE_PER_KEY) {
    if (language === "python") patchPython(path.join(target, "pulumi_cloudflare_sharing", resource.python), resource.onePer);
    else if (language === "go") patchGo(path.join(target, "cloudflaresharing", resource.go), resource.onePer);
  }
}

module.exports = { deleteBeforeReplaceByDefault };
