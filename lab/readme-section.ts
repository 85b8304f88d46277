/** A generated section of a markdown file, between `<!-- NAME:begin -->` and `<!-- NAME:end -->`. */
export function replaceSection(text: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the file has no ${begin} ... ${end} section to replace`);
  return `${text.slice(0, from + begin.length)}\n${body}\n${text.slice(to)}`;
}
