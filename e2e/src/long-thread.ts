/**
 * A saved conversation of `count` messages in `@kit/vue-chat`'s persisted form (schema version 2), for
 * the long-thread tests and benchmark: questions and answers of mixed length and Markdown, so heights vary.
 */
export function longThreadSnapshot(count: number, conversationId = 'long-thread') {
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString()
  const messages = Array.from({ length: count }, (_, i) => {
    const n = i + 1
    if (i % 2 === 0)
      return { id: `m${n}`, role: 'user', content: `Question ${n}: how does step ${n} work?`, createdAt: at }
    const body =
      i % 10 === 1
        ? `Answer ${n}.\n\n- first point of ${n}\n- second point\n\n\`\`\`ts\nconst step = ${n}\n\`\`\``
        : i % 6 === 3
          ? `Answer ${n}: ${'a longer explanation that wraps over several lines. '.repeat(6)}`
          : `Answer ${n}: short.`
    return { id: `m${n}`, role: 'assistant', content: body, createdAt: at, status: 'done' }
  })
  return {
    version: 2,
    activeId: conversationId,
    conversations: [{ id: conversationId, title: 'A long thread', createdAt: at, updatedAt: at, messages }],
  }
}
