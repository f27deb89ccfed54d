/**
 * `docker.ping`: whether the engine answers, and its version.
 *
 * @module
 */
import { formatAddress } from "./client.ts";
import type { Engine } from "./engine.ts";

/** What {@link pingEngine} returns. */
export type PingInfo = {
  ok: true;
  host: string;
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
};

const SERVER_ERROR = { 500: "server error" };

/** Pings the engine (`GET /_ping`) and reads its version (`GET /version`). */
export async function pingEngine(engine: Engine): Promise<PingInfo> {
  await engine.get("ping", { path: "/_ping", reasons: SERVER_ERROR }, (docker) => docker.ping());
  const v = await engine.get(
    "ping",
    { path: "/version", reasons: SERVER_ERROR },
    (docker) => docker.version(),
  );
  return {
    ok: true,
    host: formatAddress(engine.address),
    version: v.Version,
    apiVersion: v.ApiVersion,
    os: v.Os,
    arch: v.Arch,
  };
}
