// Driver config for scripts/record-client: how to run each real client headless at a Base URL, and the
// per-client hypotheses (join rule, call names) that record-client verifies against what the client sends.
//
// Recorded clients have `run(ctx)` returning {argv, env, files}; ctx = {base, key, home, cwd, bin(name),
// node, python (the client's venv python, for `python: <venv>` clients), scriptsDir}. `package` is the npm (or,
// with `python`, PyPI) package whose version the profile records; `needs` other packages the driver loads (their
// versions go to provenance.with); `optional` calls whose steps are not essential; `auth` the settings that send
// the key (see keyVia). `files` maps absolute paths to contents (objects are written as JSON).
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


// Per-client key settings: which setting of the client sent the key in which header (see record-client's
// buildAuth). `documented` carriers were not sent in the recording but the client's docs or source name them.
const noEnv = () => ({});
// `settings` is the one setting that carries the key whatever header the client puts it in (a string), or a map
// header -> setting for a client whose settings choose the header.
const keyVia = (settings, extra = {}) => (typeof settings === 'string' ? { setting: settings, ...extra } : { settings, ...extra });

const pyDriver = (venv, script, mode) => (ctx) => ({
  argv: [ctx.python, `${ctx.scriptsDir}/${script}`],
  env: { ROUTECHECK_BASE_URL: ctx.base, ROUTECHECK_API_KEY: ctx.key, ...(mode ? { ROUTECHECK_MODE: mode } : {}) },
  files: {},
  calls: 'file',
});

const modeDriver = (script, mode, env = {}) => (ctx) => ({
  argv: [ctx.node, `${ctx.scriptsDir}/${script}`],
  env: { ROUTECHECK_BASE_URL: ctx.base, ROUTECHECK_API_KEY: ctx.key, ROUTECHECK_MODE: mode, ...env(ctx) },
  files: {},
  calls: 'file',
});

// opencode: opencode.json under XDG_CONFIG_HOME; OPENCODE_DISABLE_* keep it from fetching models, updates, LSPs
// and default plugins from the internet.
const opencodeEnv = { OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_AUTOUPDATE: '1', OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
  OPENCODE_DISABLE_DEFAULT_PLUGINS: '1' };
const opencode = (model, provider, env = noEnv) => (ctx) => ({
  argv: [ctx.bin('opencode'), 'run', '-m', model, 'say hi'],
  env: { ...opencodeEnv, ...env(ctx) },
  files: { [`${ctx.home}/.config/opencode/opencode.json`]: { autoupdate: false, share: 'disabled', model, ...(provider ? { provider: provider(ctx) } : {}) } },
});
const builtinOptions = (id) => (ctx) => ({ [id]: { options: { baseURL: ctx.base, apiKey: ctx.key } } });

// Cline 3.x: ~/.cline/data/settings/providers.json, the file `cline auth -p <id> -k KEY -m MODEL -b BASE` writes
// (`-b` is refused for anthropic and gemini, whose baseUrl only this file sets). `cline auth -p openai` stores the
// provider as openai-compatible.
// Its Bun runtime sends even loopback requests to HTTP(S)_PROXY (NO_PROXY is not honoured for them), so the dead
// proxy is unset for Cline: its telemetry then fails on the offline network instead.
const noProxy = { HTTP_PROXY: null, HTTPS_PROXY: null, http_proxy: null, https_proxy: null, ALL_PROXY: null };
const cline = (provider, model) => (ctx) => ({
  argv: [ctx.bin('cline'), '--json', 'say hi'],
  env: { ...noProxy },
  files: { [`${ctx.home}/.cline/data/settings/providers.json`]: { version: 1, lastUsedProvider: provider, modes: {},
    providers: { [provider]: { settings: { provider, apiKey: ctx.key, model, baseUrl: ctx.base }, updatedAt: '2026-01-01T00:00:00.000Z',
      tokenSource: 'manual' } } } },
});

