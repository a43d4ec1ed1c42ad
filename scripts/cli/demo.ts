// `sskdt demo` — placeholder until its issue lands.
export const summary = "(demo: not built yet)";
export const help = summary;
export async function run(_args: string[]): Promise<number> {
  console.error("sskdt demo is not built yet");
  return 1;
}
