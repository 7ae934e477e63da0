import { kitChatRoutes } from '../chat/kit-routes'
import type { KitRouterOptions, KitRoutes } from './types'

/**
 * The kit's application routes besides the events API and the demo: chat, conversations, images, usage
 * and providers each add their module here, built from `options.chat`.
 */
export function defaultRoutes(options: KitRouterOptions): KitRoutes[] {
  return [
    kitChatRoutes({
      chat: options.chat,
      stores: options.chatStores,
      publishSecret: options.publishSecret,
      authorizeUser: options.authorizeUser,
    }),
  ]
}
