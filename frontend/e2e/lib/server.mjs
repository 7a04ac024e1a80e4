// Starts the real Wenji service for the end-to-end tests: a fresh data directory with the
// demo data, a free port, the built frontend. Builds nothing: the binary comes from
// WENJI_BIN (default $CARGO_TARGET_DIR/debug/wenji, CARGO_TARGET_DIR defaulting to
// ~/.cache/wenji-target) and the frontend from frontend/dist.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FRONTEND_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const DIST_DIR = join(FRONTEND_DIR, 'dist')

export function serverBinary() {
  if (process.env.WENJI_BIN) return process.env.WENJI_BIN
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'wenji-target')
  return join(target, 'debug', 'wenji')
}

/** @returns {Promise<number>} a port that was free a moment ago */
function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => ok(port))
    })
  })
}

/**
 * @param {string} bin
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string>} the command's output
 */
function run(bin, args, env) {
  return new Promise((ok, fail) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', fail)
    child.on('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`${bin} ${args.join(' ')} exited ${code}:\n${out}`))))
  })
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * @returns {Promise<{ baseUrl: string, stop: () => Promise<void>, log: () => string }>}
 */
export async function startServer() {
  const bin = serverBinary()
  if (!existsSync(bin)) {
    throw new Error(`No Wenji server binary at ${bin}. Build it (cargo build --bin wenji) or set WENJI_BIN.`)
  }
  if (!existsSync(join(DIST_DIR, 'index.html'))) {
    throw new Error(`No built frontend at ${DIST_DIR}. Run frontend/scripts/build.sh first.`)
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'wenji-e2e-'))
  const env = { ...process.env, WENJI_DATA_DIR: dataDir, RUST_LOG: process.env.RUST_LOG ?? 'warn' }
  await run(bin, ['demo-data'], env)

  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const baseUrl = `http://127.0.0.1:${port}`
    const child = spawn(bin, ['serve'], {
      env: { ...env, WENJI_LISTEN: `127.0.0.1:${port}`, WENJI_FRONTEND_DIR: DIST_DIR, WENJI_PUBLIC_URL: baseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let log = ''
    child.stdout.on('data', (d) => (log += d))
    child.stderr.on('data', (d) => (log += d))
    let exited = false
    child.on('exit', () => (exited = true))

    const stop = async () => {
      if (!exited) {
        child.kill('SIGTERM')
        for (let i = 0; i < 50 && !exited; i++) await sleep(100)
        if (!exited) child.kill('SIGKILL')
      }
      rmSync(dataDir, { recursive: true, force: true })
    }

    const deadline = Date.now() + 30_000
    while (!exited && Date.now() < deadline) {
      try {
        const r = await fetch(`${baseUrl}/readyz`)
        if (r.ok) return { baseUrl, stop, log: () => log }
      } catch {
        // not listening yet
      }
      await sleep(150)
    }
    if (!exited) {
      await stop()
      throw new Error(`The server did not become ready in 30 s:\n${log}`)
    }
    // Exited: most likely the port was taken in the meantime; try another.
    if (attempt >= 3) {
      rmSync(dataDir, { recursive: true, force: true })
      throw new Error(`The server would not start:\n${log}`)
    }
  }
}
