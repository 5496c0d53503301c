// Entry point of the action's post step (always runs, even after a failed or cancelled main).
import { runPost } from './action/post.js'

await runPost()
