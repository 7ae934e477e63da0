import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'

/** Sends `signal` unless the process has already exited, and waits for its exit. */
export async function endProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill(signal)
  await exited
}
