// CLI: npm run mock -- --port 8188 [--comfy-version 0.3.64|0.33] [--node-replacements FILE] [--object-info FILE]
//      [--latency MS] [--data-dir DIR] [--ms-per-step MS] [--node-delay MS] [--jobs-api] [--progress-text]
//      [--host HOST] [--cors ORIGIN] [--faults JSON]
import { readFileSync } from 'node:fs';
import { startMockComfy, type MockComfyOptions } from './server';
import { COMFY_VERSIONS, type ComfyVersion } from './versions';

function usage(): never {
  console.error(
    'usage: mock [--port 8188] [--comfy-version 0.3.64|0.33] [--node-replacements FILE] [--host 127.0.0.1] [--object-info FILE] [--latency MS] [--data-dir DIR] [--ms-per-step MS] [--node-delay MS] [--jobs-api] [--progress-text] [--cors ORIGIN] [--faults JSON] [--manager NODE_MAP.json]',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): MockComfyOptions {
  const opts: MockComfyOptions = { port: 8188 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => argv[++i] ?? usage();
    const num = () => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) usage();
      return n;
    };
    switch (arg) {
      case '--port':
        opts.port = num();
        break;
      case '--host':
        opts.host = value();
        break;
      case '--object-info':
        opts.objectInfo = value();
        break;
      case '--node-replacements':
        opts.nodeReplacements = value();
        break;
      case '--comfy-version': {
        const v = value();
        if (!(COMFY_VERSIONS as readonly string[]).includes(v)) usage();
        opts.comfyVersion = v as ComfyVersion;
        break;
      }
      case '--latency':
        opts.latencyMs = num();
        break;
      case '--data-dir':
        opts.dataDir = value();
        break;
      case '--ms-per-step':
        opts.msPerStep = num();
        break;
      case '--node-delay':
        opts.nodeDelayMs = num();
        break;
      case '--jobs-api':
        opts.jobsApi = true;
        break;
      case '--progress-text':
        opts.progressText = true;
        break;
      case '--cors':
        opts.cors = value();
        break;
      case '--manager':
        opts.manager = { mappings: JSON.parse(readFileSync(value(), 'utf8')) as Record<string, unknown> };
        break;
      case '--faults':
        opts.faults = JSON.parse(value()) as MockComfyOptions['faults'];
        break;
      case '-h':
      case '--help':
        usage();
        break;
      default:
        console.error(`unknown argument: ${arg}`);
        usage();
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const mock = await startMockComfy(parseArgs(process.argv.slice(2)));
  console.log(`mock ComfyUI ${mock.comfyVersion} listening on ${mock.url} (data: ${mock.dataDir})`);
  console.log(`faults: POST ${mock.url}/__mock/faults with a JSON object; Ctrl+C stops`);
  const stop = () => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
