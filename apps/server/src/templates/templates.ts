import { ErrorCode } from '@kit/protocol'
import type { TemplateConfig } from '../config/chat'
import { ChatError } from '../chat/errors'
import { BUILTIN_TEMPLATES } from './builtin'

export interface RenderedPrompt {
  readonly system?: string
  readonly prompt: string
}

export interface TemplateInfo {
  readonly name: string
  readonly label: string
  readonly args: string[]
}

export interface Templates {
  list(): TemplateInfo[]
  /** Throws `ChatError` for an unknown template or argument. */
  render(name: string, input: string, args?: Readonly<Record<string, string>>): RenderedPrompt
}

/** One pass over the text: a value that itself contains `{{…}}` is never expanded again. */
function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole)
}

export function createTemplates(configs: readonly TemplateConfig[] = BUILTIN_TEMPLATES): Templates {
  const byName = new Map(configs.map((t) => [t.name, t]))
  return {
    list: () => configs.map((t) => ({ name: t.name, label: t.label, args: t.args.map((a) => a.name) })),
    render: (name, input, args = {}) => {
      const template = byName.get(name)
      if (!template) throw new ChatError(ErrorCode.UnknownTemplate, `no template named ${name}`)
      const known = new Set(template.args.map((a) => a.name))
      const unknown = Object.keys(args).filter((arg) => !known.has(arg))
      if (unknown.length > 0) {
        throw new ChatError(
          ErrorCode.ValidationFailed,
          `template ${name} takes no argument ${unknown.join(', ')}`,
        )
      }
      const values: Record<string, string> = {}
      for (const arg of template.args) {
        const value = args[arg.name] ?? arg.default
        if (value === undefined) {
          throw new ChatError(ErrorCode.ValidationFailed, `template ${name} needs the argument ${arg.name}`)
        }
        values[arg.name] = value
      }
      values.input = input
      return {
        prompt: fill(template.prompt, values),
        ...(template.system === undefined ? {} : { system: fill(template.system, values) }),
      }
    },
  }
}
