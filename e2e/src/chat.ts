import type { Locator, Page } from 'playwright-core'

const ANSWERS = '[data-testid=message][data-role=assistant]'

/** Context options for tests that read what the page copied. */
export const withClipboard = { permissions: ['clipboard-read', 'clipboard-write'] }

export const answers = (page: Page): Locator => page.locator(ANSWERS)
export const lastAnswer = (page: Page): Locator => answers(page).last()

export async function openChat(page: Page): Promise<void> {
  await page.goto('/')
  await page.getByTestId('composer-input').waitFor()
}

/** Types the prompt and presses Enter, as a user does. */
export async function ask(page: Page, prompt: string): Promise<void> {
  await page.getByTestId('composer-input').fill(prompt)
  await page.getByTestId('composer-input').press('Enter')
}

export async function waitForAnswer(page: Page, status: string): Promise<Locator> {
  const answer = page.locator(`${ANSWERS}[data-status=${status}]`).last()
  await answer.waitFor()
  return answer
}

/** Asks, and returns once the answer is partly shown: mid-answer, where drops and restarts hurt. */
export async function askAndWaitMidAnswer(page: Page, prompt: string): Promise<void> {
  await ask(page, prompt)
  await waitForPartialAnswer(page, 60)
}

/** Waits until the answer under way shows more than `chars` characters. */
export async function waitForPartialAnswer(page: Page, chars: number): Promise<void> {
  await page.waitForFunction(
    ({ selector, chars }) => {
      const answer = [...document.querySelectorAll(selector)].at(-1)
      return answer?.getAttribute('data-status') === 'streaming' && (answer.textContent ?? '').length > chars
    },
    { selector: ANSWERS, chars },
  )
}

/** The demo provider's whole answer to `prompt`, from the server's non-streaming endpoint. */
export function expectedAnswer(page: Page, prompt: string): Promise<string> {
  return page.evaluate(async (prompt) => {
    const response = await fetch('/api/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt }),
    })
    const body = (await response.json()) as { choices: { content: string }[] }
    return body.choices[0]!.content
  }, prompt)
}

/** The Markdown source of an answer, through its own "copy message" button (needs clipboard permissions). */
export async function copiedSource(page: Page, answer: Locator): Promise<string> {
  await answer.getByTestId('copy-message').click()
  await answer.locator('[data-testid=copy-message][aria-label=Copied]').waitFor()
  return page.evaluate(() => navigator.clipboard.readText())
}

export interface GrowthSample {
  length: number
  status: string | null
}

/**
 * Records the last answer's text length and status at every DOM change from now on, so a test can tell
 * an answer that grew token by token from one that appeared at once.
 */
export function recordAnswerGrowth(page: Page): Promise<void> {
  return page.evaluate((selector) => {
    const samples: GrowthSample[] = []
    Object.assign(window, { answerGrowth: samples })
    new MutationObserver(() => {
      const answer = [...document.querySelectorAll(selector)].at(-1)
      if (!answer) return
      const sample = { length: (answer.textContent ?? '').length, status: answer.getAttribute('data-status') }
      const last = samples.at(-1)
      if (sample.length !== last?.length || sample.status !== last.status) samples.push(sample)
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true })
  }, ANSWERS)
}

export const answerGrowth = (page: Page): Promise<GrowthSample[]> =>
  page.evaluate(() => (window as unknown as { answerGrowth: GrowthSample[] }).answerGrowth)
