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
  /** `{n}` is the number of answers left today. */
  answersLeft: string
}

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
  answersLeft: 'Answers left today: {n}',
}
