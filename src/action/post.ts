import * as core from '@actions/core'
export async function runPost(): Promise<void> {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const c = await import('@actions/cache')
  core.info(String(typeof DefaultArtifactClient) + typeof c.saveCache)
}
