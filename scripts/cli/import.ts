// `sskdt import` — placeholder until its issue lands.
export const summary = "(import: not built yet)";
export const help = summary;
export async function run(_args: string[]): Promise<number> {
  console.error("sskdt import is not built yet");
  return 1;
}
