// Examples of the rules of the WHATWG section "Interpreting an event stream" and the cases of web-platform-tests eventsource/format-*,
// as the parser sees them: the WPT helper `message.py` appends "\n\n\n" to its message by default, "\n" with
// `newline=none`. MIME-type cases are about the HTTP layer and live in the client tests.
import type { ServerSentEvent } from '../src/types'

export interface ConformanceCase {
  name: string
  /** The stream; an array when the case is about where the chunks break. */
  input: string | string[]
  events: ServerSentEvent[]
  /** Valid `retry:` values, in order. */
  retries?: number[]
  /** The last event ID once the input is consumed. */
  lastEventId?: string
}

const message = (data: string, id?: string, event = 'message'): ServerSentEvent => ({ event, data, id })
const long = 'x'.repeat(2048)

export const specExamples: ConformanceCase[] = [
  {
    name: 'spec: empty data, lone data fields, data',
    input: 'data:\n\ndata\ndata\n\ndata:test\n\n',
    events: [message(''), message('\n'), message('test')],
  },
  {
    name: 'spec: CRLF and LF mixed',
    input: 'data:test\r\ndata\ndata:test\r\n\r\n',
    events: [message('test\n\ntest')],
  },
  {
    name: 'spec: tab kept, CR line end',
    input: 'data:\ttest\rdata: \ndata:test\n\n',
    events: [message('\ttest\n\ntest')],
  },
  {
    name: 'spec: CR at chunk end, CR at next start',
    input: ['data: a\r', '\rdata: b\r\r'],
    events: [message('a'), message('b')],
  },
  { name: 'spec: comment-only block', input: ': ping\n\ndata: x\n\n', events: [message('x')] },
]

export const ruleCases: ConformanceCase[] = [
  {
    name: 'rule 1: UTF-8 split anywhere',
    input: 'data: h\u00e9llo \u20ac \u{1f600}\n\n',
    events: [message('h\u00e9llo \u20ac \u{1f600}')],
  },
  { name: 'rule 1: BOM at the start only', input: '\ufeffdata: a\n\n', events: [message('a')] },
  {
    name: 'rule 2: CRLF split across chunks',
    input: ['data: a\r', '\n\r', '\ndata: b\r\n\r\n'],
    events: [message('a'), message('b')],
  },
  { name: 'rule 2: CR ends its line at once', input: ['data: a\r\r'], events: [message('a')] },
  { name: 'rule 4: field without colon', input: 'data\n\n', events: [message('')] },
  { name: 'rule 5: one space stripped', input: 'data:  two\n\n', events: [message(' two')] },
  { name: 'rule 6: case-sensitive names', input: 'Data: x\n\nDATA:x\ndata:y\n\n', events: [message('y')] },
  { name: 'rule 7: empty then value', input: 'data:\ndata:x\n\n', events: [message('\nx')] },
  {
    name: 'rule 8: event type',
    input: 'event:\ndata:a\n\nevent: update\ndata:b\n\n',
    events: [message('a'), message('b', undefined, 'update')],
  },
  {
    name: 'rule 8: type resets per event',
    input: 'event: a\ndata: 1\n\ndata: 2\n\n',
    events: [message('1', undefined, 'a'), message('2')],
  },
  {
    name: 'rule 9: id alone sets the last event id',
    input: 'id: 1\ndata: a\n\nid: 2\n\n',
    events: [message('a', '1')],
    lastEventId: '2',
  },
  {
    name: 'rule 9: id of an incomplete event',
    input: 'id: 1\ndata: a\n\nid: 2\ndata: b\n',
    events: [message('a', '1')],
    lastEventId: '1',
  },
  {
    name: 'rule 9: id with NUL ignored',
    input: 'id: 7\n\nid: a\0b\ndata: x\n\n',
    events: [message('x', '7')],
    lastEventId: '7',
  },
  {
    name: 'rule 10: digits only',
    input: 'retry: 1000x\nretry: -1\nretry: 1.5\nretry: 2500\n\n',
    events: [],
    retries: [2500],
  },
  { name: 'rule 11: incomplete event dropped', input: 'data: a\n\ndata: b\n', events: [message('a')] },
]

