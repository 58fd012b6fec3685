/** The bad-input fixtures and the error code each must give (shared by the CLI tests). */
export const BAD_INPUTS = [
  ['fixtures/bad/empty.pdf', 'empty'],
  ['fixtures/bad/not-a-pdf.pdf', 'not_pdf'],
  ['fixtures/bad/truncated.pdf', 'corrupt'],
  ['fixtures/bad/encrypted-user-password.pdf', 'encrypted'],
  ['fixtures/bad/no-text-layer.pdf', 'no_text_layer'],
  // not_budget comes from extractDocument (src/extract.ts): a readable PDF without disclosure tables.
  ['fixtures/bad/meeting-notice.pdf', 'not_budget'],
] as const;
