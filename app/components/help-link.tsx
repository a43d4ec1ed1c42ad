// The "?" beside a figure: a link to its entry on the help page (/help#…). The mark itself
// is drawn by CSS, so the figure's text reads the same; the link is named by aria-label.
export function HelpLink({ entry, label }: { entry: string; label: string }) {
  return (
    <a className="help-link" href={`/help#${entry}`} aria-label={`Giải thích: ${label}`} title={`Giải thích: ${label}`} data-testid={`help-${entry}`} />
  );
}
