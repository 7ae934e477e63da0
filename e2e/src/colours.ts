import type { Locator } from 'playwright-core'

/** WCAG relative luminance of an element's computed `property` colour (0 = black, 1 = white). */
export function luminance(element: Locator, property: 'color' | 'background-color'): Promise<number> {
  return element.evaluate((node, property) => {
    const [r, g, b] = getComputedStyle(node)
      .getPropertyValue(property)
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((channel) => {
        const c = Number(channel) / 255
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      })
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
  }, property)
}