// Qwen Code: the auth type in settings.json (and --auth-type), the Base URL, key and model in the environment.
const qwen = (type, env) => (ctx) => ({
  argv: [ctx.bin('qwen'), '--auth-type', type, 'say hi'],
  env: env(ctx),
  files: { [`${ctx.home}/.qwen/settings.json`]: { security: { auth: { selectedType: type } }, telemetry: { enabled: false },
    privacy: { usageStatisticsEnabled: false } } },
});

// Continue CLI: one model in config.yaml with apiBase; `cn --config FILE -p "say hi"` runs it headless.
const continueCli = (provider, model) => (ctx) => ({
  argv: [ctx.bin('cn'), '--config', `${ctx.home}/config.yaml`, '-p', 'say hi'],
  env: {},
  files: { [`${ctx.home}/config.yaml`]: ['name: routecheck', 'version: 1.0.0', 'schema: v1', 'models:', '  - name: m',
    `    provider: ${provider}`, `    model: ${model}`, `    apiKey: ${ctx.key}`, `    apiBase: ${ctx.base}`, '    roles:', '      - chat', ''].join('\n') },
});

// Library drivers with a mode: one entry per provider of the Vercel AI SDK and of LangChain JS.
const aiSdk = (mode, pkg, what, protocol, construct, setting) => ({
  name: `Vercel AI SDK (${pkg}${what})`, protocol, package: pkg, needs: ['ai'], join: 'concat', timeout: 60,
  command: `node scripts/record/drive-ai-sdk.mjs ${mode} (${construct}: generateText, streamText)`,
  auth: keyVia(setting),
  run: modeDriver('drive-ai-sdk.mjs', mode, noEnv),
});
// The default instances, configured only by <VENDOR>_BASE_URL and <VENDOR>_API_KEY in the environment.
const aiSdkEnv = (vendor, VAR) => ({
  name: `Vercel AI SDK (default ${vendor} instance, ${VAR}_BASE_URL only)`, protocol: vendor === 'openai' ? 'openai-responses' : vendor,
  package: `@ai-sdk/${vendor}`, needs: ['ai'], join: 'concat', timeout: 60,
  command: `${VAR}_BASE_URL=<base> ${VAR}_API_KEY=<key> node scripts/record/drive-ai-sdk.mjs ${vendor}-env (import { ${vendor} } from "@ai-sdk/${vendor}")`,
  auth: keyVia(`${VAR}_API_KEY`),
  run: modeDriver('drive-ai-sdk.mjs', `${vendor}-env`, (ctx) => ({ [`${VAR}_BASE_URL`]: ctx.base, [`${VAR}_API_KEY`]: ctx.key })),
});
const langchainJs = (mode, pkg, what, protocol, construct, setting) => ({
  name: `LangChain JS (${pkg} ${what})`, protocol, package: pkg, needs: ['@langchain/core'], join: 'concat', timeout: 60,
  command: `node scripts/record/drive-langchain-js.mjs ${mode} (${construct}: invoke, stream)`,
  auth: keyVia(setting),
  run: modeDriver('drive-langchain-js.mjs', mode, noEnv),
});

