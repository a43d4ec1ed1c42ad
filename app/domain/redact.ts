// What may be stored of free text that could carry an identifier: a file's name
// ("ds-001203004567-nguyen.xlsx") goes into the import history and the audit log.

/**
 * Runs of 9 or more digits (an ID card has 9, a social insurance number 10, a personal ID
 * 12), also when grouped with spaces or dots, keep only their last 4 digits: "•••4567".
 * Dates (8 digits), facility codes and counters are left as they are.
 */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d(?:[ .]?\d){8,}/g, (run) => `•••${run.replace(/\D/g, "").slice(-4)}`);
}
