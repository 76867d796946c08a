/**
 * Finds the fenced code blocks of the project's documents (README.md and docs/**\/*.md) and sorts
 * them into what the doc test runs: shell blocks (sh, bash, shell), TypeScript blocks (ts, typescript)
 * and everything else (json, http, text, no language…), which shows data or output and is never run.
 * A runnable block opts out with `no-run <reason>` after its language (```ts no-run fragment: …);
 * the reason is required so that every opt-out says why it cannot run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export type BlockKind = 'shell' | 'typescript' | 'other';

export interface CodeBlock {
  /** Path relative to the repository root, with forward slashes. */
  readonly file: string;
  /** 1-based line of the opening fence; the block's first code line is line + 1. */
  readonly line: number;
  readonly language: string;
  readonly kind: BlockKind;
  /** Why the block is not run: null for a block that runs; '' when the marker gave no reason. */
  readonly noRun: string | null;
  readonly code: string;
}

const KINDS: Record<string, BlockKind> = {
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  ts: 'typescript',
  typescript: 'typescript',
};
const OPENING = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/;

/** README.md first, then every Markdown file under docs/, in path order: the order a reader follows. */
export function findDocuments(root: string): string[] {
  const guides = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) =>
      relative(root, join(root, 'docs', name))
        .split(sep)
        .join('/'),
    )
    .sort();
  return ['README.md', ...guides];
}

/** The fenced blocks of one Markdown text (CommonMark fences: ``` or ~~~, closed by the same kind, at least as long). */
export function extractBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const opening = OPENING.exec(lines[index]!);
    if (opening === null) continue;
    const [, indent = '', fence = '', info = ''] = opening;
    const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = index + 1;
    while (end < lines.length && !closing.test(lines[end]!)) end += 1;
    const code = lines
      .slice(index + 1, end)
      .map((text) => (text.startsWith(indent) ? text.slice(indent.length) : text.trimStart()))
      .join('\n');
    blocks.push(describeBlock(file, index + 1, info.trim(), code));
    index = end;
  }
  return blocks;
}

function describeBlock(file: string, line: number, info: string, code: string): CodeBlock {
  const [, language = '', rest = ''] = /^(\S*)\s*(.*)$/.exec(info) ?? [];
  const optOut = /^no-run\b:?\s*(.*)$/.exec(rest);
  return {
    file,
    line,
    language,
    kind: KINDS[language.toLowerCase()] ?? 'other',
    noRun: optOut === null ? null : (optOut[1] ?? '').trim(),
    code: code === '' ? code : `${code}\n`,
  };
}

/** Every block of every document. */
export function readAllBlocks(root: string): CodeBlock[] {
  return findDocuments(root).flatMap((file) => extractBlocks(readFileSync(join(root, file), 'utf8'), file));
}
