// Types for the settings-schema generator (plain .mjs so it runs before any compile step).
export declare const SCHEMA_PATH: string;
export declare const PACKAGE_JSON_PATH: string;
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export declare function stripSecrets(node: JsonValue, root?: JsonValue): JsonValue;
export declare function findSecretProperties(node: JsonValue, path?: string): string[];
export declare function buildConfiguration(schema: JsonValue): {
  title: string;
  properties: Record<string, { [key: string]: JsonValue }>;
};
export declare function rewritePackageJson(packageJsonText: string, schema: JsonValue): string;