export const clients = {
  'claude-code': {
    auth: keyVia('ANTHROPIC_API_KEY', { documented: [{ header: 'authorization', prefix: 'Bearer ', setting: 'ANTHROPIC_AUTH_TOKEN' }], note: "ANTHROPIC_API_KEY is sent as x-api-key (recorded); ANTHROPIC_AUTH_TOKEN as authorization: Bearer (Claude Code's settings documentation). With both set, both headers go out." }),
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
    auth: keyVia('apiKey (OPENAI_API_KEY)'), optional: ['responses', 'responses-stream'],
    name: 'OpenAI Node SDK', protocol: 'openai', package: 'openai', join: 'concat', timeout: 60,
    command: 'node scripts/record/drive-openai-node.mjs (new OpenAI({apiKey, baseURL}): models.list, chat.completions.create plain + stream, responses.create plain + stream)',
    run: sdkDriver('drive-openai-node.mjs'),
  },
  'anthropic-node': {
    auth: keyVia('apiKey (ANTHROPIC_API_KEY)', { documented: [{ header: 'authorization', prefix: 'Bearer ', setting: 'authToken (ANTHROPIC_AUTH_TOKEN)' }], note: 'This SDK version sends apiKey as authorization: Bearer, as it sends authToken (ANTHROPIC_AUTH_TOKEN): client.js apiKeyAuth and bearerAuth; no x-api-key header goes out.' }),
    name: 'Anthropic Node SDK', protocol: 'anthropic', package: '@anthropic-ai/sdk', join: 'concat', timeout: 60,
    command: 'node scripts/record/drive-anthropic-node.mjs (new Anthropic({apiKey, baseURL}): messages.create plain + stream, messages.countTokens, models.list)',
    run: sdkDriver('drive-anthropic-node.mjs'),
  },
  'genai-node': {
    auth: keyVia('apiKey (GEMINI_API_KEY)'),
    note: 'the 2.x line, which sends /v1beta/models/...; 3.x sends /v1/models/... (profile genai-node-3)',
    name: 'Google GenAI SDK (Node)', protocol: 'gemini', package: '@google/genai', join: 'concat', timeout: 60,
    command: 'node scripts/record/drive-genai-node.mjs (new GoogleGenAI({apiKey, httpOptions: {baseUrl}}): generateContent, generateContentStream, models.list, countTokens)',
    run: sdkDriver('drive-genai-node.mjs'),
  },
  'genai-node-3': {
    name: 'Google GenAI SDK (Node) 3.x', protocol: 'gemini', package: '@google/genai', installedAs: 'google-genai-3',
    join: 'concat', timeout: 60,
    command: 'node scripts/record/drive-genai-node.mjs (new GoogleGenAI({apiKey, httpOptions: {baseUrl}}): generateContent, generateContentStream, models.list, countTokens)',
    auth: keyVia('apiKey (GEMINI_API_KEY)'),
    note: '3.x sends /v1/models/... where 2.x (genai-node) sent /v1beta: with an API key it defaults to API version v1; '
      + 'httpOptions.apiVersion "v1beta" gives /v1beta again. Both versions are kept as profiles because the paths differ.',
    run: (ctx) => ({ ...sdkDriver('drive-genai-node.mjs')(ctx), env: { ROUTECHECK_BASE_URL: ctx.base, ROUTECHECK_API_KEY: ctx.key,
      ROUTECHECK_PACKAGE: ctx.pkg } }),
  },
  'gemini-cli': {
    auth: keyVia('GEMINI_API_KEY'),
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
    auth: keyVia('env_key (model_providers.<id>.env_key in config.toml)'),
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
    auth: keyVia('CODEX_API_KEY'),
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
    auth: keyVia('provider.custom.options.apiKey'),
    name: 'Kilo Code CLI (custom provider, @ai-sdk/openai-compatible)', protocol: 'openai', package: '@kilocode/cli',
    join: 'concat', timeout: 120,
    command: 'kilo run -m custom/gpt-5-mini "say hi" (kilo.json provider.custom.npm = @ai-sdk/openai-compatible, options.baseURL)',
    run: kiloCustom('@ai-sdk/openai-compatible', 'gpt-5-mini'),
  },
  'kilo-code-openai': {
    auth: keyVia('provider.openai.options.apiKey'),
    name: 'Kilo Code CLI (built-in OpenAI provider)', protocol: 'openai-responses', package: '@kilocode/cli',
    join: 'concat', timeout: 120,
    command: 'kilo run -m openai/gpt-5-mini "say hi" (kilo.json provider.openai.options.baseURL)',
    run: kiloBuiltin('openai', 'gpt-5-mini'),
  },
  'kilo-code-anthropic': {
    auth: keyVia('provider.anthropic.options.apiKey'),
    name: 'Kilo Code CLI (built-in Anthropic provider)', protocol: 'anthropic', package: '@kilocode/cli',
    join: 'concat', timeout: 120,
    command: 'kilo run -m anthropic/claude-sonnet-4-5 "say hi" (kilo.json provider.anthropic.options.baseURL)',
    run: kiloBuiltin('anthropic', 'claude-sonnet-4-5'),
  },
  'kilo-code-google': {
    auth: keyVia('provider.google.options.apiKey'),
    name: 'Kilo Code CLI (built-in Google provider)', protocol: 'gemini', package: '@kilocode/cli',
    join: 'concat', timeout: 120,
    command: 'kilo run -m google/gemini-2.5-flash "say hi" (kilo.json provider.google.options.baseURL)',
    run: kiloBuiltin('google', 'gemini-2.5-flash'),
  },
  // opencode (opencode-ai): a custom @ai-sdk/openai-compatible provider, the built-in providers with options.baseURL,
  // and the built-ins configured only by environment variables.
  'opencode-openai-compatible': {
    name: 'opencode (custom provider, @ai-sdk/openai-compatible)', protocol: 'openai', package: 'opencode-ai', join: 'concat', timeout: 120,
    command: 'opencode run -m custom/gpt-5-mini "say hi" (opencode.json provider.custom: npm @ai-sdk/openai-compatible, options.baseURL, options.apiKey)',
    auth: keyVia('provider.custom.options.apiKey'),
    run: opencode('custom/gpt-5-mini', (ctx) => ({ custom: { npm: '@ai-sdk/openai-compatible', name: 'custom',
      options: { baseURL: ctx.base, apiKey: ctx.key }, models: { 'gpt-5-mini': { name: 'gpt-5-mini' } } } })),
  },
  'opencode-openai': {
    name: 'opencode (built-in OpenAI provider)', protocol: 'openai-responses', package: 'opencode-ai', join: 'concat', timeout: 120,
    command: 'opencode run -m openai/gpt-5-mini "say hi" (opencode.json provider.openai.options.baseURL, options.apiKey)',
    auth: keyVia('provider.openai.options.apiKey'),
    run: opencode('openai/gpt-5-mini', builtinOptions('openai')),
  },
  'opencode-anthropic': {
    name: 'opencode (built-in Anthropic provider)', protocol: 'anthropic', package: 'opencode-ai', join: 'concat', timeout: 120,
    command: 'opencode run -m anthropic/claude-sonnet-4-5 "say hi" (opencode.json provider.anthropic.options.baseURL, options.apiKey)',
    auth: keyVia('provider.anthropic.options.apiKey'),
    run: opencode('anthropic/claude-sonnet-4-5', builtinOptions('anthropic')),
  },
  'opencode-google': {
    name: 'opencode (built-in Google provider)', protocol: 'gemini', package: 'opencode-ai', join: 'concat', timeout: 120,
    command: 'opencode run -m google/gemini-2.5-flash "say hi" (opencode.json provider.google.options.baseURL, options.apiKey)',
    auth: keyVia('provider.google.options.apiKey'),
    run: opencode('google/gemini-2.5-flash', builtinOptions('google')),
  },
  'opencode-openai-env': {
    name: 'opencode (built-in OpenAI provider, OPENAI_BASE_URL only)', protocol: 'openai-responses', package: 'opencode-ai', join: 'concat', timeout: 120,
    command: 'OPENAI_BASE_URL=<base> OPENAI_API_KEY=<key> opencode run -m openai/gpt-5-mini "say hi" (no provider entry in opencode.json)',
    auth: keyVia('OPENAI_API_KEY'),
    run: opencode('openai/gpt-5-mini', null, (ctx) => ({ OPENAI_BASE_URL: ctx.base, OPENAI_API_KEY: ctx.key })),
  },
  'opencode-anthropic-env': {
    name: 'opencode (built-in Anthropic provider, ANTHROPIC_BASE_URL only)', protocol: 'anthropic', package: 'opencode-ai', join: 'concat', timeout: 120,
    command: 'ANTHROPIC_BASE_URL=<base> ANTHROPIC_API_KEY=<key> opencode run -m anthropic/claude-sonnet-4-5 "say hi" (no provider entry in opencode.json)',
    auth: keyVia('ANTHROPIC_API_KEY'),
    run: opencode('anthropic/claude-sonnet-4-5', null, (ctx) => ({ ANTHROPIC_BASE_URL: ctx.base, ANTHROPIC_API_KEY: ctx.key })),
  },

  // Cline CLI 3.x
  'cline-openai': {
    name: 'Cline CLI 3.x (openai: stored as openai-compatible)', protocol: 'openai', package: 'cline', join: 'concat', timeout: 120,
    command: 'cline auth -p openai -k KEY -m gpt-5-mini -b BASE; cline --json "say hi"',
    auth: keyVia('cline auth -k (providers.json apiKey)'),
    run: cline('openai-compatible', 'gpt-5-mini'),
  },
  'cline-openai-native': {
    name: 'Cline CLI 3.x (openai-native)', protocol: 'openai-responses', package: 'cline', join: 'concat', timeout: 120,
    command: 'cline auth -p openai-native -k KEY -m gpt-5-mini -b BASE; cline --json "say hi"',
    auth: keyVia('cline auth -k (providers.json apiKey)'),
    run: cline('openai-native', 'gpt-5-mini'),
  },
  'cline-anthropic': {
    name: 'Cline CLI 3.x (anthropic)', protocol: 'anthropic', package: 'cline', join: 'concat', timeout: 120,
    command: 'cline --json "say hi" (~/.cline/data/settings/providers.json: providers.anthropic.settings.baseUrl; cline auth -b refuses anthropic)',
    auth: keyVia('providers.json apiKey'),
    run: cline('anthropic', 'claude-sonnet-4-5'),
  },
  'cline-gemini': {
    name: 'Cline CLI 3.x (gemini)', protocol: 'gemini', package: 'cline', timeout: 120,
    join: { rule: 'concat', version_if_missing: true,
      note: '@cline/llms (dist/providers.js) trims trailing slashes and appends /v1beta unless the last path segment '
        + 'matches /^v\\d+(?:alpha|beta)?\\d*$/i, then @ai-sdk/google appends /models/<model>:<action>' },
    command: 'cline --json "say hi" (~/.cline/data/settings/providers.json: providers.gemini.settings.baseUrl; cline auth -b refuses gemini)',
    auth: keyVia('providers.json apiKey'),
    run: cline('gemini', 'gemini-2.5-flash'),
  },

  // Qwen Code
  'qwen-code-openai': {
    name: 'Qwen Code (openai)', protocol: 'openai', package: '@qwen-code/qwen-code', join: 'concat', timeout: 120,
    command: 'qwen --auth-type openai "say hi" (OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL)',
    auth: keyVia('OPENAI_API_KEY'),
    run: qwen('openai', (ctx) => ({ OPENAI_BASE_URL: ctx.base, OPENAI_API_KEY: ctx.key, OPENAI_MODEL: 'gpt-5-mini' })),
  },
  'qwen-code-openai-responses': {
    name: 'Qwen Code (openai-responses)', protocol: 'openai-responses', package: '@qwen-code/qwen-code', timeout: 120,
    join: { rule: 'concat', strip_suffix: ['/v1'],
      note: 'normalizeOpenAiWireBaseUrl drops a trailing /v1 (or /v1/) and a trailing slash, then the generator '
        + 'appends /v1/responses itself' },
    command: 'qwen --auth-type openai-responses "say hi" (OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL)',
    auth: keyVia('OPENAI_API_KEY'),
    run: qwen('openai-responses', (ctx) => ({ OPENAI_BASE_URL: ctx.base, OPENAI_API_KEY: ctx.key, OPENAI_MODEL: 'gpt-5-mini' })),
  },
  'qwen-code-anthropic': {
    name: 'Qwen Code (anthropic)', protocol: 'anthropic', package: '@qwen-code/qwen-code', join: 'concat', timeout: 120,
    command: 'qwen --auth-type anthropic "say hi" (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_MODEL)',
    auth: keyVia('ANTHROPIC_API_KEY'),
    run: qwen('anthropic', (ctx) => ({ ANTHROPIC_BASE_URL: ctx.base, ANTHROPIC_API_KEY: ctx.key, ANTHROPIC_MODEL: 'claude-sonnet-4-5' })),
  },
  'qwen-code-gemini': {
    name: 'Qwen Code (gemini)', protocol: 'gemini', package: '@qwen-code/qwen-code', join: 'concat', timeout: 120,
    command: 'qwen --auth-type gemini "say hi" (GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY, GEMINI_MODEL)',
    auth: keyVia('GEMINI_API_KEY'),
    run: qwen('gemini', (ctx) => ({ GOOGLE_GEMINI_BASE_URL: ctx.base, GEMINI_API_KEY: ctx.key, GEMINI_MODEL: 'gemini-2.5-flash' })),
  },

  // Vercel AI SDK (`ai` with a provider package): generateText + streamText through scripts/record/drive-ai-sdk.mjs.
  'ai-sdk-openai': aiSdk('openai', '@ai-sdk/openai', ', default model call', 'openai-responses',
    'createOpenAI({baseURL, apiKey})(model)', 'apiKey (OPENAI_API_KEY)'),
  'ai-sdk-openai-chat': aiSdk('openai-chat', '@ai-sdk/openai', ' .chat', 'openai', 'createOpenAI({baseURL, apiKey}).chat(model)',
    'apiKey (OPENAI_API_KEY)'),
  'ai-sdk-anthropic': aiSdk('anthropic', '@ai-sdk/anthropic', '', 'anthropic', 'createAnthropic({baseURL, apiKey})',
    'apiKey (ANTHROPIC_API_KEY)'),
  'ai-sdk-google': aiSdk('google', '@ai-sdk/google', '', 'gemini', 'createGoogleGenerativeAI({baseURL, apiKey})',
    'apiKey (GOOGLE_GENERATIVE_AI_API_KEY)'),
  'ai-sdk-openai-compatible': aiSdk('openai-compatible', '@ai-sdk/openai-compatible', '', 'openai',
    'createOpenAICompatible({name, baseURL, apiKey})', 'apiKey'),
  'ai-sdk-openai-env': aiSdkEnv('openai', 'OPENAI'),
  'ai-sdk-anthropic-env': aiSdkEnv('anthropic', 'ANTHROPIC'),

  // LangChain JS: invoke + stream through scripts/record/drive-langchain-js.mjs.
  'langchain-js-openai': langchainJs('openai', '@langchain/openai', 'ChatOpenAI', 'openai',
    'new ChatOpenAI({apiKey, configuration: {baseURL}})', 'apiKey (OPENAI_API_KEY)'),
  'langchain-js-openai-responses': langchainJs('openai-responses', '@langchain/openai', 'ChatOpenAI, useResponsesApi', 'openai-responses',
    'new ChatOpenAI({apiKey, useResponsesApi: true, configuration: {baseURL}})', 'apiKey (OPENAI_API_KEY)'),
  'langchain-js-anthropic': langchainJs('anthropic', '@langchain/anthropic', 'ChatAnthropic', 'anthropic',
    'new ChatAnthropic({apiKey, anthropicApiUrl})', 'apiKey (ANTHROPIC_API_KEY)'),
  'langchain-js-google-genai': { ...langchainJs('google-genai', '@langchain/google-genai', 'ChatGoogleGenerativeAI', 'gemini',
    'new ChatGoogleGenerativeAI({apiKey, baseUrl})', 'apiKey (GOOGLE_API_KEY)'), join: 'concat_raw' },

  // Continue CLI (cn): one model per config.yaml.
  'continue-cli-openai': {
    name: 'Continue CLI (provider openai)', protocol: 'openai', package: '@continuedev/cli', join: 'concat', timeout: 120,
    command: 'cn --config config.yaml -p "say hi" (models: [{provider: openai, apiBase}])',
    auth: keyVia('models[].apiKey'),
    run: continueCli('openai', 'gpt-5-mini'),
  },
  'continue-cli-anthropic': {
    name: 'Continue CLI (provider anthropic)', protocol: 'anthropic', package: '@continuedev/cli', join: 'concat', timeout: 120,
    command: 'cn --config config.yaml -p "say hi" (models: [{provider: anthropic, apiBase}])',
    auth: keyVia('models[].apiKey'),
    run: continueCli('anthropic', 'claude-sonnet-4-5'),
  },
  'continue-cli-gemini': {
    name: 'Continue CLI (provider gemini)', protocol: 'gemini', package: '@continuedev/cli', join: 'concat', timeout: 120,
    command: 'cn --config config.yaml -p "say hi" (models: [{provider: gemini, apiBase}])',
    // No request reached the recorder at any Base URL: the CLI exits 1 with "fetch failed" (the offline network).
    // Its bundled source says why (dist/index.js.map, packages/openai-adapters/src/apis/Gemini.ts): GeminiApi keeps
    // config.apiBase but builds `new GoogleGenAI({apiKey})` without httpOptions.baseUrl, so chat goes to
    // generativelanguage.googleapis.com whatever apiBase says (apiBase only reaches batchEmbedContents).
    baseUrlIgnored: 'Continue CLI\'s gemini provider sends its chat to generativelanguage.googleapis.com whatever apiBase says '
      + '(recorded: no request reached the recorder at any Base URL; its bundled source, packages/openai-adapters/src/apis/'
      + 'Gemini.ts, builds new GoogleGenAI({apiKey}) without httpOptions.baseUrl)',
    auth: keyVia({}, { documented: [{ header: 'x-goog-api-key', setting: 'models[].apiKey' }] }),
    run: continueCli('gemini', 'gemini-2.5-flash'),
  },

  // Python clients (PyPI), one venv each: python/clients/install.
  'openai-python': {
    name: 'OpenAI Python SDK', protocol: 'openai', package: 'openai', python: 'openai', join: 'concat', timeout: 60,
    command: 'python scripts/record/drive-openai-python.py (OpenAI(api_key, base_url): models.list, chat.completions.create plain + stream, responses.create plain + stream)',
    auth: keyVia('api_key (OPENAI_API_KEY)'), optional: ['responses', 'responses-stream'],
    run: pyDriver('openai', 'drive-openai-python.py'),
  },
  'anthropic-python': {
    name: 'Anthropic Python SDK', protocol: 'anthropic', package: 'anthropic', python: 'anthropic', join: 'concat', timeout: 60,
    command: 'python scripts/record/drive-anthropic-python.py (Anthropic(api_key, base_url): messages.create plain + stream, messages.count_tokens, models.list)',
    auth: keyVia('api_key (ANTHROPIC_API_KEY)', { documented: [{ header: 'authorization', prefix: 'Bearer ', setting: 'auth_token (ANTHROPIC_AUTH_TOKEN)' }], note: 'This SDK version sends api_key as authorization: Bearer, as it sends auth_token (ANTHROPIC_AUTH_TOKEN): _client.py _api_key_auth and _bearer_auth; no x-api-key header goes out.' }),
    run: pyDriver('anthropic', 'drive-anthropic-python.py'),
  },
  'google-genai-python': {
    name: 'Google GenAI Python SDK', protocol: 'gemini', package: 'google-genai', python: 'google-genai', join: 'concat', timeout: 60,
    command: 'python scripts/record/drive-google-genai-python.py (genai.Client(api_key, http_options=HttpOptions(base_url)): generate_content, generate_content_stream, models.list, count_tokens)',
    auth: keyVia('api_key (GEMINI_API_KEY)'),
    note: 'With an API key this version defaults to API version v1 (google/genai/_api_client.py '
      + 'GOOGLE_AI_API_DEFAULT_VERSION), so it sends /v1/models/..., where the Node SDK and Gemini CLI send /v1beta; '
      + 'http_options api_version="v1beta" or GOOGLE_GENAI_API_VERSION=beta gives /v1beta.',
    run: pyDriver('google-genai', 'drive-google-genai-python.py'),
  },
  'litellm-openai': {
    name: 'LiteLLM client library (openai/ models)', protocol: 'openai', package: 'litellm', python: 'litellm', join: 'concat', timeout: 90,
    command: 'python scripts/record/drive-litellm.py openai (litellm.completion(model="openai/gpt-5-mini", api_base, api_key) plain + stream)',
    auth: keyVia('api_key (OPENAI_API_KEY)'),
    run: pyDriver('litellm', 'drive-litellm.py', 'openai'),
  },
  'litellm-anthropic': {
    name: 'LiteLLM client library (anthropic/ models)', protocol: 'anthropic', package: 'litellm', python: 'litellm', timeout: 90,
    join: { rule: 'concat', endpoint_if_missing: true,
      note: 'litellm/llms/anthropic/common_utils.py appends /v1/messages unless the api_base path (without a trailing '
        + 'slash) already ends with /v1/messages' },
    command: 'python scripts/record/drive-litellm.py anthropic (litellm.completion(model="anthropic/claude-sonnet-4-5", api_base, api_key) plain + stream)',
    auth: keyVia('api_key (ANTHROPIC_API_KEY)'),
    run: pyDriver('litellm', 'drive-litellm.py', 'anthropic'),
  },
  'litellm-gemini': {
    name: 'LiteLLM client library (gemini/ models)', protocol: 'gemini', package: 'litellm', python: 'litellm', join: 'concat', timeout: 90,
    command: 'python scripts/record/drive-litellm.py gemini (litellm.completion(model="gemini/gemini-2.5-flash", api_base, api_key) plain + stream)',
    auth: keyVia('api_key (GEMINI_API_KEY)'),
    run: pyDriver('litellm', 'drive-litellm.py', 'gemini'),
  },
  'langchain-openai-python': {
    name: 'langchain-openai (ChatOpenAI)', protocol: 'openai', package: 'langchain-openai', python: 'langchain-openai', join: 'concat', timeout: 60,
    command: 'python scripts/record/drive-langchain-openai-python.py (ChatOpenAI(base_url, api_key): invoke, stream)',
    auth: keyVia('api_key (OPENAI_API_KEY)'),
    run: pyDriver('langchain-openai', 'drive-langchain-openai-python.py'),
  },
  'langchain-openai-python-responses': {
    name: 'langchain-openai (ChatOpenAI, use_responses_api)', protocol: 'openai-responses', package: 'langchain-openai', python: 'langchain-openai', join: 'concat', timeout: 60,
    command: 'python scripts/record/drive-langchain-openai-python.py responses (ChatOpenAI(base_url, api_key, use_responses_api=True): invoke, stream)',
    auth: keyVia('api_key (OPENAI_API_KEY)'),
    run: pyDriver('langchain-openai', 'drive-langchain-openai-python.py', 'responses'),
  },
  'aider-openai': {
    name: 'aider (openai/ model, --openai-api-base)', protocol: 'openai', package: 'aider-chat', python: 'aider', join: 'concat', timeout: 120,
    command: 'aider --model openai/gpt-5-mini --openai-api-base BASE --openai-api-key KEY --message "say hi" (no git, no update check, no analytics)',
    auth: keyVia('--openai-api-key (OPENAI_API_KEY)'),
    run: (ctx) => ({
      argv: [ctx.bin('aider'), '--model', 'openai/gpt-5-mini', '--openai-api-base', ctx.base, '--openai-api-key', ctx.key,
        '--message', 'say hi', '--no-git', '--yes-always', '--no-check-update', '--analytics-disable', '--no-show-model-warnings',
        '--no-pretty', '--map-tokens', '0', '--no-show-release-notes'],
      env: {},
      files: {},
    }),
  },
  'llm-openai-compatible': {
    name: 'llm CLI (extra-openai-models.yaml api_base)', protocol: 'openai', package: 'llm', python: 'llm', join: 'concat', timeout: 60,
    command: 'llm -m routecheck "say hi" (extra-openai-models.yaml: model_id routecheck, api_base, api_key_name)',
    auth: keyVia('llm keys set <api_key_name> (keys.json)'),
    run: (ctx) => ({
      argv: [ctx.bin('llm'), '-m', 'routecheck', '--no-log', 'say hi'],
      env: { LLM_USER_PATH: `${ctx.home}/llm` },
      files: {
        [`${ctx.home}/llm/extra-openai-models.yaml`]: `- model_id: routecheck\n  model_name: gpt-5-mini\n  api_base: "${ctx.base}"\n  api_key_name: routecheck\n`,
        [`${ctx.home}/llm/keys.json`]: { routecheck: ctx.key },
      },
    }),
  },
};
