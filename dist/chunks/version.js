// The tool's name and version (kept equal to package.json by a test).
const TOOL_NAME = 'unikraft-compat';
const TOOL_VERSION = '0.1.0';

export { TOOL_NAME as T, TOOL_VERSION as a };