export const wptCases: ConformanceCase[] = [
  {
    name: 'format-bom',
    input: '\ufeffdata:1\n\n\ufeffdata:2\n\ndata:3\n\n\n',
    events: [message('1'), message('3')],
  },
  {
    name: 'format-bom-2',
    input: '\ufeff\ufeffdata:1\n\ndata:2\n\ndata:3\n\n\n',
    events: [message('2'), message('3')],
  },
  {
    name: 'format-comments',
    input: `data:1\r:\0\n:\r\ndata:2\n:${long}\rdata:3\n:data:fail\r:${long}\ndata:4\n\n`,
    events: [message('1\n2\n3\n4')],
  },
  {
    name: 'format-data-before-final-empty-line',
    input: 'retry:1000\ndata:test1\n\nid:test\ndata:test2\n',
    events: [message('test1')],
    retries: [1000],
  },
  {
    name: 'format-field-data',
    input: 'data:\n\ndata\ndata\n\ndata:test\n\n\n',
    events: [message(''), message('\n'), message('test')],
  },
  { name: 'format-field-event-empty', input: 'event: \ndata:data\n\n\n', events: [message('data')] },
  {
    name: 'format-field-event',
    input: 'event:test\ndata:x\n\ndata:x\n\n\n',
    events: [message('x', undefined, 'test'), message('x')],
  },
  {
    name: 'format-field-id',
    input: 'id: \u2026\nretry: 200\ndata: hello\n\n',
    events: [message('hello', '\u2026')],
    retries: [200],
    lastEventId: '\u2026',
  },
  {
    name: 'format-field-id-3 persists',
    input: 'id: 1\ndata: 1\n\ndata:2\n\n',
    events: [message('1', '1'), message('2', '1')],
    lastEventId: '1',
  },
  {
    name: 'format-field-id-3 changes and persists',
    input: 'id: 1\ndata: 1\n\nid: 2\ndata:2\n\ndata:3\n\n',
    events: [message('1', '1'), message('2', '2'), message('3', '2')],
    lastEventId: '2',
  },
  {
    name: 'format-field-id-3 resets',
    input: 'id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n',
    events: [message('1', '1'), message('2'), message('3')],
  },
  ...['\0\0', 'x\0', '\0x', 'x\0x', ' \0'].map((id) => ({
    name: `format-field-id-null ${JSON.stringify(id)}`,
    input: `id: ${id}\nretry: 200\ndata: hello\n\n`,
    events: [message('hello')],
    retries: [200],
  })),
  {
    name: 'format-field-parsing',
    input:
      'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n',
    events: [message('\0\n 2\n1\n3\n\n4')],
  },
  {
    name: 'format-field-retry-bogus',
    input: 'retry:2000\nretry:1000x\ndata:x\n\n\n',
    events: [message('x')],
    retries: [2000],
  },
  { name: 'format-field-retry', input: 'retry:02000\ndata:x\n\n\n', events: [message('x')], retries: [2000] },
  { name: 'format-field-retry-empty', input: 'retry\ndata:test\n\n\n', events: [message('test')] },
  {
    name: 'format-field-unknown',
    input: 'data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n\n',
    events: [message('test\n\ntest')],
  },
  {
    name: 'format-leading-space',
    input: 'data:\ttest\rdata: \ndata:test\n\n\n',
    events: [message('\ttest\n\ntest')],
  },
  {
    name: 'format-newlines',
    input: 'data:test\r\ndata\ndata:test\r\n\r\n\n',
    events: [message('test\n\ntest')],
  },
  { name: 'format-null-character', input: 'data:\0\n\n\n\n', events: [message('\0')] },
  { name: 'format-utf-8', input: 'data:ok\u2026\n\n\n', events: [message('ok\u2026')] },
]

export const allCases = [...specExamples, ...ruleCases, ...wptCases]
