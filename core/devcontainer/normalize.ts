/**
 * Small normalizers for devcontainer.json values zod has type-checked: lifecycle commands,
 * forwarded ports, remoteEnv. Each pushes faults and warnings with the value's JSON path. Pure.
 *
 * @module
 */
import type { Command } from "./types.ts";

/** A command as devcontainer.json writes it. */
export type RawCommand = string | string[] | Record<string, string | string[]>;

function single(value: string | string[]): Command | undefined {
  if (typeof value === "string") {
    return value.trim() ? { kind: "shell", command: value } : undefined;
  }
  return value.length > 0 ? { kind: "exec", argv: [...value] } : undefined;
}

/**
 * A lifecycle command: a string runs in a shell, an array without one, an object's entries in
 * parallel. Empty strings, arrays and objects (and empty entries) mean no command.
 */
export function normalizeCommand(value: RawCommand | undefined): Command | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" || Array.isArray(value)) return single(value);
  const commands: Record<string, Command> = {};
  for (const [name, entry] of Object.entries(value)) {
    const command = single(entry);
    if (command) commands[name] = command;
  }
  return Object.keys(commands).length > 0 ? { kind: "parallel", commands } : undefined;
}

/** `port` or `host:port` (the host, e.g. a Compose service, is not used: the port is). */
const PORT_TEXT = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?:)?(\d{1,5})$/;

/**
 * `forwardPorts` as integers 1..65535 in their first order, without duplicates. A
 * `"host:port"` string gives its port.
 */
export function normalizePorts(values: ReadonlyArray<number | string>, faults: string[]): number[] {
  const ports: number[] = [];
  values.forEach((value, i) => {
    const at = `forwardPorts[${i}]`;
    let port = typeof value === "number" ? value : NaN;
    if (typeof value === "string") {
      const match = PORT_TEXT.exec(value);
      if (!match) {
        faults.push(`${at}: must be a port number or "host:port", not "${value}"`);
        return;
      }
      port = Number(match[1]);
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      faults.push(`${at}: port must be an integer from 1 to 65535, not ${JSON.stringify(value)}`);
      return;
    }
    if (!ports.includes(port)) ports.push(port);
  });
  return ports;
}

/** remoteEnv without its `null` entries (unset a variable), which are named in warnings. */
export function normalizeRemoteEnv(
  value: Readonly<Record<string, string | null>>,
  warnings: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === null) {
      warnings.push(`remoteEnv.${key}: null (unset the variable) is not supported; ignored`);
    } else out[key] = entry;
  }
  return out;
}
