#!/usr/bin/env node
// `pewit introspect` on its own, until the `pewit` dispatcher (src/cli) calls runIntrospectCommand(argv) for it.
import { runIntrospectCommand } from './introspect-command.js';

process.exitCode = await runIntrospectCommand(process.argv.slice(2));
