// Types for the command-id generator (plain .mjs so it runs before any compile step).
export declare const COMMANDS_PATH: string;
export declare const OUTPUT_PATH: string;
export declare function labCommandsSource(table: {
  features: Record<string, { lab?: Record<string, string> }>;
}): string;
