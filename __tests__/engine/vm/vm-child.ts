// Run by vm-registry.test.ts in a separate Node process: starts a VM whose guest spins forever,
// prints `READY <qemu pid>`, and waits to be signalled or killed.
import { readFileSync } from 'node:fs'
import { createMemoryLogger } from '../../../src/engine/logger.js'
import { startVm } from '../../../src/engine/vm/start-vm.js'
import { tinyGuestSpec } from './vm-test-support.js'

const [outDir, kernel] = process.argv.slice(2)
const vm = await startVm(tinyGuestSpec(kernel, outDir), { logger: createMemoryLogger() })
vm.onConsoleLine(() => {})
const pid = Number(readFileSync(`${outDir}/qemu.pid`, 'utf8').split('\n')[0])
process.stdout.write(`READY ${pid}\n`)
setInterval(() => {}, 1000)
