// The README and the docs/ pages: every relative link resolves (file and anchor), and the README
// stays a front door (at most 320 lines).
import * as fs from "node:fs";
import * as path from "node:path";
import { anchorsOf, BrokenLink, brokenLinks, headingSlug, PageSource, pagesOnDisk, relativeLinks } from "./links";

const repoRoot = path.resolve(__dirname, "..", "..");
const README_MAX_LINES = 320;

/** Pages held in memory, for cases made up to break. */
function pagesInMemory(pages: Record<string, string>, directories: string[] = []): PageSource {
  return { read: (file) => pages[file], exists: (file) => file in pages || directories.includes(file) };
}

/** One line per broken link: what a failure shows. */
const describeBroken = (broken: BrokenLink[]) => broken.map(({ file, line, link, reason }) => `${file}:${line}: ${link}: ${reason}`);

describe("heading slugs and anchors, as GitHub makes them", () => {
  it("lowercases, drops punctuation but - and _, turns spaces into -", () => {
    expect(headingSlug("Guardrails at `preview`: the policy pack")).toBe("guardrails-at-preview-the-policy-pack");
    expect(headingSlug("Use from Python, Go, C#, YAML")).toBe("use-from-python-go-c-yaml");
    expect(headingSlug("Recovering after a killed `pulumi up`")).toBe("recovering-after-a-killed-pulumi-up");
    expect(headingSlug("snake_case and kebab-case")).toBe("snake_case-and-kebab-case");
    expect(headingSlug("See [the API](api.md)")).toBe("see-the-api");
  });

  it("numbers a repeated slug, takes explicit anchors, skips code blocks", () => {
    const page = ["# Setup", "## Setup", "## Setup", '<a id="fleet-tables"></a>', "```sh", "# not a heading", "```"].join("\n");
    expect([...anchorsOf(page)].sort()).toEqual(["fleet-tables", "setup", "setup-1", "setup-2"]);
  });

  it("finds relative links only, with their lines, outside code", () => {
    const page = ["[a](docs/a.md)", "[web](https://www.pulumi.com) `[code](x.md)`", "```", "[block](y.md)", "```", "[b](#b) and [c](c.md#c)"].join("\n");
    expect(relativeLinks(page)).toEqual([
      { line: 1, link: "docs/a.md" },
      { line: 6, link: "#b" },
      { line: 6, link: "c.md#c" },
    ]);
  });
});

describe("the link check", () => {
  const pages = {
    "README.md": "# Title\n\n## Set up\n\nSee [timeouts](docs/timeouts.md#deadlines), [set up](#set-up), [back](docs/timeouts.md).\n",
    "docs/timeouts.md": "# Timeouts\n\n## Deadlines\n\n[front](../README.md#set-up) [dev](../examples)\n",
  };

  it("passes pages whose every link resolves, in either direction", () => {
    expect(brokenLinks(Object.keys(pages), pagesInMemory(pages, ["examples"]))).toEqual([]);
  });

  it("reports a made-up broken link by file, line and link: a missing page, a missing anchor", () => {
    const broken = {
      ...pages,
      "docs/timeouts.md": "# Timeouts\n\n## Deadlines\n\nSee [nowhere](no-such-page.md) and\n[a lost anchor](../README.md#no-such-section).\n",
    };
    expect(describeBroken(brokenLinks(Object.keys(broken), pagesInMemory(broken)))).toEqual([
      "docs/timeouts.md:5: no-such-page.md: docs/no-such-page.md does not exist",
      "docs/timeouts.md:6: ../README.md#no-such-section: README.md has no anchor #no-such-section",
    ]);
  });

  it("reports a bare #anchor the page itself lacks", () => {
    const broken = { "README.md": "# Title\n\n[here](#lookup-functions)\n" };
    expect(describeBroken(brokenLinks(["README.md"], pagesInMemory(broken)))).toEqual(["README.md:3: #lookup-functions: README.md has no anchor #lookup-functions"]);
  });
});

describe("the README and the docs/ pages of this checkout", () => {
  const docsPages = fs
    .readdirSync(path.join(repoRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`);

  it("have only relative links that resolve", () => {
    expect(docsPages.length).toBeGreaterThan(1);
    expect(describeBroken(brokenLinks(["README.md", ...docsPages], pagesOnDisk(repoRoot)))).toEqual([]);
  });

  it(`the README has at most ${README_MAX_LINES} lines`, () => {
    const lines = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8").replace(/\n$/, "").split("\n").length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });
});
