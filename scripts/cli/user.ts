// `sskdt user add|list|disable|reset-password|unlock` — accounts from the command line, for the
// first administrator and for when nobody can sign in. Same rules as the web page.
import { parseArgs } from "node:util";
import { openMigratedDatabase } from "../../app/server/db.server";
import { env } from "../../app/server/env.server";
import { audit } from "../../app/server/audit.server";
import { unlockAccount, unlockAddress } from "../../app/server/throttle.server";
import { disableTotp } from "../../app/server/totp.server";
import { createUser, disableUser, findUser, generatePassword, listUsers, normalizeUsername, resetPassword, UserError } from "../../app/server/users.server";
import { ensureWard } from "../../app/server/ward.server";
import { isRole, ROLE_LABELS, ROLES } from "../../app/domain/permissions";
import { formatDateTime } from "../../app/domain/format";

export const summary = "add, list, disable accounts; set a new password; lift a sign-in lock";

export const help = `Usage:
  npx sskdt user add --username NAME --name "Full name" --role ROLE [--block N] [--password P]
  npx sskdt user list
  npx sskdt user disable --username NAME
  npx sskdt user reset-password --username NAME [--password P]
  npx sskdt user unlock --username NAME        # lifts its sign-in locks, from every address
  npx sskdt user unlock --ip ADDRESS           # lifts the lock on one address
  npx sskdt user totp-off --username NAME      # removes the second factor (a lost phone)

Without --password a random password is generated and printed once; it must be changed
at the first sign-in. reset-password also lifts the account's sign-in locks.
--block N (1…9) is required for a block committee (ban_can_su_khoi) and refused otherwise.

Roles:
${ROLES.map((r) => `  ${r.padEnd(16)} ${ROLE_LABELS[r]}`).join("\n")}`;

const ACTOR = { username: "cli" };

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      block: { type: "string" },
      password: { type: "string" },
      ip: { type: "string" },
    },
    strict: true,
  });
  if (!sub || !["add", "list", "disable", "reset-password", "unlock", "totp-off"].includes(sub)) {
    console.error(help);
    return 2;
  }
  if (sub !== "list" && !values.username && !(sub === "unlock" && values.ip)) {
    console.error("--username is required");
    return 2;
  }

  const db = await openMigratedDatabase(env().DATABASE_URL);
  try {
    await ensureWard(db);
    switch (sub) {
      case "add": {
        if (!values.name || !values.role) {
          console.error("--name and --role are required");
          return 2;
        }
        if (!isRole(values.role)) {
          console.error(`Unknown role "${values.role}". Roles: ${ROLES.join(", ")}`);
          return 2;
        }
        const blockNumber = values.block === undefined ? null : Number(values.block);
        if (blockNumber !== null && !Number.isInteger(blockNumber)) {
          console.error("--block takes a block number, e.g. --block 3");
          return 2;
        }
        const password = values.password ?? generatePassword();
        const user = await createUser(db, { username: values.username!, displayName: values.name, role: values.role, blockNumber, password, mustChangePassword: !values.password }, ACTOR);
        console.log(`Created ${user.username} (${ROLE_LABELS[user.role]}${user.blockName ? `, ${user.blockName}` : ""}).`);
        if (!values.password) console.log(`Password (shown once): ${password}`);
        return 0;
      }
      case "list": {
        const users = await listUsers(db);
        const rows = users.map((u) => [
          u.username, u.displayName, `${ROLE_LABELS[u.role]}${u.blockName ? ` · ${u.blockName}` : ""}`,
          u.disabled ? "disabled" : "active", u.lastLoginAt ? formatDateTime(u.lastLoginAt) : "never",
        ]);
        printTable(["username", "name", "role", "status", "last sign-in"], rows);
        return 0;
      }
      case "disable": {
        if (!(await disableUser(db, values.username!, ACTOR))) return noSuchUser(values.username!);
        console.log(`Disabled ${values.username} and ended its sessions.`);
        return 0;
      }
      case "unlock": {
        if (values.ip) {
          const n = await unlockAddress(db, values.ip);
          console.log(n ? `Lifted the sign-in lock on address ${values.ip}.` : `Address ${values.ip} was not locked.`);
        }
        if (values.username) {
          if (!(await findUser(db, values.username))) return noSuchUser(values.username);
          const n = await unlockAccount(db, normalizeUsername(values.username));
          console.log(n ? `Lifted the sign-in locks on ${values.username}.` : `${values.username} was not locked.`);
        }
        await audit(db, { action: "update", username: ACTOR.username, target: values.username ? `user:${values.username}` : `ip:${values.ip}`, detail: { unlock: true, ip: values.ip ?? null } });
        return 0;
      }
      case "totp-off": {
        const user = await findUser(db, values.username!);
        if (!user) return noSuchUser(values.username!);
        await disableTotp(db, user.id);
        await audit(db, { action: "update", wardId: user.wardId, username: ACTOR.username, target: `user:${user.username}`, detail: { totp: "disabled" } });
        console.log(`Removed the second factor of ${user.username}: it signs in with its password alone until it sets one up again.`);
        return 0;
      }
      default: {
        const password = values.password ?? generatePassword();
        if (!(await resetPassword(db, values.username!, password, ACTOR, { mustChange: !values.password }))) return noSuchUser(values.username!);
        console.log(`New password set for ${values.username}; its sessions were ended.`);
        if (!values.password) console.log(`Password (shown once): ${password}`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof UserError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

function noSuchUser(username: string): number {
  console.error(`No such user: ${username}`);
  return 1;
}

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}
