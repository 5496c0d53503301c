import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  DF_1_PIE,
  ElfFormatError,
  EM,
  ET,
  parseElf,
  parseShebang,
  readElf
} from '../../../src/engine/rootfs/elf.js'
import { HELLO_C, gcc, makeTemp } from './helpers.js'

let tmp: { dir: string; cleanup: () => Promise<void> }
const bins: Record<string, string> = {}
beforeAll(async () => {
  tmp = await makeTemp('elf')
  bins.static = await gcc(tmp.dir, 'static', HELLO_C, ['-static'])
  bins.staticPie = await gcc(tmp.dir, 'static-pie', HELLO_C, ['-static-pie'])
  bins.noPie = await gcc(tmp.dir, 'no-pie', HELLO_C, ['-no-pie'])
  bins.pie = await gcc(tmp.dir, 'pie', HELLO_C, [])
  const lib = 'int answer(void) { return 42; }\n'
  bins.runpathLib = await gcc(tmp.dir, 'libanswer.so.1', lib, [
    '-shared',
    '-fPIC',
    '-Wl,-soname,libanswer.so.1',
    '-Wl,--enable-new-dtags',
    '-Wl,-rpath,$ORIGIN/../lib:/opt/x'
  ])
  bins.rpathLib = await gcc(tmp.dir, 'libold.so', lib, [
    '-shared',
    '-fPIC',
    '-Wl,--disable-new-dtags',
    '-Wl,-rpath,$ORIGIN'
  ])
  bins.elf32 = await gcc(tmp.dir, 'elf32', 'void _start(void) { for (;;); }\n', [
    '-m32',
    '-nostdlib',
    '-static'
  ])
  bins.elf32pie = await gcc(tmp.dir, 'elf32pie', 'void _start(void) { for (;;); }\n', [
    '-m32',
    '-nostdlib',
    '-fPIE',
    '-pie'
  ])
}, 60_000)
afterAll(async () => tmp.cleanup())

describe('readElf on programs gcc built', () => {
  it.each([
    ['static', 'static', ET.EXEC, false, null],
    ['staticPie', 'static-pie', ET.DYN, true, null],
    ['noPie', 'fixed-address', ET.EXEC, false, '/lib64/ld-linux-x86-64.so.2'],
    ['pie', 'pie', ET.DYN, true, '/lib64/ld-linux-x86-64.so.2']
  ] as const)('classifies gcc %s output as %s', (key, kind, type, pic, interp) => {
    const e = readElf(bins[key])
    expect(e).toMatchObject({
      elfClass: 64,
      endian: 'little',
      machine: EM.X86_64,
      machineName: 'x86-64',
      type,
      kind,
      positionIndependent: pic,
      interpreter: interp
    })
  })

  it('reads DT_NEEDED and the PIE flag of a dynamic PIE', () => {
    const e = readElf(bins.pie)
    expect(e.needed).toEqual(['libc.so.6'])
    expect(e.flags1 & DF_1_PIE).toBe(DF_1_PIE)
    expect(e.rpath).toBeNull()
    expect(e.runpath).toBeNull()
  })

  it('sees no dynamic dependencies in a static program, and the PIE flag in a static-PIE one', () => {
    expect(readElf(bins.static)).toMatchObject({ needed: [], hasDynamic: false })
    const sp = readElf(bins.staticPie)
    expect(sp.needed).toEqual([])
    expect(sp.flags1 & DF_1_PIE).toBe(DF_1_PIE)
  })

  it('reads DT_RUNPATH (new dtags) with $ORIGIN kept verbatim, and the soname', () => {
    const e = readElf(bins.runpathLib)
    expect(e).toMatchObject({
      kind: 'shared-library',
      soname: 'libanswer.so.1',
      runpath: ['$ORIGIN/../lib', '/opt/x'],
      rpath: null,
      interpreter: null
    })
  })

  it('reads DT_RPATH (old dtags)', () => {
    expect(readElf(bins.rpathLib)).toMatchObject({ rpath: ['$ORIGIN'], runpath: null })
  })

  it('reads 32-bit x86 programs (another class and machine)', () => {
    expect(readElf(bins.elf32)).toMatchObject({
      elfClass: 32,
      machine: EM.I386,
      machineName: 'i386',
      kind: 'static'
    })
    expect(readElf(bins.elf32pie)).toMatchObject({
      elfClass: 32,
      kind: 'pie',
      interpreter: '/lib/ld-linux.so.2'
    })
  })
})

describe('readElf on system programs', () => {
  it('reads /usr/bin/redis-server: a PIE needing libssl, libcrypto and libc', () => {
    const e = readElf('/usr/bin/redis-server')
    expect(e.kind).toBe('pie')
    expect(e.interpreter).toBe('/lib64/ld-linux-x86-64.so.2')
    expect(e.needed).toEqual(expect.arrayContaining(['libssl.so.3', 'libcrypto.so.3', 'libc.so.6']))
  })

  it('reads /bin/ls', () => {
    const e = readElf('/bin/ls')
    expect(e).toMatchObject({
      kind: 'pie',
      machineName: 'x86-64',
      interpreter: '/lib64/ld-linux-x86-64.so.2'
    })
    expect(e.needed).toContain('libc.so.6')
  })

  it('gives the same answer from bytes in memory as from the file', () => {
    expect(parseElf(readFileSync('/bin/ls'))).toEqual(readElf('/bin/ls'))
  })
})

describe('malformed input', () => {
  it('names a machine it does not run (e_machine patched to aarch64)', () => {
    const bytes = readFileSync(bins.pie)
    bytes.writeUInt16LE(EM.AARCH64, 18)
    const f = join(tmp.dir, 'arm')
    writeFileSync(f, bytes)
    expect(readElf(f)).toMatchObject({ machine: EM.AARCH64, machineName: 'aarch64' })
  })

  it.each([
    ['a text file', Buffer.from('#!/bin/sh\necho hi\n'), /not an ELF file/],
    ['an empty file', Buffer.alloc(0), /not an ELF file/],
    [
      'an unknown class',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 9, 1, 1, ...Array(60).fill(0)]),
      /unknown ELF class 9/
    ]
  ])('throws ElfFormatError for %s', (_label, bytes, message) => {
    expect(() => parseElf(bytes, 'x')).toThrow(ElfFormatError)
    expect(() => parseElf(bytes, 'x')).toThrow(message)
  })

  it('throws ElfFormatError for a program cut short inside its program headers', () => {
    const bytes = readFileSync(bins.pie).subarray(0, 100)
    expect(() => parseElf(bytes, 'cut')).toThrow(/truncated program headers/)
  })
})

describe('parseShebang', () => {
  it.each([
    ['#!/bin/sh\n', { interpreter: '/bin/sh', arg: null }],
    ['#! /usr/bin/env python3\n', { interpreter: '/usr/bin/env', arg: 'python3' }],
    ['#!/bin/bash -eu\r\n', { interpreter: '/bin/bash', arg: '-eu' }],
    ['#!/usr/bin/perl', { interpreter: '/usr/bin/perl', arg: null }],
    ['#!\n', null],
    ['echo hi\n', null],
    ['\x7fELF', null]
  ])('parses %j', (text, expected) => {
    expect(parseShebang(Buffer.from(text))).toEqual(expected)
  })
})
