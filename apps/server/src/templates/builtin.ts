import type { TemplateConfig } from '../config/chat'

/** The source system's text tools; `chat.templates` in the configuration replaces the list. */
export const BUILTIN_TEMPLATES: readonly TemplateConfig[] = [
  {
    name: 'translate',
    label: 'Translate',
    args: [{ name: 'language', default: 'English' }],
    prompt: 'Translate the following text into {{language}}. Answer with the translation only.\n\n{{input}}',
  },
  {
    name: 'polish',
    label: 'Polish',
    args: [],
    prompt:
      'Polish the following text: fix grammar and spelling and make it read naturally, keeping its meaning ' +
      'and its language. Answer with the polished text only.\n\n{{input}}',
  },
  {
    name: 'summarise',
    label: 'Summarise',
    args: [],
    prompt: 'Summarise the following text in a few sentences, keeping the key facts.\n\n{{input}}',
  },
  {
    name: 'explain-code',
    label: 'Explain code',
    args: [],
    system: 'You are a patient senior engineer explaining code to a colleague.',
    prompt:
      'Explain what the following code does, step by step, and point out anything surprising.\n\n```\n{{input}}\n```',
  },
]
