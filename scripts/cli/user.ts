// `sskdt user` — placeholder until its issue lands.
export const summary = "(user: not built yet)";
export const help = summary;
export async function run(_args: string[]): Promise<number> {
  console.error("sskdt user is not built yet");
  return 1;
}
