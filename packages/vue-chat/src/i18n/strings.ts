/** Every string the components show or announce. Override any of them with `strings`. */
export interface ChatStrings {
  composerLabel: string
  placeholder: string
  send: string
  stop: string
  copy: string
  copied: string
  copyCode: string
  copyMessage: string
  regenerate: string
  retry: string
  dismiss: string
  stopped: string
  jumpToLatest: string
  answerStarted: string
  answerFinished: string
  answerStopped: string
  answerFailed: string
  reconnecting: string
  emptyState: string
  you: string
  assistant: string
  messages: string
  conversations: string
  newConversation: string
  untitled: string
  rename: string
  renameLabel: string
  delete: string
  openConversations: string
  closeConversations: string
  provider: string
  model: string
  template: string
  noTemplate: string
  demo: string
  demoNotice: string
  interrupted: string
}

export type ChatLocale = 'en' | 'zh-CN'

export const en: ChatStrings = {
  composerLabel: 'Message',
  placeholder: 'Ask anything… (Enter to send, Shift+Enter for a new line)',
  send: 'Send',
  stop: 'Stop generating',
  copy: 'Copy',
  copied: 'Copied',
  copyCode: 'Copy code',
  copyMessage: 'Copy message',
  regenerate: 'Regenerate',
  retry: 'Retry',
  dismiss: 'Dismiss',
  stopped: 'Stopped',
  jumpToLatest: 'Jump to latest',
  answerStarted: 'The assistant is answering.',
  answerFinished: 'The answer is complete.',
  answerStopped: 'The answer was stopped.',
  answerFailed: 'The answer failed.',
  reconnecting: 'Connection lost, reconnecting…',
  emptyState: 'No messages yet. Ask a question to start.',
  you: 'You',
  assistant: 'Assistant',
  messages: 'Messages',
  conversations: 'Conversations',
  newConversation: 'New conversation',
  untitled: 'Untitled',
  rename: 'Rename',
  renameLabel: 'New title',
  delete: 'Delete',
  openConversations: 'Show conversations',
  closeConversations: 'Hide conversations',
  provider: 'Provider',
  model: 'Model',
  template: 'Template',
  noTemplate: 'No template',
  demo: 'Demo',
  demoNotice: 'Demo provider: offline canned answers, no model is called.',
  interrupted: 'The answer was interrupted and cannot be resumed.',
}

export const zhCN: ChatStrings = {
  composerLabel: '消息',
  placeholder: '输入问题…（Enter 发送，Shift+Enter 换行）',
  send: '发送',
  stop: '停止生成',
  copy: '复制',
  copied: '已复制',
  copyCode: '复制代码',
  copyMessage: '复制消息',
  regenerate: '重新生成',
  retry: '重试',
  dismiss: '关闭',
  stopped: '已停止',
  jumpToLatest: '回到最新',
  answerStarted: '助手正在回答。',
  answerFinished: '回答已完成。',
  answerStopped: '回答已停止。',
  answerFailed: '回答失败。',
  reconnecting: '连接中断，正在重连…',
  emptyState: '还没有消息。提个问题开始吧。',
  you: '你',
  assistant: '助手',
  messages: '消息列表',
  conversations: '会话',
  newConversation: '新会话',
  untitled: '未命名',
  rename: '重命名',
  renameLabel: '新标题',
  delete: '删除',
  openConversations: '显示会话列表',
  closeConversations: '隐藏会话列表',
  provider: '服务',
  model: '模型',
  template: '模板',
  noTemplate: '不使用模板',
  demo: '演示',
  demoNotice: '演示服务：离线的固定回答，不调用任何模型。',
  interrupted: '回答被中断，无法续传。',
}

export const locales: Record<ChatLocale, ChatStrings> = { en, 'zh-CN': zhCN }
