// `sskdt metrics` — placeholder until its issue lands.
export const summary = "(metrics: not built yet)";
export const help = summary;
export async function run(_args: string[]): Promise<number> {
  console.error("sskdt metrics is not built yet");
  return 1;
}
