// vue-tsc keeps the sources' extensionless relative imports in the declarations it emits. Under
// `moduleResolution: node16` those do not resolve, and `./markdown` can resolve to the bundle
// `dist/markdown.js` instead of `markdown/index.d.ts`. This names each target's declaration explicitly.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

const root = resolve(process.argv[2] ?? 'dist/types')
const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}(?:\/[^'"]*)?)\2/g

function explicit(file, spec) {
  const target = resolve(dirname(file), spec)
  if (existsSync(`${target}.d.ts`)) return `${spec}.js`
  if (existsSync(join(target, 'index.d.ts'))) return `${spec}/index.js`
  if (spec.endsWith('.js')) return spec
  throw new Error(`${file}: no declaration for ${spec}`)
}

let rewritten = 0
for (const entry of readdirSync(root, { recursive: true })) {
  if (!entry.endsWith('.d.ts')) continue
  const file = join(root, entry)
  const text = readFileSync(file, 'utf8')
  const next = text.replace(
    specifier,
    (_, lead, quote, spec) => `${lead}${quote}${explicit(file, spec)}${quote}`,
  )
  if (next === text) continue
  writeFileSync(file, next)
  rewritten++
}
console.log(`explicit extensions in ${rewritten} declaration files under ${root}`)
