import { fileURLToPath } from 'node:url';
import type { CallSite } from './types.js';

/** Enough frames to get past core, the backend and a test runner's wrappers. */
const STACK_DEPTH = 100;

const PEWIT_IN_NODE_MODULES = /[\\/]node_modules[\\/]@pewit[\\/]/;

/**
 * Finds the first frame of the current stack that is neither pewit nor Node
 * itself: the line the user wrote. Reads `new Error().stack`, so Node's
 * source maps (`--enable-source-maps`, or a test runner's) apply.
 */
export function captureCallSite(pewitFolders: readonly string[]): CallSite | undefined {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_DEPTH;
  let stack: string | undefined;
  try {
    stack = new Error().stack;
  } finally {
    Error.stackTraceLimit = previous;
  }
  return firstUserFrame(stack ?? '', pewitFolders);
}

/** The first frame of `stack` outside pewit and Node. Exported for tests. */
export function firstUserFrame(stack: string, pewitFolders: readonly string[]): CallSite | undefined {
  for (const line of stack.split('\n')) {
    const frame = parseFrame(line);
    if (frame && !isPewitFrame(frame.file, pewitFolders) && !isNodeFrame(frame.file)) return frame;
  }
  return undefined;
}

/** Parses `    at fn (/path/file.js:12:5)` and `    at /path/file.js:12:5`; other lines give undefined. */
export function parseFrame(line: string): CallSite | undefined {
  const text = line.trim();
  if (!text.startsWith('at ')) return undefined;
  const match = / \((.+):(\d+):(\d+)\)$/.exec(text) ?? /^at (?:async )?(.+):(\d+):(\d+)$/.exec(text);
  if (!match) return undefined;
  let file = match[1] as string;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  const lineNumber = Number(match[2]);
  const column = Number(match[3]);
  return { file, line: lineNumber, column, location: `${file}:${lineNumber}:${column}` };
}

function isPewitFrame(file: string, pewitFolders: readonly string[]): boolean {
  return PEWIT_IN_NODE_MODULES.test(file) || pewitFolders.some((folder) => file.startsWith(folder));
}

function isNodeFrame(file: string): boolean {
  return file.startsWith('node:') || file === 'native' || file.startsWith('<') || file.startsWith('internal/');
}
