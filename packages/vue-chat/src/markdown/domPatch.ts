import type { StreamingHtml } from './types'

export interface DomPatcher {
  /** Shows a streaming render: appends blocks not shown yet and swaps the tail's nodes. */
  show(html: StreamingHtml): void
  /** Replaces everything (the final render). */
  replace(html: string): void
}

/**
 * Patches `root` so that its HTML is always the renderer's blocks followed by its tail, with no wrapper
 * elements: finished blocks are inserted once and never touched again, so a selection or a focused copy
 * button inside them survives the stream.
 */
export function createDomPatcher(root: HTMLElement): DomPatcher {
  const template = document.createElement('template')
  let epoch = -1
  let shown = 0
  let tailNodes: ChildNode[] = []

  return {
    show(html) {
      if (html.epoch !== epoch) {
        root.textContent = ''
        epoch = html.epoch
        shown = 0
        tailNodes = []
      }
      for (const node of tailNodes) node.remove()
      // No new blocks inserts '', which adds nothing.
      root.insertAdjacentHTML('beforeend', html.blocks.slice(shown).join(''))
      shown = html.blocks.length
      template.innerHTML = html.tail
      tailNodes = [...template.content.childNodes]
      root.append(template.content)
    },
    replace(html) {
      root.innerHTML = html
      epoch = -1
      tailNodes = []
    },
  }
}
