// Dispatches `sskdt <command> …` to one module per command.
import * as user from "./user";
import * as demo from "./demo";
import * as importCommand from "./import";
import * as metrics from "./metrics";
import * as report from "./report";
import * as auditCommand from "./audit";
import * as backup from "./backup";
import * as restore from "./restore";

export interface Command {
  summary: string;
  help: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  user,
  demo,
  import: importCommand,
  metrics,
  report,
  audit: auditCommand,
  backup,
  restore,
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    "sskdt — the SSKĐT pilot dashboard's command line",
    "",
    "Usage: npx sskdt <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Every command works on the database in DATABASE_URL (default file:data/sskdt.sqlite),",
    "applying pending migrations first. `npx sskdt <command> --help` tells more.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
