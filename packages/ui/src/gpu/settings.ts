// The GPU warning thresholds as both hosts' settings name them (JupyterLab's schema/gpu.json, VS Code's
// radlab.gpu.* configuration, both from shared/schema/gpu-settings.json): percentages and minutes, turned
// into the dashboard's GpuWarningSettings. A missing or out-of-range value falls back to the default.
import { DEFAULT_GPU_WARNINGS, type GpuWarningSettings } from './dashboard.js';

export interface GpuThresholdSettings {
  idleUtilizationPercent?: unknown;
  idleMinutes?: unknown;
  memoryNearLimitPercent?: unknown;
}

function inRange(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
    ? value
    : undefined;
}

export function gpuWarningsFromSettings(settings: GpuThresholdSettings): GpuWarningSettings {
  const memory = inRange(settings.memoryNearLimitPercent, 1, 100);
  return {
    idleUtilization:
      inRange(settings.idleUtilizationPercent, 0, 100) ?? DEFAULT_GPU_WARNINGS.idleUtilization,
    idleMinutes: inRange(settings.idleMinutes, 1, 1440) ?? DEFAULT_GPU_WARNINGS.idleMinutes,
    memoryRatio: memory !== undefined ? memory / 100 : DEFAULT_GPU_WARNINGS.memoryRatio
  };
}
