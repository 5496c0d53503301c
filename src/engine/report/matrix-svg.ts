// The matrix as an SVG heatmap: apps as rows, versions as columns, a coloured cell per result with
// its verdict (and how many system calls Unikraft answered ENOSYS, when traced), its main finding,
// and a legend. Sizes come from the text (no browser to measure it):
// widths are estimated generously per character so labels never overflow their cells.
import { cellLabel, findCell, type Matrix, type MatrixCell, unsupportedDetail } from './matrix-model.js'
import type { Verdict } from './result.js'
import { escapeXml as x, truncateText } from './text-escape.js'

const FONT = "'DejaVu Sans', Verdana, Geneva, 'Segoe UI', Arial, sans-serif"
const PAD = 20
const TITLE_H = 44
const HEADER_H = 34
const ROW_H = 56
const GAP = 4
const LABEL_MAX_CHARS = 40
const REASON_MAX_CHARS = 36

type Kind = Verdict | 'missing'
const STYLE: Record<Kind, { fill: string; text: string; sub: string; label: string }> = {
  pass: { fill: '#1a7f37', text: '#ffffff', sub: '#dafbe1', label: 'pass' },
  fail: { fill: '#cf222e', text: '#ffffff', sub: '#ffebe9', label: 'fail' },
  error: { fill: '#6e7781', text: '#ffffff', sub: '#eaeef2', label: 'error (could not run)' },
  missing: { fill: '#f6f8fa', text: '#57606a', sub: '#57606a', label: 'no result' }
}

/** Width of `text` at `size` px: 0.62 em per character (0.68 bold) covers DejaVu Sans and Verdana. */
function textWidth(text: string, size: number, bold = false): number {
  return Math.ceil([...text].length * size * (bold ? 0.68 : 0.62))
}

export function renderMatrixSvg(m: Matrix): string {
  const apps = m.apps.map(a => truncateText(a, LABEL_MAX_CHARS))
  const versions = m.versions.map(v => truncateText(v, LABEL_MAX_CHARS))
  const labelW = Math.max(90, ...apps.map(a => textWidth(a, 14, true))) + 24
  const reasons = m.cells.map(c => truncateText(cellLabel(c).reason ?? '', REASON_MAX_CHARS))
  const colW = Math.max(
    120,
    ...versions.map(v => textWidth(v, 14, true) + 24),
    ...reasons.map(r => textWidth(r, 12) + 20),
    ...m.cells.map(c => textWidth(verdictText(c), 15, true) + 20)
  )
  const gridX = PAD + labelW
  const gridY = PAD + TITLE_H + HEADER_H
  const gridW = m.versions.length * (colW + GAP)
  const gridH = m.apps.length * (ROW_H + GAP)

  const out: string[] = []
  const title = 'Unikraft compatibility matrix'
  out.push(
    `<text x="${PAD}" y="${PAD + 22}" font-size="20" font-weight="bold" fill="#1f2328">${title}</text>`,
    `<text x="${PAD}" y="${PAD + TITLE_H + HEADER_H - 12}" font-size="13" fill="#57606a">app \\ version</text>`
  )
  versions.forEach((v, j) => {
    const cx = gridX + j * (colW + GAP) + colW / 2
    out.push(
      `<text x="${cx}" y="${PAD + TITLE_H + HEADER_H - 12}" font-size="14" font-weight="bold" text-anchor="middle" fill="#1f2328">${x(v)}</text>`
    )
  })
  m.apps.forEach((app, i) => {
    const y = gridY + i * (ROW_H + GAP)
    out.push(
      `<text x="${gridX - 12}" y="${y + ROW_H / 2 + 5}" font-size="14" font-weight="bold" text-anchor="end" fill="#1f2328">${x(apps[i])}</text>`
    )
    m.versions.forEach((version, j) => {
      const cellX = gridX + j * (colW + GAP)
      const c = findCell(m, app, version)
      const kind: Kind = c ? c.verdict : 'missing'
      const s = STYLE[kind]
      const reason = c ? truncateText(cellLabel(c).reason ?? '', REASON_MAX_CHARS) : ''
      const enosys = c ? unsupportedDetail(c) : null
      const tip = c
        ? `${app} × ${version}: ${c.summary}${enosys ? ` (${enosys})` : ''}`
        : `${app} × ${version}: no result file`
      const stroke = kind === 'missing' ? ' stroke="#afb8c1" stroke-dasharray="4 3"' : ''
      const verdictY = reason ? y + 24 : y + ROW_H / 2 + 6
      out.push(
        `<g><title>${x(tip)}</title>`,
        `<rect x="${cellX}" y="${y}" width="${colW}" height="${ROW_H}" rx="6" fill="${s.fill}"${stroke}/>`,
        `<text x="${cellX + colW / 2}" y="${verdictY}" font-size="15" font-weight="bold" text-anchor="middle" fill="${s.text}">${x(c ? verdictText(c) : 'no result')}</text>`,
        reason
          ? `<text x="${cellX + colW / 2}" y="${y + 43}" font-size="12" text-anchor="middle" fill="${s.sub}">${x(reason)}</text>`
          : '',
        '</g>'
      )
    })
  })

  // Legend, one row under the grid.
  const legendY = gridY + gridH + 14
  let lx = PAD
  for (const kind of ['pass', 'fail', 'error', 'missing'] as Kind[]) {
    const s = STYLE[kind]
    const stroke = kind === 'missing' ? ' stroke="#afb8c1" stroke-dasharray="3 2"' : ''
    out.push(
      `<rect x="${lx}" y="${legendY}" width="14" height="14" rx="3" fill="${s.fill}"${stroke}/>`,
      `<text x="${lx + 20}" y="${legendY + 12}" font-size="13" fill="#1f2328">${x(s.label)}</text>`
    )
    lx += 20 + textWidth(s.label, 13) + 18
  }
  const counts = countLine(m)
  out.push(`<text x="${PAD}" y="${legendY + 36}" font-size="13" fill="#57606a">${x(counts)}</text>`)

  const width = Math.max(
    gridX + gridW + PAD,
    lx + PAD,
    PAD * 2 + textWidth(title, 20, true),
    PAD * 2 + textWidth(counts, 13)
  )
  const height = legendY + 36 + PAD
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${x(`${title}: ${counts}`)}" font-family="${x(FONT)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...out.filter(Boolean),
    '</svg>',
    ''
  ].join('\n')
}

/** `fail`, or `fail · 2 ENOSYS` when the trace shows unsupported calls. */
function verdictText(c: MatrixCell): string {
  const { unsupported } = cellLabel(c)
  return unsupported ? `${c.verdict} · ${unsupported}` : c.verdict
}

function countLine(m: Matrix): string {
  const n = (v: Verdict): number => m.cells.filter(c => c.verdict === v).length
  const missing = m.apps.length * m.versions.length - m.cells.length
  const parts = [`${n('pass')} pass`, `${n('fail')} fail`, `${n('error')} error`]
  if (missing > 0) parts.push(`${missing} without a result`)
  return `${m.apps.length} app${m.apps.length === 1 ? '' : 's'} × ${m.versions.length} version${m.versions.length === 1 ? '' : 's'}: ${parts.join(', ')}`
}
