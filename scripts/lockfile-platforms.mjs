#!/usr/bin/env node
// Adds lock entries for foreign-platform optional packages the registry mirror cannot serve,
// tagged with os/cpu/libc so npm skips them on this platform instead of fetching them.
import fs from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const add = (name, version, os, cpu, libc) => {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) return;
  lock.packages[key] = { version, cpu: [cpu], dev: true, ...(libc ? { libc: [libc] } : {}), license: 'MIT', optional: true, os: [os] };
};
const biome = lock.packages['node_modules/@biomejs/biome']?.version;
const turbo = lock.packages['node_modules/turbo']?.version;
if (biome) {
  add('@biomejs/cli-android-arm64', biome, 'android', 'arm64');
  add('@biomejs/cli-android-x64', biome, 'android', 'x64');
  add('@biomejs/cli-darwin-arm64', biome, 'darwin', 'arm64');
  add('@biomejs/cli-darwin-x64', biome, 'darwin', 'x64');
  add('@biomejs/cli-linux-arm64-musl', biome, 'linux', 'arm64', 'musl');
  add('@biomejs/cli-linux-x64-musl', biome, 'linux', 'x64', 'musl');
  add('@biomejs/cli-win32-arm64', biome, 'win32', 'arm64');
  add('@biomejs/cli-win32-x64', biome, 'win32', 'x64');
}
if (turbo) {
  add('@turbo/darwin-64', turbo, 'darwin', 'x64');
  add('@turbo/darwin-arm64', turbo, 'darwin', 'arm64');
  add('@turbo/windows-64', turbo, 'win32', 'x64');
  add('@turbo/windows-arm64', turbo, 'win32', 'arm64');
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
