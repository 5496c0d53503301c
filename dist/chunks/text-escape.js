// Escaping for every place report text lands: markdown (GitHub's job summary, PR comments),
// XML (the SVG heatmap) and terminals. App output and finding evidence are untrusted text.
// CSI, OSC (ended by BEL or ST), charset selection and the other two-byte ESC sequences.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()*+][0-9A-Za-z]|\x1b[@-~]?|\x9b[0-?]*[ -/]*[@-~]/g;
// Control bytes other than tab and newline (the console log's CR included).
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
/** Removes terminal control sequences and stray control bytes; keeps tabs and newlines. */
function stripAnsi(text) {
    return text.replace(ANSI, '').replace(CONTROL, '');
}
/**
 * Makes untrusted text inert inside a markdown paragraph, heading or table cell: HTML is escaped as
 * entities and markdown punctuation with backslashes; newlines become spaces (a table row is one line).
 */
function escapeMarkdownInline(text) {
    return stripAnsi(text)
        .replace(/[\r\n]+/g, ' ')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/[\\`*_{}[\]()#+!|$~]/g, c => `\\${c}`);
}
/**
 * Like escapeMarkdownInline, for our own hints that mark commands and names with backticks: each
 * backtick pair becomes a `<code>` element whose content is escaped the same way (so the untrusted
 * details a hint quotes stay inert). Unpaired backticks are shown as they are.
 */
function escapeMarkdownWithCode(text) {
    const parts = text.split('`');
    if (parts.length % 2 === 0)
        return escapeMarkdownInline(text);
    return parts
        .map((p, i) => i % 2 === 1 && p !== '' ? `<code>${escapeMarkdownInline(p)}</code>` : escapeMarkdownInline(p))
        .join('');
}
/** A fenced code block that no backtick run inside `text` can close early. */
function codeFence(text, info = '') {
    const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), m => m[0].length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    const body = text.endsWith('\n') ? text : `${text}\n`;
    return `${fence}${info}\n${body}${fence}`;
}
/** Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids. */
function escapeXml(text) {
    return text
        .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;');
}
/** Shortens to at most `max` characters, marking the cut with an ellipsis. */
function truncateText(text, max) {
    if (text.length <= max)
        return text;
    return `${text.slice(0, Math.max(0, max - 1))}…`;
}

export { escapeMarkdownWithCode as a, escapeXml as b, codeFence as c, escapeMarkdownInline as e, stripAnsi as s, truncateText as t };
