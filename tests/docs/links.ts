// Relative links of Markdown pages, and whether they resolve: the file exists and, for `#anchor`,
// the anchor exists in the target as GitHub renders it (heading slugs, `<a id="…">`).
import * as fs from "node:fs";
import * as path from "node:path";

/** A link that does not resolve: where it is, what it says, and why it is broken. */
export interface BrokenLink {
  file: string;
  line: number;
  link: string;
  reason: string;
}

/** Where the pages are read from: repository-relative paths, `/`-separated. */
export interface PageSource {
  /** The file's text, or `undefined` when there is no such file. */
  read(file: string): string | undefined;
  /** Whether `file` exists (a file or a directory). */
  exists(file: string): boolean;
}

/**
 * The lines of `markdown` outside fenced code blocks (``` or ~~~), with their 1-based numbers:
 * a `#` or `[x](y)` inside a code block is code, not a heading or a link.
 *
 * @example
 * proseLines("# A\n```\n# not a heading\n```").map(({ text }) => text); // ["# A"]
 */
export function proseLines(markdown: string): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split("\n").forEach((text, index) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(text);
    if (opening) {
      if (fence === undefined) fence = opening[1][0];
      else if (opening[1][0] === fence) fence = undefined;
      return;
    }
    if (fence === undefined) lines.push({ text, line: index + 1 });
  });
  return lines;
}

/**
 * GitHub's slug of a heading's text: inline markup dropped, lowercase, every character but letters,
 * digits, spaces, `-` and `_` removed, spaces turned into `-`.
 *
 * @example
 * headingSlug("Find grants no stack declares (`audit`)"); // "find-grants-no-stack-declares-audit"
 */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link shows its text
    .replace(/<[^>]+>/g, "") // HTML tags show nothing
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M} _-]/gu, "").replace(/ /g, "-");
}

/**
 * Every anchor a page offers: its headings' slugs (a repeated slug gets `-1`, `-2`, … as on GitHub)
 * and its explicit `<a id="…">` / `<a name="…">` anchors.
 *
 * @example
 * anchorsOf("# Setup\n## Setup\n<a id=\"here\"></a>"); // Set { "setup", "setup-1", "here" }
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (heading) {
      const slug = headingSlug(heading[1]);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const [, id] of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id);
  }
  return anchors;
}

/**
 * The relative links of a page (`[text](target)`, not in code), with their lines: every link but those
 * with a scheme (`https:`, `mailto:`, …).
 *
 * @example
 * relativeLinks("See [Timeouts](docs/timeouts.md#timeouts) and [Pulumi](https://www.pulumi.com)."); // [{ line: 1, link: "docs/timeouts.md#timeouts" }]
 */
export function relativeLinks(markdown: string): { line: number; link: string }[] {
  const links: { line: number; link: string }[] = [];
  for (const { text, line } of proseLines(markdown)) {
    const prose = text.replace(/(`+)[\s\S]*?\1/g, ""); // inline code is not a link
    for (const [, target] of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ line, link: target });
    }
  }
  return links;
}

/**
 * The links of `files` that do not resolve: a target file that does not exist, or an `#anchor` the
 * target (the page itself for a bare `#anchor`) does not have.
 *
 * @example
 * brokenLinks(["README.md"], pagesOnDisk(repoRoot)); // [] when every link resolves
 */
export function brokenLinks(files: string[], source: PageSource): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const text = source.read(file);
    if (text === undefined) throw new Error(`${file}: no such page`);
    for (const { line, link } of relativeLinks(text)) {
      const [target, anchor] = link.split("#", 2) as [string, string | undefined];
      const targetFile = target === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(target)));
      if (!source.exists(targetFile)) {
        broken.push({ file, line, link, reason: `${targetFile} does not exist` });
        continue;
      }
      if (anchor === undefined || anchor === "") continue;
      const targetText = source.read(targetFile);
      if (targetText === undefined || !targetFile.endsWith(".md")) {
        broken.push({ file, line, link, reason: `${targetFile} is not a Markdown page: it has no anchors` });
      } else if (!anchorsOf(targetText).has(decodeURIComponent(anchor))) {
        broken.push({ file, line, link, reason: `${targetFile} has no anchor #${anchor}` });
      }
    }
  }
  return broken;
}

/**
 * The pages of the checkout at `root`, read from disk.
 *
 * @example
 * pagesOnDisk("/repo").read("README.md"); // the README's text
 */
export function pagesOnDisk(root: string): PageSource {
  return {
    read: (file) => {
      const full = path.join(root, file);
      return fs.existsSync(full) && fs.statSync(full).isFile() ? fs.readFileSync(full, "utf8") : undefined;
    },
    exists: (file) => fs.existsSync(path.join(root, file)),
  };
}
