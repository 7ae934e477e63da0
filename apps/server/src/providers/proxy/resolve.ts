import type { ProxySetting } from '../../config/provider-settings'

/** The environment variables read, lower case first as curl and undici read them. */
const first = (env: NodeJS.ProcessEnv, ...names: string[]) =>
  names.map((name) => env[name]).find((value) => value !== undefined && value !== '')

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
function parseEntry(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] ? { port: bracketed[2] } : {}) }
  const [host = '', port, ...more] = entry.split(':')
  return port !== undefined && more.length === 0 ? { host, port } : { host: entry }
}

/**
 * `NO_PROXY`: comma- or space-separated hosts, each optionally with `:port`; `example.com` and `.example.com`
 * also match every subdomain, `*` matches everything. IP ranges (CIDR) are not understood.
 */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = target.port || (/^(https|wss):$/.test(target.protocol) ? '443' : '80')
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true
      const rule = parseEntry(entry)
      const name = rule.host.replace(/^\*?\./, '')
      if (rule.port !== undefined && rule.port !== port) return false
      return host === name || host.endsWith(`.${name}`)
    })
}

/**
 * The proxy for requests to `target`: the instance's own setting, else the environment's (`https_proxy` /
 * `HTTPS_PROXY` for https and wss, `http_proxy` / `HTTP_PROXY` for http and ws, then `all_proxy` /
 * `ALL_PROXY`) unless `no_proxy` / `NO_PROXY` names the host. `false` turns the environment's off.
 */
export function proxyFor(target: string, setting: ProxySetting, env: NodeJS.ProcessEnv): string | undefined {
  if (setting !== undefined) return setting || undefined
  const url = new URL(target)
  const secure = /^(https|wss):$/.test(url.protocol)
  const fromEnv = secure
    ? first(env, 'https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY')
    : first(env, 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY')
  if (!fromEnv || bypassesProxy(url, first(env, 'no_proxy', 'NO_PROXY'))) return undefined
  // `HTTPS_PROXY=proxy.corp:3128` without a scheme means an HTTP proxy, as curl reads it.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(fromEnv) ? fromEnv : `http://${fromEnv}`
}

export const isSocks = (proxy: string) => /^socks/i.test(proxy)
