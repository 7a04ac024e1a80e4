// The receipt as a plain-text file the resident can keep (and print).

export interface ReceiptFileLabels {
  heading: string
  decision: string
  trackingNumber: string
  secret: string
  submittedAt: string
  lookUp: string
  warning: string
}

export interface ReceiptFileData {
  trackingNumber: string
  secret: string
  decisionTitle: string
  submittedAt: string
  lookupUrl: string
}

/** Text lines, CRLF-separated so Windows Notepad shows them as lines too. */
export function receiptFileText(labels: ReceiptFileLabels, d: ReceiptFileData): string {
  return [
    labels.heading,
    '',
    `${labels.decision}: ${d.decisionTitle}`,
    `${labels.trackingNumber}: ${d.trackingNumber}`,
    `${labels.secret}: ${d.secret}`,
    `${labels.submittedAt}: ${d.submittedAt}`,
    '',
    `${labels.lookUp}: ${d.lookupUrl}`,
    '',
    labels.warning,
    '',
  ].join('\r\n')
}

/** A file name that is safe everywhere: `wenji-receipt-WJ-2026-7K3M-9QX5.txt`. */
export function receiptFileName(trackingNumber: string): string {
  return `wenji-receipt-${trackingNumber.replace(/[^A-Za-z0-9-]/g, '')}.txt`
}
