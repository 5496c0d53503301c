// Entry point of the action's main step.
import { runMain } from './action/main.js'

await runMain()
