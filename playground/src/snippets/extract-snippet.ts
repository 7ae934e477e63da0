// The lines a page shows are cut from the file that runs them, so the playground's documentation cannot
// drift from its code. A snippet sits between `#region snippet` and `#endregion` comments (// or <!-- -->);
// a file without them is shown whole.
const START = /^\s*(?:\/\/|<!--)\s*#region snippet\b.*$/m
const END = /^\s*(?:\/\/|<!--)\s*#endregion\b.*$/m

export function extractSnippet(source: string): string {
  const start = source.match(START)
  if (start?.index === undefined) return source.trim()
  const rest = source.slice(start.index + start[0].length + 1)
  const end = rest.match(END)
  if (end?.index === undefined) throw new Error('no "#endregion" after "#region snippet"')
  return dedent(rest.slice(0, end.index).replace(/\s+$/, ''))
}

function dedent(text: string): string {
  const lines = text.split('\n')
  const indents = lines.filter((line) => line.trim()).map((line) => line.match(/^ */)![0].length)
  const common = Math.min(...indents)
  return lines.map((line) => line.slice(common)).join('\n')
}
