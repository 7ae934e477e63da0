/** Prometheus text exposition (format 0.0.4), written by hand: a few gauges and counters read on demand. */
export interface Metric {
  /** `snake_case`, prefixed by subsystem, counters ending in `_total`. */
  readonly name: string
  readonly help: string
  readonly type: 'counter' | 'gauge'
  /** One value, or one sample per set of labels (a metric with no samples prints only its HELP and TYPE). */
  readonly value: () => number | readonly MetricSample[]
}

export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

export interface Metrics {
  add(...metrics: Metric[]): void
  render(): string
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

function samplesOf(metric: Metric): string {
  const value = metric.value()
  if (typeof value === 'number') return `${metric.name} ${value}\n`
  return value
    .map(({ labels, value: sample }) => {
      const pairs = Object.entries(labels).map(([name, text]) => `${name}="${escapeLabel(text)}"`)
      return `${metric.name}{${pairs.join(',')}} ${sample}\n`
    })
    .join('')
}

export function createMetrics(): Metrics {
  const metrics = new Map<string, Metric>()
  return {
    add(...added) {
      for (const metric of added) {
        if (!NAME.test(metric.name)) throw new Error(`invalid metric name ${metric.name}`)
        if (metrics.has(metric.name)) throw new Error(`metric ${metric.name} is already registered`)
        metrics.set(metric.name, metric)
      }
    },
    render() {
      let text = ''
      for (const m of metrics.values()) {
        const help = m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
        text += `# HELP ${m.name} ${help}\n# TYPE ${m.name} ${m.type}\n${samplesOf(m)}`
      }
      return text
    },
  }
}
