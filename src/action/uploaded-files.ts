// The files of a run that are uploaded as the artifact (missing ones are skipped), for main and post.
import { RUN_FILES } from '../engine/check/run-check.js'

export const UPLOADED_FILES = [
  RUN_FILES.result,
  RUN_FILES.console,
  RUN_FILES.qemuStderr,
  RUN_FILES.buildLog,
  RUN_FILES.manifest,
  `${RUN_FILES.baselineDir}/${RUN_FILES.console}`,
  `${RUN_FILES.baselineDir}/${RUN_FILES.qemuStderr}`
]
