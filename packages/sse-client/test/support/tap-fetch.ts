// A fetch that tells the test when each chunk of a response body reaches the client's reader, so a test
// with fake timers knows the client has seen bytes before it moves the clock.
export function tapFetch() {
  const waiting: Array<(text: string) => void> = []
  const decoder = new TextDecoder()
  const tapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    const body = response.body?.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          controller.enqueue(chunk)
          for (const resolve of waiting.splice(0)) resolve(decoder.decode(chunk))
        },
      }),
    )
    return new Response(body, response)
  }
  return {
    fetch: tapped,
    /** The text of the next chunk handed to the reader. */
    nextChunk: () => new Promise<string>((resolve) => waiting.push(resolve)),
  }
}
