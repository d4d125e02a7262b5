// Types for the contributions generator (plain .mjs so it runs before any compile step).
export declare const SCHEMA_PATH: string;
export declare const PACKAGE_JSON_PATH: string;
export declare const COMMANDS_PATH: string;
export declare const COMMAND_IDS_PATH: string;
export declare const GPU_SETTINGS_PATH: string;
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export declare function stripSecrets(node: JsonValue, root?: JsonValue): JsonValue;
export declare function findSecretProperties(node: JsonValue, path?: string): string[];
export declare function gpuSettings(
  gpuSchema: JsonValue
): Record<string, { [key: string]: JsonValue }>;
export declare function buildConfiguration(
  schema: JsonValue,
  gpuSchema?: JsonValue
): {
  title: string;
  properties: Record<string, { [key: string]: JsonValue }>;
};
export interface MenuItem {
  when?: string;
  group?: string;
}
export interface CommandTable {
  category: string;
  features: Record<
    string,
    {
      activationEvents?: string[];
      vscode?: Array<{
        command: string;
        title: string;
        icon: string;
        menus?: Record<string, MenuItem[]>;
      }>;
      lab?: Record<string, string>;
    }
  >;
}
export declare function buildCommandContributions(table: CommandTable): {
  commands: Array<{ command: string; title: string; category: string; icon: string }>;
  menus: Record<string, Array<MenuItem & { command: string }>>;
  activationEvents: string[];
};
export declare function commandIdsSource(table: CommandTable): string;
export declare function rewritePackageJson(
  packageJsonText: string,
  schema: JsonValue,
  table: CommandTable,
  gpuSchema?: JsonValue
): string;
