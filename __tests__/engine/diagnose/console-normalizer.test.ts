// The console normalizer: escape sequences and control bytes out, CRLF and lone CR, firmware text
// glued to the kernel's first line, messages interleaved mid-line, raw line numbers kept.
import { describe, expect, it } from '@jest/globals'
import { stripControls } from '../../../src/engine/diagnose/ansi.js'
import {
  ConsoleNormalizer,
  isFirmwareLine,
  normalizeConsole,
  normalizeLine
} from '../../../src/engine/diagnose/console-normalizer.js'
import { parseKernelLine } from '../../../src/engine/diagnose/kernel-line.js'
import { prng, readLog } from './diagnose-support.js'

describe('stripControls', () => {
  it.each([
    ['\x1bc\x1b[?7l\x1b[2J\x1b[0mSeaBIOS (version 1.16.2)', 'SeaBIOS (version 1.16.2)'],
    ['\x1b[0;31mERR:\x1b[0m  [libukboot]', 'ERR:  [libukboot]'],
    ['\x1b]0;title\x07after', 'after'],
    ['\x1b]8;;http://x\x1b\\link', 'link'],
    ['\x1b(Bcharset', 'charset'],
    ['\0\0en1: Added', 'en1: Added'],
    ['tab\tkept\rCR kept', 'tab\tkept\rCR kept'],
    ['lone ESC at the end \x1b', 'lone ESC at the end '],
    ['unfinished CSI \x1b[12', 'unfinished CSI 12'],
    ['plain text', 'plain text']
  ])('%j -> %j', (input, output) => {
    expect(stripControls(input)).toBe(output)
  })
})

describe('normalizeLine', () => {
  it.each<[string, string[]]>([
    ['Hello world!\r', ['Hello world!']],
    ['Booting from ROM..Powered by\r', ['Booting from ROM..', 'Powered by']],
    [
      'Booting from ROM..[    0.101368] ERR:  [libukrandom] <random.c @   65> Could not initialize the HWRNG (-95)\r',
      [
        'Booting from ROM..',
        '[    0.101368] ERR:  [libukrandom] <random.c @   65> Could not initialize the HWRNG (-95)'
      ]
    ],
    ['Booting from ROM..\0\x001: Set IPv4 address\r', ['Booting from ROM..', '1: Set IPv4 address']],
    ['Booting from Hard Disk...\r', ['Booting from Hard Disk...']],
    [
      'Press Ctrl-B to configure iPXE (PCI 00:03.0)...\r      \r',
      ['Press Ctrl-B to configure iPXE (PCI 00:03.0)...']
    ],
    ['progress 10%\rprogress 100%\r', ['progress 10%', 'progress 100%']],
    [
      '[ 0.1] CRIT: [libkvmplat] <trace.c @ 41> RIP: 0000[ 0.2] CRIT: [libkvmplat] <traps.c @ 90> Unhandled Trap 6 (invalid opcode)',
      [
        '[ 0.1] CRIT: [libkvmplat] <trace.c @ 41> RIP: 0000',
        '[ 0.2] CRIT: [libkvmplat] <traps.c @ 90> Unhandled Trap 6 (invalid opcode)'
      ]
    ],
    [
      'CRIT: [libkvmplat] RIP: 0000CRIT: [libkvmplat] Unhandled Trap 6 (invalid opcode)',
      ['CRIT: [libkvmplat] RIP: 0000', 'CRIT: [libkvmplat] Unhandled Trap 6 (invalid opcode)']
    ],
    ['half an app lineERR:  [appelfloader] x: boom', ['half an app line', 'ERR:  [appelfloader] x: boom']],
    ['en1: Interface is upPowered by', ['en1: Interface is up', 'Powered by']],
    ['the app says ERR: not a kernel line', ['the app says ERR: not a kernel line']],
    [
      '[    0.1] Info: [libukboot] <boot.c @  508> \tHOME=/',
      ['[    0.1] Info: [libukboot] <boot.c @  508> \tHOME=/']
    ],
    ['   \r', []],
    ['', []]
  ])('%j', (raw, segments) => {
    expect(normalizeLine(raw)).toEqual(segments)
  })
})

describe('the streaming normalizer', () => {
  it('keeps the raw line numbers of a real log, firmware and glued line included', () => {
    const segments = normalizeConsole(readLog('helloworld-tcg-no-rdseed'))
    expect(segments.map(s => [s.line, s.text.slice(0, 24)])).toEqual([
      [1, 'SeaBIOS (version 1.16.2-'],
      [4, 'iPXE (http://ipxe.org) 0'],
      [5, 'Press Ctrl-B to configur'],
      [8, 'Booting from ROM..'],
      [8, '[    0.101368] ERR:  [li'],
      [9, '[    0.103684] ERR:  [li']
    ])
    expect(segments.filter(s => isFirmwareLine(s.text)).map(s => s.line)).toEqual([1, 4, 5, 8])
  })

  it('gives the same segments whatever the chunking, multi-byte characters split or not', () => {
    const log = Buffer.concat([
      readLog('redis-ping-run1'),
      Buffer.from('überlänge ✓ ok\r\n'),
      readLog('assert')
    ])
    const whole = normalizeConsole(log)
    const random = prng(7)
    for (let round = 0; round < 20; round++) {
      const n = new ConsoleNormalizer()
      const out = []
      for (let at = 0; at < log.length;) {
        const size = 1 + Math.floor(random() * 40)
        out.push(...n.push(log.subarray(at, at + size)))
        at += size
      }
      out.push(...n.end())
      expect(out).toEqual(whole)
    }
    expect(whole.some(s => s.text === 'überlänge ✓ ok')).toBe(true)
  })

  it('counts a last line without a newline', () => {
    expect(normalizeConsole('a\nb\nc')).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
      { line: 3, text: 'c' }
    ])
  })
})

describe('parseKernelLine', () => {
  it.each([
    [
      '[    0.103684] ERR:  [libukboot] <boot.c @  427> Init function at 0x1 returned error -95',
      'ERR',
      'libukboot',
      'Init function at 0x1 returned error -95'
    ],
    [
      'ERR:  [libukboot] Init function at 0x1 returned error -95',
      'ERR',
      'libukboot',
      'Init function at 0x1 returned error -95'
    ],
    [
      '[12345.000001] CRIT: [appvariant] <main.c @    7> Assertion failure: argc == 42',
      'CRIT',
      'appvariant',
      'Assertion failure: argc == 42'
    ],
    ['Info: <boot.c @ 1> Calling main', 'Info', null, 'Calling main'],
    [
      'ERR:  [appelfloader] <interp>: Failed to execute /lib64/ld.so: No such file or directory',
      'ERR',
      'appelfloader',
      '<interp>: Failed to execute /lib64/ld.so: No such file or directory'
    ],
    [
      'hello: error while loading shared libraries',
      null,
      null,
      'hello: error while loading shared libraries'
    ],
    ['[notice] nginx started', null, null, '[notice] nginx started']
  ])('%j', (text, level, lib, msg) => {
    expect(parseKernelLine(text)).toEqual({ level, lib, msg })
  })
})
