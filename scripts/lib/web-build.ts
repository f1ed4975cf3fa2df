// The dashboard's production build, cached by a hash of what goes into it, and its server.
// Used by the quickstart and the web e2e test: a build is made once per set of sources and
// reused until they change. Builds live in .hyperzoo/web-builds/<hash> (the newest few kept).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import lockfile from 'proper-lockfile';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB_DIR = path.join(ROOT, 'apps/web');
const BUILDS_DIR = path.join(ROOT, '.hyperzoo/web-builds');
const NEXT_BIN = path.join(ROOT, 'node_modules/.bin/next');
const RUN_OWNED = path.join(ROOT, 'scripts/run-owned.ts');
const MARKER = 'hyperzoo-build.json';
const KEEP_BUILDS = 3;
/** Skipped everywhere: outputs, dependencies, tests (they are not part of the build's output). */
const SKIP_DIRS = new Set(['node_modules', '.next', 'dist', 'e2e', 'coverage', '.turbo']);
const SKIP_FILE = /(\.test\.tsx?|\.tsbuildinfo|^next-env\.d\.ts)$/;

export interface TWebBuild {
  hash: string;
  /** For WEB_DIST_DIR: relative to apps/web, as Next wants it. */
  distDir: string;
  reused: boolean;
}

export interface TWebBuildOptions {
  /** The build's environment. NEXT_PUBLIC_* variables are baked in, so they are part of the hash. */
  env: Record<string, string>;
  log: (line: string) => void;
  /** Aborting stops a build in progress (and its helper processes). */
  signal?: AbortSignal;
}

/** The workspace packages apps/web depends on, directly or through each other. */
function findWorkspaceDeps(dir: string, seen = new Map<string, string>()): Map<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!name.startsWith('@hyperzoo/') || seen.has(name)) continue;
    const depDir = realpathSync(path.join(ROOT, 'node_modules', name));
    seen.set(name, depDir);
    findWorkspaceDeps(depDir, seen);
  }
  return seen;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) listFiles(full, out);
    else if (entry.isFile() && !SKIP_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * The build-time part of the environment a build sees (ours plus `env`): what Next bakes in.
 * Not API_URL: src/proxy.ts reads it when the server runs, so one build serves any API.
 */
function pickBuildEnv(env: Record<string, string>): Record<string, string> {
  const picked = Object.entries({ ...process.env, ...env }).filter(([k, v]) => k.startsWith('NEXT_PUBLIC_') && v !== undefined);
  return Object.fromEntries(picked.sort(([a], [b]) => a.localeCompare(b))) as Record<string, string>;
}

/**
 * Hash of everything a build depends on: apps/web's sources and config, the workspace libs it
 * imports (transitively), package-lock.json, tsconfig.base.json, Node's version and the
 * build-time environment.
 */
export function hashWebSources(env: Record<string, string>): string {
  const hash = createHash('sha256');
  const dirs = [WEB_DIR, ...findWorkspaceDeps(WEB_DIR).values()];
  const files = [...dirs.flatMap((d) => listFiles(d)), path.join(ROOT, 'package-lock.json'), path.join(ROOT, 'tsconfig.base.json')];
  for (const file of files.sort()) hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  hash.update(JSON.stringify({ node: process.version, env: pickBuildEnv(env) }));
  return hash.digest('hex').slice(0, 16);
}

const isComplete = (dir: string) => existsSync(path.join(dir, MARKER)) && existsSync(path.join(dir, 'BUILD_ID'));

/** Removes all but the most recently used builds (a build in use by a running server is among them). */
function pruneBuilds(keep: string): void {
  const builds = readdirSync(BUILDS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== keep)
    .map((e) => path.join(BUILDS_DIR, e.name))
    .filter((dir) => isComplete(dir) && !lockfile.checkSync(dir, { lockfilePath: `${dir}.lock`, realpath: false }))
    .sort((a, b) => statSync(path.join(b, MARKER)).mtimeMs - statSync(path.join(a, MARKER)).mtimeMs);
  for (const dir of builds.slice(KEEP_BUILDS - 1)) rmSync(dir, { recursive: true, force: true });
}

/** `next <args>` in apps/web through run-owned.ts, so that it stops when its caller does, however that ends. */
function spawnNext(args: string[], env: Record<string, string>, signal?: AbortSignal): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', RUN_OWNED, NEXT_BIN, ...args], {
    cwd: WEB_DIR,
    // NODE_ENV too: a caller's (vitest sets "test") would otherwise carry into the build and the server.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env, NODE_ENV: 'production', HZ_STOP_WITH_PARENT: '1' },
    // Our end of stdin stays open while we live: its closing tells run-owned.ts we are gone.
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // its own process group: a Ctrl-C reaches it only through us, in order
    signal,
  });
}

async function runBuild(distDir: string, o: TWebBuildOptions): Promise<void> {
  const child = spawnNext(['build'], { ...o.env, WEB_DIST_DIR: distDir }, o.signal);
  let output = '';
  const collect = (b: Buffer) => {
    output += b.toString();
    b.toString().trimEnd().split('\n').forEach((line) => line && o.log(line));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('exit', resolve);
    child.once('error', reject);
  });
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output.slice(-4000)}`);
}

/**
 * A production build of the dashboard for these sources and this environment: the cached one
 * when there is one, else a fresh `next build`. Two callers at once build once (a lock per hash).
 */
export async function ensureWebBuild(o: TWebBuildOptions): Promise<TWebBuild> {
  const hash = hashWebSources(o.env);
  const dir = path.join(BUILDS_DIR, hash);
  const distDir = path.relative(WEB_DIR, dir);
  mkdirSync(BUILDS_DIR, { recursive: true });
  const lockOptions = { lockfilePath: `${dir}.lock`, realpath: false, onCompromised: (err: Error) => o.log(`build lock lost: ${err.message}`) };
  if (lockfile.checkSync(dir, lockOptions)) o.log(`another process is building ${hash}; waiting for it`);
  // A holder that died leaves the lock stale after 10 s; a build takes a minute or two.
  const release = await lockfile.lock(dir, { ...lockOptions, retries: { retries: 600, minTimeout: 1_000, maxTimeout: 1_000 } });
  try {
    if (isComplete(dir)) {
      const now = new Date();
      utimesSync(path.join(dir, MARKER), now, now); // most recently used: pruned last
      return { hash, distDir, reused: true };
    }
    rmSync(dir, { recursive: true, force: true });
    await runBuild(distDir, o);
    rmSync(path.join(dir, 'cache'), { recursive: true, force: true }); // the bundler's cache: 4/5 of the size, unused by `next start`
    writeFileSync(path.join(dir, MARKER), `${JSON.stringify({ hash, builtAt: new Date().toISOString(), env: pickBuildEnv(o.env) }, null, 2)}\n`);
    pruneBuilds(hash);
    return { hash, distDir, reused: false };
  } finally {
    await release();
  }
}

/** `next start` on a build from ensureWebBuild; the caller reads its output and stops it (SIGTERM). */
export function startWebServer(build: TWebBuild, o: { port: number; hostname?: string; env: Record<string, string> }): ChildProcess {
  const args = ['start', '--port', String(o.port), ...(o.hostname ? ['--hostname', o.hostname] : [])];
  return spawnNext(args, { ...o.env, WEB_DIST_DIR: build.distDir, PORT: String(o.port) });
}
