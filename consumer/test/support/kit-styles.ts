import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { luminance } from '../../../e2e/src/colours'

export type Scheme = 'light' | 'dark'

/** The kit's accent in each palette, as the browser computes it: the colour of the send button. */
const ACCENT: Record<Scheme, string> = { light: 'rgb(9, 105, 218)', dark: 'rgb(68, 147, 248)' }

/** What a stylesheet that lost its colours gets wrong: chat and composer borders, surfaces, the send button. */
export async function expectKitStyled(page: Page, scheme: Scheme): Promise<void> {
  const chat = page.locator('.kit-chat').first()
  const send = page.locator('[data-testid=send]').first()
  const look = await page.evaluate(() => {
    const style = (selector: string) => getComputedStyle(document.querySelector(selector)!)
    const chat = style('.kit-chat')
    const composer = style('.kit-composer')
    const send = style('[data-testid=send]')
    return {
      chatBorder: [chat.borderTopStyle, chat.borderTopWidth, chat.borderTopColor],
      composerBorder: [composer.borderTopStyle, composer.borderTopWidth, composer.borderTopColor],
      sendBackground: send.backgroundColor,
      sendColour: send.color,
      chatScheme: chat.colorScheme,
    }
  })
  const border = scheme === 'light' ? 'rgb(209, 217, 224)' : 'rgb(61, 68, 77)'
  expect(look.chatBorder).toEqual(['solid', '1px', border])
  expect(look.composerBorder).toEqual(['solid', '1px', border])
  expect(look.sendBackground).toBe(ACCENT[scheme])
  expect(look.sendColour).not.toBe(look.sendBackground)
  const background = await luminance(chat, 'background-color')
  if (scheme === 'light') expect(background).toBeGreaterThan(0.9)
  else expect(background).toBeLessThan(0.02)
  const box = await send.boundingBox()
  expect(box?.width).toBeGreaterThan(20)
  expect(box?.height).toBeGreaterThan(20)
  expect(look.chatScheme, 'native controls and scrollbars follow the palette').toBe(scheme)
}

/**
 * Light and dark from the system setting, dark and light forced with data-kit-theme against it, and a
 * theming variable set by the page winning over the kit's palette.
 */
export async function expectKitThemes(page: Page): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await expectKitStyled(page, scheme)
    const forced = scheme === 'light' ? 'dark' : 'light'
    await page.evaluate((theme) => document.documentElement.setAttribute('data-kit-theme', theme), forced)
    await expectKitStyled(page, forced)
    await page.evaluate(() => document.documentElement.removeAttribute('data-kit-theme'))
  }
  await page.addStyleTag({ content: ':root { --kit-accent: rgb(1, 2, 3) }' })
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    expect(
      await page
        .locator('[data-testid=send]')
        .first()
        .evaluate((node) => getComputedStyle(node).backgroundColor),
    ).toBe('rgb(1, 2, 3)')
  }
}
