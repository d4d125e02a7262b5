// Starting points for a GPU job: the submit dialogs (JupyterLab, VS Code) offer these, the user then
// changes what differs. Namespace and owner come from where the job is submitted.

import type { GpuJobTemplate } from './template.js';

export interface JobPreset {
  id: string;
  label: string;
  template: Omit<GpuJobTemplate, 'namespace'>;
}

export const JOB_PRESETS: readonly JobPreset[] = [
  {
    id: 'pytorch-train',
    label: 'PyTorch training, 2 × A100',
    template: {
      name: 'train-unet',
      image: 'nvcr.io/nvidia/pytorch:24.05-py3',
      command: ['python', 'train.py'],
      args: ['--epochs', '50'],
      gpus: 2,
      gpuProduct: 'NVIDIA-A100-SXM4-80GB',
      cpu: '8',
      memory: '64Gi',
      backoffLimit: 0,
      activeDeadlineSeconds: 86_400,
      ttlSecondsAfterFinished: 86_400
    }
  },
  {
    id: 'inference-t4',
    label: 'Inference, 1 × T4',
    template: {
      name: 'infer',
      image: 'nvcr.io/nvidia/tritonserver:24.05-py3',
      command: ['python', 'infer.py'],
      gpus: 1,
      gpuProduct: 'Tesla-T4',
      cpu: '4',
      memory: '16Gi',
      backoffLimit: 1
    }
  },
  {
    id: 'cpu-preprocess',
    label: 'Preprocessing, CPU only',
    template: {
      name: 'preprocess',
      image: 'python:3.12-slim',
      command: ['python', 'preprocess.py'],
      gpus: 0,
      cpu: '2',
      memory: '8Gi',
      volumes: [{ name: 'mapr', mountPath: '/mapr', hostPath: '/mapr', readOnly: true }]
    }
  }
];
