// What differs between the two ComfyUI versions the mock serves: 0.3.64 (2025-10, the mock's original target) and
// 0.33.0 (2026-08). Everything here is the mock's own data, shaped like the recordings in
// ../shared/fixtures/real-server{,-0.33}/ (system_stats.json, features.json, node_replacements.json).

export type ComfyVersion = '0.3.64' | '0.33';
export const COMFY_VERSIONS: readonly ComfyVersion[] = ['0.3.64', '0.33'];
export const DEFAULT_COMFY_VERSION: ComfyVersion = '0.33';

export const MAX_UPLOAD_SIZE = 100 * 1024 * 1024;

/** GET /features, and the server's half of the WebSocket feature_flags handshake (`assets`: started with --enable-assets). */
export function serverFeatures(version: ComfyVersion, assets = false): Record<string, unknown> {
  if (version === '0.3.64') return { supports_preview_metadata: true, max_upload_size: MAX_UPLOAD_SIZE };
  return {
    supports_preview_metadata: true,
    supports_model_type_tags: true,
    max_upload_size: MAX_UPLOAD_SIZE,
    extension: { manager: { supports_v4: true } },
    node_replacements: true,
    assets,
  };
}

export function systemStats(version: ComfyVersion, port: number): Record<string, unknown> {
  const total = 17179869184;
  const free = 12884901888;
  const devices = [{ name: 'cpu', type: 'cpu', index: null, vram_total: total, vram_free: free, torch_vram_total: total, torch_vram_free: free }];
  if (version === '0.3.64') {
    return {
      system: {
        os: 'posix',
        ram_total: total,
        ram_free: free,
        comfyui_version: '0.3.64',
        required_frontend_version: '1.27.10',
        installed_templates_version: '0.1.95',
        required_templates_version: '0.1.95',
        python_version: '3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]',
        pytorch_version: '2.8.0+cpu',
        embedded_python: false,
        argv: ['main.py', '--cpu', '--listen', '127.0.0.1', '--port', String(port)],
      },
      devices,
    };
  }
  const pkg = (name: string, v: string) => ({ name, installed: v, required: v });
  return {
    system: {
      os: 'linux',
      ram_total: total,
      ram_free: free,
      comfyui_version: '0.33.0',
      required_frontend_version: '1.49.6',
      installed_templates_version: '0.11.44',
      required_templates_version: '0.11.44',
      comfy_package_versions: [pkg('comfyui-frontend-package', '1.49.6'), pkg('comfyui-workflow-templates', '0.11.44'), pkg('comfyui-embedded-docs', '0.5.10')],
      python_version: '3.13.5 (main, Aug 10 2026, 12:06:59) [GCC 14.2.0]',
      pytorch_version: '2.6.0+cpu',
      embedded_python: false,
      deploy_environment: 'local-git',
      argv: ['main.py', '--cpu', '--listen', '127.0.0.1', '--port', String(port), '--disable-auto-launch'],
    },
    devices,
  };
}

/**
 * The mock's own /node_replacements table (0.33): old class → replacements. The first two name classes the
 * mock's default node definitions lack, so a prompt using them meets the server's 500.
 */
export const DEFAULT_NODE_REPLACEMENTS: Record<string, unknown[]> = {
  T2IAdapterLoader: [
    {
      new_node_id: 'ControlNetLoader',
      old_node_id: 'T2IAdapterLoader',
      old_widget_ids: null,
      input_mapping: [{ new_id: 'control_net_name', old_id: 't2i_adapter_name' }],
      output_mapping: null,
    },
  ],
  ResizeImagesByLongerEdge: [
    {
      new_node_id: 'ImageScale',
      old_node_id: 'ResizeImagesByLongerEdge',
      old_widget_ids: ['longer_edge'],
      input_mapping: [
        { new_id: 'image', old_id: 'images' },
        { new_id: 'width', old_id: 'longer_edge' },
        { new_id: 'upscale_method', set_value: 'lanczos' },
      ],
      output_mapping: [{ new_idx: 0, old_idx: 0 }],
    },
  ],
};
