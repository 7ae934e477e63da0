import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

/** Full collections until the heap stops shrinking, then its size. */
export function settledHeap(): number {
  let last = Infinity
  for (let i = 0; i < 5; i++) {
    collect()
    const used = process.memoryUsage().heapUsed
    if (used >= last - 64 * 1024) return used
    last = used
  }
  return last
}
