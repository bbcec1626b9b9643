// Types for scripts/lib/services.js (plain CommonJS, used by the launcher and the test runner).
import type { ChildProcess } from 'node:child_process';

export declare const ROOT: string;
export declare class ScriptError extends Error {}
export interface ServiceHandle {
  url: string;
  port: number;
  process: ChildProcess | null;
  logTail?: () => string[];
  stop(): Promise<void>;
}
export declare function withDatabase(url: string, database: string): string;
export declare function redact(url: string): string;
export declare function probePostgres(url: string, opts?: { timeoutMs?: number }): Promise<boolean>;
export declare function probeRedis(url: string, opts?: { timeoutMs?: number }): Promise<boolean>;
export declare function probeTcp(port: number, host?: string, timeoutMs?: number): Promise<boolean>;
export declare function isPortFree(port: number): Promise<boolean>;
export declare function findFreePort(preferred?: number): Promise<number>;
export declare function waitForHttp(url: string, opts?: { timeoutMs?: number; intervalMs?: number; shouldAbort?: () => string | null }): Promise<void>;
export declare function waitForTcp(port: number, opts?: { host?: string; timeoutMs?: number; shouldAbort?: () => string | null }): Promise<void>;
export declare function ensureDatabase(adminUrl: string, name: string): Promise<{ created: boolean }>;
export declare function stopChild(child: ChildProcess | undefined, opts?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<void>;
export declare function which(name: string): string | null;
export declare function startRedisServer(dir: string, port: number, opts?: { log?: (msg: string) => void }): Promise<ServiceHandle>;
export declare function startEmbeddedPostgres(dir: string, port: number, opts?: { log?: (msg: string) => void }): Promise<ServiceHandle>;
