import { describe, expect, it } from '@jest/globals'
import {
  RespProtocolError,
  encodeCommand,
  formatReply,
  parseReplies,
  parseReply
} from '../../../src/engine/probe/resp.js'

describe('RESP', () => {
  it('encodes a command as an array of bulk strings', () => {
    expect(encodeCommand(['SET', 'k', 'vé']).toString()).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nvé\r\n')
  })

  it.each<[string, string]>([
    ['+PONG\r\n', '+PONG'],
    [
      '-LOADING Redis is loading the dataset in memory\r\n',
      '-LOADING Redis is loading the dataset in memory'
    ],
    [':42\r\n', ':42'],
    ['$5\r\nhello\r\n', '$5 "hello"'],
    ['$0\r\n\r\n', '$0 ""'],
    ['$-1\r\n', '$-1 (nil)'],
    ['*2\r\n+a\r\n:1\r\n', '*2 [+a, :1]'],
    ['*-1\r\n', '*-1']
  ])('parses %j', (wire, shown) => {
    const r = parseReply(Buffer.from(wire))
    expect(r && formatReply(r.value)).toBe(shown)
    expect(r?.next).toBe(Buffer.byteLength(wire))
  })

  it.each(['+PON', '$5\r\nhel', '*2\r\n+a\r\n', ''])('waits for more bytes on the partial reply %j', wire => {
    expect(parseReply(Buffer.from(wire))).toBeNull()
  })

  it('parses several pipelined replies and stops at a partial one', () => {
    expect(parseReplies(Buffer.from('+PONG\r\n+OK\r\n$2\r\nhi\r\n$3\r\nab')).map(formatReply)).toEqual([
      '+PONG',
      '+OK',
      '$2 "hi"'
    ])
  })

  it('rejects bytes that are not RESP', () => {
    expect(() => parseReply(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toThrow(RespProtocolError)
  })
})
