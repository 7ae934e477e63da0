import type { Agent } from 'node:http'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'
import { ProxyAgent, Socks5ProxyAgent, type Dispatcher } from 'undici'
import { isSocks } from './resolve'

/** A proxy URL the kit can use: HTTP(S) with CONNECT, or SOCKS5. */
export function checkProxy(proxy: string, instance: string): string {
  let url: URL
  try {
    url = new URL(proxy)
  } catch {
    throw new Error(`${instance}: the proxy ${proxy} is not a URL`)
  }
  if (!/^(https?|socks5h?|socks):$/.test(url.protocol)) {
    throw new Error(`${instance}: the proxy ${url.protocol}//${url.host} is neither http(s):// nor socks5://`)
  }
  return proxy
}

/** For fetch (the `openai` SDK): undici's own agents, since a dispatcher must come from the fetch's undici. */
export function proxyDispatcher(proxy: string): Dispatcher {
  // undici speaks SOCKS5 only, and resolves names through the proxy either way.
  return isSocks(proxy)
    ? new Socks5ProxyAgent(proxy.replace(/^socks5h?:|^socks:/i, 'socks5:'))
    : new ProxyAgent(proxy)
}

/** For `ws` (Spark's WebSocket): a Node agent that opens the socket through the proxy. */
export function proxyAgent(proxy: string): Agent {
  return isSocks(proxy) ? new SocksProxyAgent(proxy) : new HttpsProxyAgent(proxy)
}
