import { z } from 'zod'

export const chatConfigSchema = z.object({}).loose()
export type ChatConfigInput = z.input<typeof chatConfigSchema>
