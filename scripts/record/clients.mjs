// Driver config for scripts/record-client: how to run each real client headless at a Base URL, and the
// per-client hypotheses (join rule, call names) that record-client verifies against what the client sends.
//
// Recorded clients have `run(ctx)` returning {argv, env, files}; ctx = {base, key, home, cwd, bin(name),
// node, scriptsDir}. `files` maps absolute paths to contents (objects are written as JSON).
// Source-derived clients (no runnable package here) have `source` and `steps` instead; record-client
// derives their recordings by applying the join rule (and says so in provenance).

const kiloBuiltin = (provider, model) => (ctx) => ({
  argv: [ctx.bin('kilo'), 'run', '-m', `${provider}/${model}`, 'say hi'],
  env: { KILO_DISABLE_MODELS_FETCH: '1' },
  files: {
    [`${ctx.home}/.config/kilo/kilo.json`]: {
      provider: { [provider]: { options: { baseURL: ctx.base, apiKey: ctx.key } } },
      model: `${provider}/${model}`, autoupdate: false, share: 'disabled',
    },
  },
});

const kiloCustom = (npm, model) => (ctx) => ({
  argv: [ctx.bin('kilo'), 'run', '-m', `custom/${model}`, 'say hi'],
  env: { KILO_DISABLE_MODELS_FETCH: '1' },
  files: {
    [`${ctx.home}/.config/kilo/kilo.json`]: {
      provider: { custom: { npm, name: 'custom', options: { baseURL: ctx.base, apiKey: ctx.key }, models: { [model]: { name: model } } } },
      model: `custom/${model}`, autoupdate: false, share: 'disabled',
    },
  },
});

const sdkDriver = (script) => (ctx) => ({
  argv: [ctx.node, `${ctx.scriptsDir}/${script}`],
  env: { ROUTECHECK_BASE_URL: ctx.base, ROUTECHECK_API_KEY: ctx.key },
  files: {},
  calls: 'file',  // the driver names its calls (see driver-common.mjs)
});

