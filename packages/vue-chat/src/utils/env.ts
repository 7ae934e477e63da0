/** False during server-side rendering and in workers without a DOM. */
export const isClient = typeof window !== 'undefined' && typeof document !== 'undefined'
