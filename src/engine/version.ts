// The tool's name and version (kept equal to package.json by a test).
export const TOOL_NAME = 'unikraft-compat'
export const TOOL_VERSION = '0.1.0'