export const clients = {
  'claude-code': {
    name: 'Claude Code', protocol: 'anthropic', package: '@anthropic-ai/claude-code',
    join: 'concat', command: 'claude -p "say hi"', timeout: 90,
    run: (ctx) => ({
      argv: [ctx.bin('claude'), '-p', 'say hi'],
      env: {
        ANTHROPIC_BASE_URL: ctx.base, ANTHROPIC_API_KEY: ctx.key, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1', DISABLE_AUTOUPDATER: '1',
      },
      files: {},
    }),
  },
  'openai-node': {
    name: 'OpenAI Node SDK', protocol: 'openai', package: 'openai', join: 'concat', timeout: 60,
    command: 'node scripts/record/drive-openai-node.mjs (new OpenAI({apiKey, baseURL}): models.list, chat.completions.create plain + stream, responses.create plain + stream)',
    run: sdkDriver('drive-openai-node.mjs'),
  },
  'anthropic-node': {
    name: 'Anthropic Node SDK', protocol: 'anthropic', package: '@anthropic-ai/sdk', join: 'concat', timeout: 60,
    command: 'node scripts/record/drive-anthropic-node.mjs (new Anthropic({apiKey, baseURL}): messages.create plain + stream, messages.countTokens, models.list)',
    run: sdkDriver('drive-anthropic-node.mjs'),
  },
  'genai-node': {
    name: 'Google GenAI SDK (Node)', protocol: 'gemini', package: '@google/genai', join: 'concat', timeout: 60,
    command: 'node scripts/record/drive-genai-node.mjs (new GoogleGenAI({apiKey, httpOptions: {baseUrl}}): generateContent, generateContentStream, models.list, countTokens)',
    run: sdkDriver('drive-genai-node.mjs'),
  },
  'gemini-cli': {
    name: 'Gemini CLI', protocol: 'gemini', package: '@google/gemini-cli', join: 'concat', timeout: 120,
    command: 'gemini -p "say hi" (GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY, settings.json security.auth.selectedType=gemini-api-key)',
    // The first call is a routing classifier (generateContent, responseMimeType application/json with a
    // responseJsonSchema); the recorder answers it with a minimal schema-valid instance, as the Gemini API
    // answers a JSON-mode request. Answered with plain text, Gemini CLI would retry it 5 times and fall back to
    // gemini-3.1-pro-preview: a sequence that would reflect the recorder, not the client.
    run: (ctx) => ({
      argv: [ctx.bin('gemini'), '-p', 'say hi'],
      env: { GEMINI_API_KEY: ctx.key, GOOGLE_GEMINI_BASE_URL: ctx.base, GEMINI_CLI_TRUST_WORKSPACE: 'true' },
      files: { [`${ctx.home}/.gemini/settings.json`]: { security: { auth: { selectedType: 'gemini-api-key' } } } },
    }),
  },
  'codex-cli': {
    name: 'Codex CLI (custom provider, wire_api responses)', protocol: 'openai-responses', package: '@openai/codex',
    join: 'concat', timeout: 120,
    command: 'codex exec --skip-git-repo-check "say hi" (config.toml: model_provider with base_url, env_key, wire_api = "responses")',
    run: (ctx) => ({
      argv: [ctx.bin('codex'), 'exec', '--skip-git-repo-check', 'say hi'],
      env: { CODEX_HOME: `${ctx.home}/.codex`, ROUTECHECK_KEY: ctx.key },
      files: {
        [`${ctx.home}/.codex/config.toml`]: [
          'model_provider = "routecheck"', 'model = "gpt-5-mini"', '', '[model_providers.routecheck]',
          'name = "routecheck"', `base_url = "${ctx.base}"`, 'env_key = "ROUTECHECK_KEY"', 'wire_api = "responses"', '',
        ].join('\n'),
      },
    }),
  },
  'codex-cli-openai': {
    name: 'Codex CLI (built-in openai provider)', protocol: 'openai-responses', package: '@openai/codex',
    join: 'concat', timeout: 120,
    command: 'codex exec --skip-git-repo-check "say hi" (config.toml: openai_base_url; CODEX_API_KEY)',
    run: (ctx) => ({
      argv: [ctx.bin('codex'), 'exec', '--skip-git-repo-check', 'say hi'],
      env: { CODEX_HOME: `${ctx.home}/.codex`, CODEX_API_KEY: ctx.key },
      files: { [`${ctx.home}/.codex/config.toml`]: `openai_base_url = "${ctx.base}"\nmodel = "gpt-5-mini"\n` },
    }),
  },
  'kilo-code-openai-compatible': {
    name: 'Kilo Code CLI (custom provider, @ai-sdk/openai-compatible)', protocol: 'openai', package: '@kilocode/cli',
    join: 'concat', timeout: 120,
    command: 'kilo run -m custom/gpt-5-mini "say hi" (kilo.json provider.custom.npm = @ai-sdk/openai-compatible, options.baseURL)',
    run: kiloCustom('@ai-sdk/openai-compatible', 'gpt-5-mini'),
  },
  'kilo-code-openai': {
    name: 'Kilo Code CLI (built-in OpenAI provider)', protocol: 'openai-responses', package: '@kilocode/cli',
    join: 'concat', timeout: 120,
    command: 'kilo run -m openai/gpt-5-mini "say hi" (kilo.json provider.openai.options.baseURL)',
    run: kiloBuiltin('openai', 'gpt-5-mini'),
  },
  'kilo-code-anthropic': {
    name: 'Kilo Code CLI (built-in Anthropic provider)', protocol: 'anthropic', package: '@kilocode/cli',
    join: 'concat', timeout: 120,
    command: 'kilo run -m anthropic/claude-sonnet-4-5 "say hi" (kilo.json provider.anthropic.options.baseURL)',
    run: kiloBuiltin('anthropic', 'claude-sonnet-4-5'),
  },
  'kilo-code-google': {
    name: 'Kilo Code CLI (built-in Google provider)', protocol: 'gemini', package: '@kilocode/cli',
    join: 'concat', timeout: 120,
    command: 'kilo run -m google/gemini-2.5-flash "say hi" (kilo.json provider.google.options.baseURL)',
    run: kiloBuiltin('google', 'gemini-2.5-flash'),
  },
};
