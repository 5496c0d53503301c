// A tiny multiboot kernel, assembled here byte by byte: it writes a message to the serial port and
// then exits through isa-debug-exit, spins, or repeats. It proves that an accelerator can run guest
// code at all (the KVM probe), and gives tests and benchmarks a real guest that boots in
// milliseconds. QEMU loads it with -kernel (multiboot "a.out kludge": the header gives the addresses).

const LOAD_ADDR = 0x100000
const HEADER_BYTES = 32

export interface ProbeKernelOptions {
  /** Written to COM1 (ASCII/Latin-1 bytes). */
  message: string
  /** After the message: 'exit' writes `exitValue` to isa-debug-exit (41 gives QEMU status 83); 'spin'
   * loops forever; 'repeat' prints the message again and again; 'panic' reports a panic to QEMU's
   * pvpanic device (ISA port 0x505), then spins; 'poweroff' powers the machine off through ACPI
   * (SLP_EN in PM1a_CNT at port 0x604, where QEMU's firmware puts it), so QEMU exits with status 0. */
  then: 'exit' | 'spin' | 'repeat' | 'panic' | 'poweroff'
  exitValue?: number
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]
}

export function buildProbeKernel(opts: ProbeKernelOptions): Buffer {
  const msg = Buffer.from(opts.message, 'latin1')
  const entry = LOAD_ADDR + HEADER_BYTES
  // Code (32-bit protected mode, flat segments, as the multiboot loader leaves it). Like a real
  // ns16550 driver (Unikraft's, Linux's) it waits for the transmitter before each byte, so QEMU can
  // hold the guest back while its console backend is full instead of dropping bytes:
  //   again: cld ; mov esi, msg ; mov ecx, len ; jecxz drained
  //   next:  mov dx, 0x3fd ; wait: in al, dx ; test al, 0x20 (THRE) ; jz wait
  //          mov dx, 0x3f8 ; lodsb ; out dx, al ; loop next
  //   drained: mov dx, 0x3fd ; in al, dx ; test al, 0x40 (TEMT) ; jz back   (the last byte is out)
  //   then one of: jmp again | mov dx, 0x501 ; mov eax, value ; out dx, eax ; spin | pvpanic ; spin | ACPI off | spin
  //   spin: jmp spin
  const MSG_IMM = 2 // offset of mov esi's immediate
  const send = [0x66, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x20, 0x74, 0xfb, 0x66, 0xba, 0xf8, 0x03, 0xac, 0xee]
  const loop = [0xe2, (256 - (send.length + 2)) & 0xff]
  const head = [
    0xfc,
    0xbe,
    ...u32(0),
    0xb9,
    ...u32(msg.length),
    0xe3,
    send.length + loop.length,
    ...send,
    ...loop,
    ...[0x66, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x40, 0x74, 0xfb]
  ]
  let tail: number[]
  if (opts.then === 'repeat') {
    tail = [0xeb, (256 - (head.length + 2)) & 0xff] // jmp short back to `again`
  } else if (opts.then === 'panic') {
    tail = [0x66, 0xba, 0x05, 0x05, 0xb0, 0x01, 0xee, 0xeb, 0xfe] // mov dx, 0x505 ; mov al, 1 ; out dx, al
  } else if (opts.then === 'poweroff') {
    tail = [0x66, 0xba, 0x04, 0x06, 0x66, 0xb8, 0x00, 0x20, 0x66, 0xef, 0xeb, 0xfe] // mov dx, 0x604 ; mov ax, 0x2000 ; out dx, ax
  } else if (opts.then === 'exit') {
    tail = [0x66, 0xba, 0x01, 0x05, 0xb8, ...u32(opts.exitValue ?? 41), 0xef, 0xeb, 0xfe]
  } else {
    tail = [0xeb, 0xfe]
  }
  const code = [...head, ...tail]
  const msgAddr = entry + code.length
  code.splice(MSG_IMM, 4, ...u32(msgAddr))
  const magic = 0x1badb002
  const flags = 0x00010000 // bit 16: load addresses are in the header (not an ELF file)
  const header = [magic, flags, -(magic + flags) >>> 0, LOAD_ADDR, LOAD_ADDR, 0, 0, entry].flatMap(u32)
  return Buffer.concat([Buffer.from(header), Buffer.from(code), msg])
}
